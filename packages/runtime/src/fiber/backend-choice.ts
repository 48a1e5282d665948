/**
 * The asynchronous entry that turns a backend name into a ready StepBackend factory.
 * Choosing probes gpu.js modes, and a probe may answer with a Promise (a WebGPU
 * adapter), so a caller resolves once, before running, then hands `factory` to the
 * synchronous solvers (simulate.ts).
 */
import { resolveFiberBackend, type FiberBackendName } from './gpu/select';
import type { GpuJsMode } from './gpu/modes';
import { gpuJsBackend } from './gpu/step-backend';
import { float64Backend, type BackendFactory } from './simulate';

export interface BackendChoice {
  /** 'auto' (default): gpu.js only when a real GPU mode (headlessgl, webgl2) answers, else 'js' (float64). */
  readonly backend?: FiberBackendName;
  /** gpu.js mode: for 'gpu.js' the mode to run, for 'auto' the only mode to consider. */
  readonly gpuMode?: GpuJsMode;
  /** Longest wait for one probe (ms). */
  readonly timeoutMs?: number;
}

export interface ReadyBackend {
  readonly backend: 'js' | 'gpu.js';
  /** The gpu.js mode, for backend 'gpu.js'. */
  readonly mode?: GpuJsMode;
  /** Why this backend was chosen. */
  readonly reason: string;
  /** What the solvers' `backend` option takes. */
  readonly factory: BackendFactory;
}

/** Resolves a backend choice; a bad name or an unusable mode is an error naming `backend` or `gpuMode`. */
export async function resolveBackend(choice: BackendChoice = {}): Promise<ReadyBackend> {
  // The checkpoint sweep drives steps synchronously, so webgpu (Promise-answering kernels) is left out.
  const resolved = await resolveFiberBackend({ ...choice, synchronousOnly: true });
  return resolved.backend === 'js'
    ? { ...resolved, factory: float64Backend }
    : { ...resolved, factory: gpuJsBackend({ mode: resolved.mode }) };
}

/** One line naming the backend and why it was chosen. */
export function describeBackend(ready: ReadyBackend): string {
  const name = ready.backend === 'js' ? 'js (float64)' : `gpu.js (${ready.mode} mode, float32)`;
  return `backend: ${name}: ${ready.reason}`;
}
