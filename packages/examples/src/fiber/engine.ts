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
import { problemGradient, problemGradientAsync, simulateProblem, simulateProblemAsync, type ProblemGradient, type ProblemSimulation } from '@adjoint/runtime/fiber/simulate';
import { EvolutionRecorder, type Evolution } from './evolution';

export { ConfigError, readObject } from '@adjoint/runtime/fiber/validate';
export type { FiberProblem, ReadyBackend, SweepCounters, TimeGrid };
export { parseProblem, expandControls, readControls, withControls, FWHM_PER_T0, grinFiber, describeBackend };

/**
 * Step backends: 'auto' takes gpu.js only where a real GPU mode answers, else 'js', the float64
 * typed-array reference; 'gpu.js' runs the steps as gpu.js kernels (float32). A backend that
 * answers asynchronously (webgpu) runs through the *Async functions below only.
 */
export const BACKENDS = ['auto', 'js', 'gpu.js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** gpu.js modes the synchronous step interface can drive (webgpu answers asynchronously). */
export const GPU_MODES = SYNCHRONOUS_GPU_JS_MODES;
export type GpuMode = (typeof GPU_MODES)[number];

interface BackendChoice {
  /** Default 'auto'. */
  readonly backend?: BackendName;
  /** For 'gpu.js': the mode (default: the first GPU mode that answers, else 'cpu'); for 'auto': the one mode to consider. */
  readonly gpuMode?: GpuMode;
  /**
   * Default true: 'auto' leaves out webgpu, for a caller of the synchronous functions
   * (evaluateGradient, simulate, the optimizer). false lets 'auto' take webgpu where it answers;
   * such a backend (ReadyBackend.asynchronous) needs evaluateGradientAsync and simulateAsync.
   */
  readonly synchronousOnly?: boolean;
}

/** Chooses the backend once, before running; errors name `backend` or `gpuMode`. */
export function chooseBackend(choice: BackendChoice): Promise<ReadyBackend> {
  return resolveBackend({ backend: choice.backend ?? 'auto', gpuMode: choice.gpuMode, synchronousOnly: choice.synchronousOnly });
}

interface OnBackend {
  /** A backend from chooseBackend(); default the float64 one. */
  readonly backend?: ReadyBackend;
}

interface CheckpointChoice {
  /** A schedule name known to the runtime (default revolve). */
  readonly schedule?: string;
  /** Stored states, counting the initial one (default: the runtime's choice for the step count). */
  readonly snapshots?: number;
}

interface GradientOptions extends CheckpointChoice, OnBackend {
  /** Called after every step evaluation of the sweep. */
  readonly onProgress?: (progress: { phase: 'forward' | 'reverse'; done: number; total: number | undefined }) => void;
}

interface GradientResult {
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

/** The objective and its gradient w.r.t. the problem's controls, through every step under the chosen schedule (synchronous backends). */
export function evaluateGradient(problem: FiberProblem, options: GradientOptions = {}): GradientResult {
  return gradientResult(problemGradient(problem, { backend: options.backend?.factory, checkpoint: checkpointOptions(options) }));
}

/** evaluateGradient on any backend, awaiting the steps of one that answers asynchronously (webgpu). */
export async function evaluateGradientAsync(problem: FiberProblem, options: GradientOptions = {}): Promise<GradientResult> {
  return gradientResult(await problemGradientAsync(problem, { backend: options.backend?.open, checkpoint: checkpointOptions(options) }));
}

function checkpointOptions(options: GradientOptions): CheckpointedLoopOptions {
  return { schedule: options.schedule, snapshots: options.snapshots, onProgress: options.onProgress } as CheckpointedLoopOptions;
}

function gradientResult(result: ProblemGradient): GradientResult {
  return { loss: result.value, grad: result.gradient, controls: result.controls, counters: result.counters };
}

export interface Simulation {
  readonly loss: number;
  readonly grid: TimeGrid;
  readonly modes: number;
  readonly input: Float64Array;
  readonly output: Float64Array;
  /** Mode-summed spectra and intensities at the input, the saved positions along the fiber, and the output. */
  readonly evolution: Evolution;
}

/** Positions along z kept for the evolution maps when the caller does not say. */
const DEFAULT_EVOLUTION_POSITIONS = 100;

interface SimulateOptions extends OnBackend {
  /** About this many evenly spaced positions along z (plus the input) for the evolution maps. Default 100. */
  readonly evolutionSpectra?: number;
}

/** Forward propagation, reducing the fields at each saved position to what the evolution maps show (evolution.ts); synchronous backends. */
export function simulate(problem: FiberProblem, options: SimulateOptions = {}): Simulation {
  const evolution = evolutionRecording(problem, options);
  return evolution.finish(simulateProblem(problem, { ...evolution.saving, backend: options.backend?.factory }));
}

/** simulate on any backend, awaiting the steps of one that answers asynchronously (webgpu). */
export async function simulateAsync(problem: FiberProblem, options: SimulateOptions = {}): Promise<Simulation> {
  const evolution = evolutionRecording(problem, options);
  return evolution.finish(await simulateProblemAsync(problem, { ...evolution.saving, backend: options.backend?.open }));
}

/** What a forward run saves for the evolution maps, and the Simulation made of the run. */
function evolutionRecording(problem: FiberProblem, options: SimulateOptions) {
  const { points } = problem.grid;
  const saveEvery = Math.max(1, Math.ceil(problem.fiber.steps / (options.evolutionSpectra ?? DEFAULT_EVOLUTION_POSITIONS)));
  const fft = new ComplexFft(points);
  const recorder = new EvolutionRecorder(points, (spectrum, field) => fft.negative(spectrum, field));
  const saving = {
    saveEvery,
    onSave: ({ z, spectrum }: { z: number; spectrum: Float64Array }) => {
      if (!spectrum.every(Number.isFinite)) {
        throw new Error(`the propagation diverged: the fields are not finite by z = ${z} m; use more fiber.steps than ${problem.fiber.steps}`);
      }
      recorder.record(z, spectrum);
    },
  };
  const finish = (run: ProblemSimulation): Simulation => ({
    loss: run.value,
    grid: run.grid,
    modes: problem.fiber.modes.length,
    input: run.input,
    output: run.output,
    evolution: recorder.finish(),
  });
  return { saving, finish };
}

/** Time-domain fields A_p(t_j) (√W) of spectra, same layout. */
export function timeFields(spectrum: Float64Array, points: number): Float64Array {
  const fields = new Float64Array(spectrum.length);
  transformModes(new ComplexFft(points), 'negative', spectrum, fields);
  return fields;
}
