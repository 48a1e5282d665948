/**
 * The one place the fiber example calls the runtime's fiber physics
 * (@adjoint/runtime/fiber/*). Everything else in src/fiber goes through here, so a
 * change of the physics API touches this file only.
 */
import { buildSchedule, checkLoopOptions, type CheckpointedLoopOptions } from '@adjoint/runtime/checkpoint/schedule-choice';
import type { SweepCounters } from '@adjoint/runtime/checkpoint/types';
import { describeBackend, resolveBackend, type ReadyBackend } from '@adjoint/runtime/fiber/backend-choice';
import { expandControls, readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { ComplexFft, transformModes } from '@adjoint/runtime/fiber/fft';
import type { TimeGrid } from '@adjoint/runtime/fiber/grid';
import { SYNCHRONOUS_GPU_JS_MODES } from '@adjoint/runtime/fiber/gpu/modes';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { FWHM_PER_T0 } from '@adjoint/runtime/fiber/input';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, simulateProblem } from '@adjoint/runtime/fiber/simulate';

export { ConfigError, readObject } from '@adjoint/runtime/fiber/validate';
export type { FiberProblem, ReadyBackend, SweepCounters, TimeGrid };
export { parseProblem, expandControls, readControls, withControls, FWHM_PER_T0, grinFiber, describeBackend };

/**
 * Step backends: 'auto' takes gpu.js only where a real GPU mode answers, else 'js', the float64
 * typed-array reference; 'gpu.js' runs the steps as gpu.js kernels (float32).
 */
export const BACKENDS = ['auto', 'js', 'gpu.js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** gpu.js modes the synchronous step interface can drive (webgpu answers asynchronously). */
export const GPU_MODES = SYNCHRONOUS_GPU_JS_MODES;
export type GpuMode = (typeof GPU_MODES)[number];

export interface BackendChoice {
  /** Default 'auto'. */
  readonly backend?: BackendName;
  /** For 'gpu.js': the mode (default: the first GPU mode that answers, else 'cpu'); for 'auto': the one mode to consider. */
  readonly gpuMode?: GpuMode;
}

/** Chooses the backend once, before running; errors name `backend` or `gpuMode`. */
export function chooseBackend(choice: BackendChoice): Promise<ReadyBackend> {
  return resolveBackend({ backend: choice.backend ?? 'auto', gpuMode: choice.gpuMode });
}

export interface OnBackend {
  /** A backend from chooseBackend(); default the float64 one. */
  readonly backend?: ReadyBackend;
}

export interface CheckpointChoice {
  /** A schedule name known to the runtime (default revolve). */
  readonly schedule?: string;
  /** Stored states, counting the initial one (default: the runtime's choice for the step count). */
  readonly snapshots?: number;
}

export interface GradientOptions extends CheckpointChoice, OnBackend {
  /** Called after every step evaluation of the sweep. */
  readonly onProgress?: (progress: { phase: 'forward' | 'reverse'; done: number; total: number | undefined }) => void;
}

export interface GradientResult {
  /** The problem's objective. */
  readonly loss: number;
  /** d(objective)/d(control) in each control's own units, in `controls` order. */
  readonly grad: Float64Array;
  /** The problem's controls, "pulse.modeCoefficients" expanded to one entry per mode. */
  readonly controls: readonly string[];
  readonly counters: SweepCounters;
}

/** Throws the runtime's own error when the schedule or snapshot count is unusable for this problem. */
export function checkCheckpointChoice(problem: FiberProblem, choice: CheckpointChoice): void {
  const options = { schedule: choice.schedule, snapshots: choice.snapshots } as CheckpointedLoopOptions;
  checkLoopOptions(options, problem.fiber.steps, 'checkpointing');
  buildSchedule(options, problem.fiber.steps);
}

/** The objective and its gradient w.r.t. the problem's controls, through every step under the chosen schedule. */
export function evaluateGradient(problem: FiberProblem, options: GradientOptions = {}): GradientResult {
  const result = problemGradient(problem, {
    backend: options.backend?.factory,
    checkpoint: { schedule: options.schedule, snapshots: options.snapshots, onProgress: options.onProgress } as CheckpointedLoopOptions,
  });
  return { loss: result.value, grad: result.gradient, controls: result.controls, counters: result.counters };
}

export interface FieldSnapshot {
  /** Distance along the fiber (m). */
  readonly z: number;
  /** Spectra Â_p(Omega_k), interleaved (re, im), mode-major, fftfreq order. */
  readonly spectrum: Float64Array;
}

export interface Simulation {
  readonly loss: number;
  readonly grid: TimeGrid;
  readonly modes: number;
  readonly input: Float64Array;
  readonly output: Float64Array;
  /** The input, every saved position along the fiber, and the output. */
  readonly evolution: readonly FieldSnapshot[];
}

export interface SimulateOptions extends OnBackend {
  /** About this many evenly spaced spectra along z (plus the input). Default 5. */
  readonly evolutionSpectra?: number;
}

/** Forward propagation keeping the spectra along the fiber. */
export function simulate(problem: FiberProblem, options: SimulateOptions = {}): Simulation {
  const saveEvery = Math.max(1, Math.ceil(problem.fiber.steps / (options.evolutionSpectra ?? 5)));
  const run = simulateProblem(problem, { saveEvery, backend: options.backend?.factory });
  const diverged = run.saved.find((s) => !s.spectrum.every(Number.isFinite));
  if (diverged !== undefined) {
    throw new Error(`the propagation diverged: the fields are not finite by z = ${diverged.z} m; use more fiber.steps than ${problem.fiber.steps}`);
  }
  return {
    loss: run.value,
    grid: run.grid,
    modes: problem.fiber.modes.length,
    input: run.input,
    output: run.output,
    evolution: run.saved.map(({ z, spectrum }) => ({ z, spectrum })),
  };
}

/** Time-domain fields A_p(t_j) (√W) of spectra, same layout. */
export function timeFields(spectrum: Float64Array, points: number): Float64Array {
  const fields = new Float64Array(spectrum.length);
  transformModes(new ComplexFft(points), 'negative', spectrum, fields);
  return fields;
}
