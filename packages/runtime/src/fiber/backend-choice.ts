/**
 * The asynchronous entry that turns a backend name into a ready StepBackend factory.
 * Choosing probes gpu.js modes, and a probe may answer with a Promise (a WebGPU
 * adapter), so a caller resolves once, before running, then hands `factory` to the
 * synchronous solvers or `open` to the async ones (simulate.ts). webgpu is considered
 * only when the caller says it runs the async solvers (synchronousOnly: false).
 */
import { resolveFiberBackend, type FiberBackendName } from './gpu/select';
import type { GpuJsMode } from './gpu/modes';
import { gpuJsBackend, GpuJsStepBackend } from './gpu/step-backend';
import { float64Backend, type AsyncBackendFactory, type BackendFactory } from './simulate';

export interface BackendChoice {
  /** 'auto' (default): gpu.js only when a real GPU mode (headlessgl, webgl2) answers, else 'js' (float64). */
  readonly backend?: FiberBackendName;
  /** gpu.js mode: for 'gpu.js' the mode to run, for 'auto' the only mode to consider. */
  readonly gpuMode?: GpuJsMode;
  /** Longest wait for one probe (ms). */
  readonly timeoutMs?: number;
  /**
   * Default true: leave out webgpu, whose kernels answer with Promises, for a caller of the
   * synchronous solvers. false for one that runs the async solvers (problemGradientAsync, simulateProblemAsync).
   */
  readonly synchronousOnly?: boolean;
}

export interface ReadyBackend {
  readonly backend: 'js' | 'gpu.js';
  /** The gpu.js mode, for backend 'gpu.js'. */
  readonly mode?: GpuJsMode;
  /** Why this backend was chosen. */
  readonly reason: string;
  /** True for gpu.js webgpu mode: only the async solvers can run it. */
  readonly asynchronous: boolean;
  /** What the synchronous solvers' `backend` option takes (an asynchronous mode's refuses with an error naming GpuJsStepBackend.open). */
  readonly factory: BackendFactory;
  /** What the async solvers' `backend` option takes: opens any mode. */
  readonly open: AsyncBackendFactory;
}

/** Resolves a backend choice; a bad name or an unusable mode is an error naming `backend` or `gpuMode`. */
export async function resolveBackend(choice: BackendChoice = {}): Promise<ReadyBackend> {
  const resolved = await resolveFiberBackend({ ...choice, synchronousOnly: choice.synchronousOnly ?? true });
  if (resolved.backend === 'js') return { ...resolved, asynchronous: false, factory: float64Backend, open: float64Backend };
  const { mode } = resolved;
  return { ...resolved, asynchronous: mode === 'webgpu', factory: gpuJsBackend({ mode }), open: (model) => GpuJsStepBackend.open(model, { mode }) };
}

/** One line naming the backend and why it was chosen. */
export function describeBackend(ready: ReadyBackend): string {
  const name = ready.backend === 'js' ? 'js (float64)' : `gpu.js (${ready.mode} mode, float32)`;
  return `backend: ${name}: ${ready.reason}`;
}
