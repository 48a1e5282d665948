/**
 * The one place the fiber example calls the runtime's fiber physics
 * (@adjoint/runtime/fiber/*). Everything else in src/fiber goes through here, so a
 * change of the physics API touches this file only.
 */
import { buildSchedule, checkLoopOptions, type CheckpointedLoopOptions } from '@adjoint/runtime/checkpoint/schedule-choice';
import type { SweepCounters } from '@adjoint/runtime/checkpoint/types';
import { expandControls, readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { ComplexFft, transformModes } from '@adjoint/runtime/fiber/fft';
import type { TimeGrid } from '@adjoint/runtime/fiber/grid';
import { gpuJsBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { GPU_JS_MODES, type GpuJsMode } from '@adjoint/runtime/fiber/gpu/modes';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { FWHM_PER_T0, inputSpectrum } from '@adjoint/runtime/fiber/input';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import { evaluateObjective } from '@adjoint/runtime/fiber/objective';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, propagate, type BackendFactory } from '@adjoint/runtime/fiber/simulate';

export { ConfigError, readObject } from '@adjoint/runtime/fiber/validate';
export type { FiberProblem, SweepCounters, TimeGrid };
export { parseProblem, expandControls, readControls, withControls, FWHM_PER_T0, grinFiber };

/** Step backends: 'js' is the float64 typed-array reference; 'gpu.js' runs the steps as gpu.js kernels (float32). */
export const BACKENDS = ['js', 'gpu.js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** gpu.js modes the synchronous step interface can drive (webgpu answers asynchronously). */
export const GPU_MODES = GPU_JS_MODES.filter((mode) => mode !== 'webgpu');
export type GpuMode = Exclude<GpuJsMode, 'webgpu'>;

export interface BackendChoice {
  /** Default 'js'. */
  readonly backend?: BackendName;
  /** For 'gpu.js': default 'cpu' (gpu.js's JavaScript mode). */
  readonly gpuMode?: GpuMode;
}

/** undefined: the runtime's default, the float64 backend. */
function backendFactory(choice: BackendChoice): BackendFactory | undefined {
  if (choice.gpuMode !== undefined && choice.backend !== 'gpu.js') throw new Error(`gpuMode applies to the gpu.js backend only, not to ${choice.backend ?? 'js'}`);
  return choice.backend === 'gpu.js' ? gpuJsBackend({ mode: choice.gpuMode }) : undefined;
}

export interface CheckpointChoice {
  /** A schedule name known to the runtime (default revolve). */
  readonly schedule?: string;
  /** Stored states, counting the initial one (default: the runtime's choice for the step count). */
  readonly snapshots?: number;
}

export interface GradientOptions extends CheckpointChoice, BackendChoice {
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
    backend: backendFactory(options),
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

export interface SimulateOptions extends BackendChoice {
  /** About this many evenly spaced spectra along z (plus the input). Default 5. */
  readonly numSave?: number;
}

/** Forward propagation keeping the spectra along the fiber. */
export function simulate(problem: FiberProblem, options: SimulateOptions = {}): Simulation {
  const model = fiberModel(problem.grid, problem.fiber);
  const fft = new ComplexFft(model.grid.points);
  const input = inputSpectrum(problem.pulse, model.grid, fft);
  const saveEvery = Math.max(1, Math.ceil(model.steps / (options.numSave ?? 5)));
  const propagation = propagate(model, input, { saveEvery, backend: backendFactory(options) });
  const diverged = propagation.saved.find((s) => !s.spectrum.every(Number.isFinite)) ?? (propagation.spectrum.every(Number.isFinite) ? undefined : { z: problem.fiber.lengthM });
  if (diverged !== undefined) {
    throw new Error(`the propagation diverged: the fields are not finite by z = ${diverged.z} m; use more fiber.steps than ${problem.fiber.steps}`);
  }
  return {
    loss: evaluateObjective(problem.objective, propagation.spectrum, model.grid).value,
    grid: model.grid,
    modes: model.modes,
    input,
    output: propagation.spectrum,
    evolution: propagation.saved.map(({ z, spectrum }) => ({ z, spectrum })),
  };
}

/** Time-domain fields A_p(t_j) (√W) of spectra, same layout. */
export function timeFields(spectrum: Float64Array, points: number): Float64Array {
  const fields = new Float64Array(spectrum.length);
  transformModes(new ComplexFft(points), 'negative', spectrum, fields);
  return fields;
}
