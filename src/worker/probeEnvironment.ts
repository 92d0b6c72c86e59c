/**
 * Looks at what WebGPU and WebGL adapters this browser offers (from inside the worker), for
 * chooseBackend. Touches browser APIs, so it lives with the worker, not in the core.
 */
import { looksSoftware, type EnvironmentProbe } from '../core/backend/chooseBackend';

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

async function probeWebGpu(): Promise<EnvironmentProbe['webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { available: false, why: 'this browser has no navigator.gpu' };
  try {
    const adapter = (await gpu.requestAdapter()) as {
      info?: AdapterInfoLike;
      isFallbackAdapter?: boolean;
      requestAdapterInfo?: () => Promise<AdapterInfoLike>;
    } | null;
    if (!adapter) return { available: false, why: 'no WebGPU adapter was offered' };
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const description =
      [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0).join(' ') ||
      'unnamed adapter';
    const software = adapter.isFallbackAdapter === true || looksSoftware(description);
    return { available: true, software, description };
  } catch (err) {
    return { available: false, why: (err as Error).message };
  }
}

function probeWebGl(): EnvironmentProbe['webgl'] {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { available: false, why: 'no OffscreenCanvas in this worker' };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return { available: false, why: 'no WebGL2 context' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, software: looksSoftware(renderer), renderer };
  } catch (err) {
    return { available: false, why: (err as Error).message };
  }
}

export async function probeEnvironment(): Promise<EnvironmentProbe> {
  return { webgpu: await probeWebGpu(), webgl: probeWebGl() };
}
