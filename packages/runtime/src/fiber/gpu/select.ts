import { detectRealGpuMode, probeGpuMode, ProbeOptions } from './detect';
import { checkGpuJsMode, GPU_DEVICE_MODES, GpuJsMode } from './modes';

export type FiberBackendName = 'auto' | 'js' | 'gpu.js';

export interface FiberBackendOptions extends ProbeOptions {
  /** 'auto' (default) takes gpu.js only when a real GPU mode answers, else the float64 JS backend. */
  backend?: FiberBackendName;
  /** gpu.js mode for backend 'gpu.js'; without it the first answering GPU mode, else 'cpu'. */
  gpuMode?: GpuJsMode;
  /** Leave out webgpu, whose kernels answer with Promises (the solver's StepBackend is synchronous). */
  synchronousOnly?: boolean;
}

export type ResolvedFiberBackend =
  | { backend: 'js'; reason: string }
  | { backend: 'gpu.js'; mode: GpuJsMode; reason: string };

/** Decides which backend (and gpu.js mode) runs the fiber steps. Never hangs: probes are time-bounded. */
export async function resolveFiberBackend(options: FiberBackendOptions = {}): Promise<ResolvedFiberBackend> {
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'js' && backend !== 'gpu.js') {
    throw new Error(`backend: unknown fiber backend ${JSON.stringify(backend)} (expected 'auto', 'js' or 'gpu.js')`);
  }
  if (options.gpuMode !== undefined) checkGpuJsMode(options.gpuMode, 'gpuMode');
  if (options.synchronousOnly && options.gpuMode === 'webgpu') {
    throw new Error('gpuMode: webgpu answers asynchronously, and synchronousOnly was asked for');
  }
  if (backend === 'js') return { backend: 'js', reason: 'requested' };
  const candidates = GPU_DEVICE_MODES.filter((mode) => !(options.synchronousOnly && mode === 'webgpu'));

  if (backend === 'auto') {
    if (options.gpuMode !== undefined) {
      const probe = await probeGpuMode(options.gpuMode, options);
      return probe.answers && probe.real
        ? { backend: 'gpu.js', mode: probe.mode, reason: probe.reason }
        : { backend: 'js', reason: `gpu.js mode ${options.gpuMode} is not a real GPU here: ${probe.reason}` };
    }
    const real = await detectRealGpuMode(options, candidates);
    return real
      ? { backend: 'gpu.js', mode: real.mode, reason: real.reason }
      : { backend: 'js', reason: `no real GPU mode answers (tried ${candidates.join(', ')})` };
  }

  if (options.gpuMode !== undefined) {
    const probe = await probeGpuMode(options.gpuMode, options);
    if (!probe.answers) throw new Error(`gpuMode: gpu.js mode ${options.gpuMode} does not answer here: ${probe.reason}`);
    return { backend: 'gpu.js', mode: probe.mode, reason: probe.reason };
  }
  for (const mode of candidates) {
    const probe = await probeGpuMode(mode, options);
    if (probe.answers) return { backend: 'gpu.js', mode, reason: probe.reason };
  }
  return { backend: 'gpu.js', mode: 'cpu', reason: 'no GPU mode answers; gpu.js cpu mode' };
}
