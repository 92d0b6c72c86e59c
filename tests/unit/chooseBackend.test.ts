import { describe, expect, test } from 'vitest';
import { chooseBackend, looksSoftware, type EnvironmentProbe } from '../../src/core/backend/chooseBackend';
import { parseBackendName } from '../../src/core/backend/backends';
import { InvalidOptionError } from '../../src/core/util/errors';

const hwGpu = { available: true, software: false, description: 'NVIDIA GeForce RTX 3060' } as const;
const swGpu = { available: true, software: true, description: 'Google SwiftShader' } as const;
const noGpu = { available: false, why: 'navigator.gpu is undefined' } as const;
const hwGl = { available: true, software: false, renderer: 'ANGLE (NVIDIA, GeForce RTX 3060)' } as const;
const swGl = {
  available: true,
  software: true,
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))',
} as const;
const noGl = { available: false, why: 'no WebGL context' } as const;

describe('chooseBackend', () => {
  test('hardware WebGPU wins, whatever WebGL offers', () => {
    for (const webgl of [hwGl, swGl, noGl]) {
      const d = chooseBackend({ webgpu: hwGpu, webgl } as EnvironmentProbe);
      expect(d.name).toBe('webgpu');
      expect(d.reason).toContain('NVIDIA GeForce RTX 3060');
    }
  });

  test('SwiftShader WebGPU and software WebGL → wasm, and the reason says why', () => {
    const d = chooseBackend({ webgpu: swGpu, webgl: swGl });
    expect(d.name).toBe('wasm');
    expect(d.reason).toMatch(/software/i);
    expect(d.reason).toMatch(/SwiftShader/);
  });

  test('software WebGPU but hardware WebGL → webgl, mentioning the software adapter', () => {
    const d = chooseBackend({ webgpu: swGpu, webgl: hwGl });
    expect(d.name).toBe('webgl');
    expect(d.reason).toMatch(/software/i);
  });

  test('no WebGPU and hardware WebGL → webgl', () => {
    const d = chooseBackend({ webgpu: noGpu, webgl: hwGl });
    expect(d.name).toBe('webgl');
    expect(d.reason).toContain('navigator.gpu is undefined');
  });

  test('no WebGPU and software WebGL → wasm', () => {
    const d = chooseBackend({ webgpu: noGpu, webgl: swGl });
    expect(d.name).toBe('wasm');
    expect(d.reason).toMatch(/software/i);
  });

  test('nothing available → wasm', () => {
    const d = chooseBackend({ webgpu: noGpu, webgl: noGl });
    expect(d.name).toBe('wasm');
    expect(d.reason).toMatch(/unavailable/);
  });
});

describe('looksSoftware and parseBackendName', () => {
  test('known software renderers are recognised, hardware ones are not', () => {
    for (const s of [
      'Google SwiftShader',
      'llvmpipe (LLVM 15.0.7, 256 bits)',
      'Microsoft Basic Render Driver',
      'softpipe',
      'SwiftShader Device (Subzero)',
    ]) {
      expect(looksSoftware(s), s).toBe(true);
    }
    for (const s of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)',
      'Apple M2',
      'AMD Radeon Pro 5500M',
      'Intel(R) UHD Graphics 630',
    ]) {
      expect(looksSoftware(s), s).toBe(false);
    }
  });

  test('parseBackendName accepts the four names and rejects others', () => {
    for (const n of ['webgpu', 'webgl', 'wasm', 'cpu']) expect(parseBackendName(n)).toBe(n);
    for (const n of ['gpu', 'WASM', '', 'tensorflow']) expect(() => parseBackendName(n)).toThrow(InvalidOptionError);
  });
});
