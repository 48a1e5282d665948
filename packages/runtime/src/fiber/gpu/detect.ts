import { HeadlessGLKernel, WebAssemblyKernel, WebGL2Kernel, WebGLKernel } from 'gpu.js';
import { GPU_DEVICE_MODES, GpuJsMode } from './modes';
import { installWebGpu } from './webgpu-node';

/** What probing one gpu.js mode found. */
export interface GpuModeProbe {
  mode: GpuJsMode;
  /** The mode can run kernels here. */
  answers: boolean;
  /** It runs them on GPU hardware, not on gpu.js's CPU backends or a software rasterizer. */
  real: boolean;
  /** Adapter or GL renderer description, when the mode reports one. */
  renderer: string | null;
  reason: string;
}

export interface ProbeOptions {
  /** Longest wait for a WebGPU adapter before the probe gives up (ms). */
  timeoutMs?: number;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|null-backend/i;

export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE_RENDERER.test(description);
}

/** One webgpu answer per process: an adapter does not come and go, and each probe starts a Dawn instance. */
let webGpuProbe: Promise<GpuModeProbe> | null = null;

/** Probes one mode; never throws, and leaves no globals behind. */
export async function probeGpuMode(mode: GpuJsMode, options: ProbeOptions = {}): Promise<GpuModeProbe> {
  const result = (answers: boolean, real: boolean, renderer: string | null, reason: string): GpuModeProbe => ({
    mode,
    answers,
    real,
    renderer,
    reason,
  });
  try {
    switch (mode) {
      case 'cpu':
        return result(true, false, null, 'gpu.js cpu mode runs kernels as JavaScript');
      case 'webasm':
        return WebAssemblyKernel.isSupported
          ? result(true, false, null, 'webasm runs kernels as WebAssembly on the CPU')
          : result(false, false, null, 'WebAssembly is unavailable');
      case 'webgpu':
        webGpuProbe ??= probeWebGpu(options.timeoutMs ?? 3000, result).then(([probe, timedOut]) => {
          if (timedOut) webGpuProbe = null;
          return probe;
        });
        return await webGpuProbe;
      case 'headlessgl':
        return probeGl(HeadlessGLKernel, 'the gl package is missing or gives no context', result);
      case 'webgl2':
        return probeGl(WebGL2Kernel, 'no WebGL2 context (needs a browser canvas)', result);
      case 'webgl':
        return probeGl(WebGLKernel, 'no WebGL context (needs a browser canvas)', result);
    }
  } catch (e) {
    return result(false, false, null, `probing ${mode} failed: ${(e as Error).message}`);
  }
}

/** The first of `modes` (default GPU_DEVICE_MODES) that runs on real GPU hardware, or null. */
export async function detectRealGpuMode(
  options: ProbeOptions = {},
  modes: readonly GpuJsMode[] = GPU_DEVICE_MODES,
): Promise<GpuModeProbe | null> {
  for (const mode of modes) {
    const probe = await probeGpuMode(mode, options);
    if (probe.answers && probe.real) return probe;
  }
  return null;
}

type Result = (answers: boolean, real: boolean, renderer: string | null, reason: string) => GpuModeProbe;

interface GlKernelClass {
  isSupported: boolean;
  testContext?: unknown;
}

function probeGl(kernel: GlKernelClass, missing: string, result: Result): GpuModeProbe {
  if (!kernel.isSupported) return result(false, false, null, missing);
  const renderer = glRenderer(kernel.testContext);
  const real = renderer !== null && !isSoftwareRenderer(renderer);
  return result(true, real, renderer, real ? 'hardware GL renderer' : `software or unknown GL renderer (${renderer})`);
}

interface GlContext {
  RENDERER: number;
  getParameter(name: number): unknown;
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
}

function glRenderer(context: unknown): string | null {
  const gl = context as GlContext | null | undefined;
  if (!gl || typeof gl.getParameter !== 'function') return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return typeof name === 'string' ? name : null;
}

interface WebGpuAdapter {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; type?: string };
}

/** The probe, and whether it timed out (worth asking again later). */
async function probeWebGpu(timeoutMs: number, result: Result): Promise<[GpuModeProbe, boolean]> {
  const installation = await installWebGpu();
  if (!installation) return [result(false, false, null, 'the webgpu package does not load'), false];
  let timer: NodeJS.Timeout | undefined;
  try {
    const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<WebGpuAdapter | null> } } })
      .navigator.gpu;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const adapter = await Promise.race([gpu.requestAdapter().catch(() => null), timeout]);
    if (adapter === 'timeout') return [result(false, false, null, `no WebGPU adapter answered within ${timeoutMs} ms`), true];
    if (!adapter) return [result(false, false, null, 'no WebGPU adapter'), false];
    const info = adapter.info ?? {};
    const renderer = [info.vendor, info.architecture, info.device, info.description, info.type]
      .filter((s) => typeof s === 'string' && s.length > 0)
      .join(' / ');
    const real = !adapter.isFallbackAdapter && info.type !== 'cpu' && !isSoftwareRenderer(renderer);
    return [result(true, real, renderer, real ? 'hardware WebGPU adapter' : `software WebGPU adapter (${renderer})`), false];
  } finally {
    clearTimeout(timer);
    installation.restore();
  }
}
