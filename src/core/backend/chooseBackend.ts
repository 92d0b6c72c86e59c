/**
 * The automatic backend choice, as a pure function of what the environment offers, so the rule
 * is testable in Node and the reason shown to the user is the one that decided.
 *
 *   1. WebGPU on a hardware adapter.
 *   2. Otherwise WebGL if its renderer is hardware.
 *   3. Otherwise wasm: software WebGPU (SwiftShader) and software WebGL are the slowest backends
 *      on this project's models (PGD-20 on 256 MNIST images: ≈1 image/s on SwiftShader WebGPU vs
 *      tens on wasm), so they are never the default.
 */
import type { BackendName } from './backends';

export interface EnvironmentProbe {
  webgpu: { available: false; why: string } | { available: true; software: boolean; description: string };
  webgl: { available: false; why: string } | { available: true; software: boolean; renderer: string };
}

export interface BackendDecision {
  name: BackendName;
  reason: string;
}

/** Adapter or renderer strings of known software implementations. */
const SOFTWARE_MARKERS = ['swiftshader', 'llvmpipe', 'softpipe', 'software', 'microsoft basic render'];

export function looksSoftware(description: string): boolean {
  const d = description.toLowerCase();
  return SOFTWARE_MARKERS.some((m) => d.includes(m));
}

export function chooseBackend(probe: EnvironmentProbe): BackendDecision {
  const gpu = probe.webgpu;
  if (gpu.available && !gpu.software) {
    return { name: 'webgpu', reason: `WebGPU on a hardware adapter (${gpu.description}).` };
  }
  const gl = probe.webgl;
  if (gl.available && !gl.software) {
    const why = gpu.available
      ? `the WebGPU adapter is software (${gpu.description})`
      : `WebGPU is unavailable (${gpu.why})`;
    return { name: 'webgl', reason: `WebGL on a hardware GPU (${gl.renderer}): ${why}.` };
  }
  const gpuWhy = gpu.available
    ? `the WebGPU adapter is software (${gpu.description}), which is slower than wasm`
    : `WebGPU is unavailable (${gpu.why})`;
  const glWhy = gl.available ? `WebGL is software (${gl.renderer})` : `WebGL is unavailable`;
  return { name: 'wasm', reason: `wasm (SIMD) on the CPU: ${gpuWhy}, and ${glWhy}.` };
}
