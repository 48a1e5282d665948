/**
 * Propagation over the whole fiber, forward only or with the gradient of an
 * objective through every step under a checkpoint schedule (checkpoint/sweep.ts).
 */
import { buildSchedule, checkLoopOptions, sweepOptions, type CheckpointedLoopOptions } from '../checkpoint/schedule-choice';
import { createSweep } from '../checkpoint/sweep';
import type { SweepCounters } from '../checkpoint/types';
import type { StepBackend } from './backend';
import { controlGradient, expandControls, fiberParameters } from './controls';
import { ComplexFft } from './fft';
import { Float64Backend } from './float64';
import { runSync, settle, type Op } from './drive';
import { FiberStepHooks } from './hooks';
import { inputSpectrum, inputSpectrumVjp } from './input';
import { fiberModel, type FiberModel, type ModelOptions } from './model';
import { evaluateObjective, type ObjectiveValue } from './objective';
import { parameterGradient, parameterNeeds, type FiberParameter, type ParameterAdjoints, type ParameterNeeds } from './parameters';
import type { TimeGrid } from './grid';
import type { FiberProblem } from './problem';
import { Rk4ipStep } from './rk4ip';

/** Opens a step backend for a model; backend-choice.ts makes one from a backend name. */
export type BackendFactory = (model: FiberModel) => StepBackend<unknown, unknown>;

/** The default: float64 typed arrays. */
export const float64Backend: BackendFactory = (model) => new Float64Backend(model);

export interface SavedSpectrum {
  /** Steps taken (0 = the input). */
  readonly step: number;
  /** Distance along the fiber (m). */
  readonly z: number;
  readonly spectrum: Float64Array;
}

export interface PropagateOptions {
  /** Keep the spectra after every `saveEvery`-th step (and the input and output). */
  readonly saveEvery?: number;
  /**
   * Receives each saved spectrum instead of `saved` keeping it, so a caller that only needs a
   * reduction of it (a power spectrum, say) holds no full fields; a throw ends the propagation.
   */
  readonly onSave?: (saved: SavedSpectrum) => void;
  readonly backend?: BackendFactory;
}

export interface Propagation {
  /** Output spectra Â(L). */
  readonly spectrum: Float64Array;
  readonly saved: readonly SavedSpectrum[];
}

/** Forward propagation of input spectra (2·M·N interleaved) over the model's steps. */
export function propagate(model: FiberModel, spectrum0: Float64Array, options: PropagateOptions = {}): Propagation {
  const backend = (options.backend ?? float64Backend)(model);
  try {
    return runSync(propagation(backend, model, spectrum0, options), 'propagate');
  } finally {
    backend.dispose();
  }
}

function* propagation<F, T>(backend: StepBackend<F, T>, model: FiberModel, spectrum0: Float64Array, options: PropagateOptions): Op<Propagation> {
  const { saveEvery, onSave } = options;
  const stepper = new Rk4ipStep(backend);
  let current = backend.field();
  let next = backend.field();
  yield backend.uploadInto(current, spectrum0);
  const saved: SavedSpectrum[] = [];
  const save = function* (step: number) {
    const entry = { step, z: step * model.stepSize, spectrum: yield* settle(backend.download(current)) };
    if (onSave !== undefined) onSave(entry);
    else saved.push(entry);
  };
  if (saveEvery !== undefined) yield* save(0);
  for (let step = 1; step <= model.steps; step++) {
    yield* stepper.run(current, next);
    [current, next] = [next, current];
    if (saveEvery !== undefined && (step % saveEvery === 0 || step === model.steps)) yield* save(step);
  }
  return { spectrum: yield* settle(backend.download(current)), saved };
}

export interface GradientOptions {
  /** Schedule choice (default revolve with the default snapshot count) and sweep options. */
  readonly checkpoint?: CheckpointedLoopOptions;
  readonly backend?: BackendFactory;
}

export interface SpectrumGradientOptions extends GradientOptions {
  /** Fiber-parameter sums to accumulate over the sweep (parameters.ts); none by default. */
  readonly parameters?: ParameterNeeds;
}

export interface SpectrumGradient {
  readonly value: number;
  /** Adjoint of the input spectra (Wirtinger, see nonlinear.ts). */
  readonly spectrumAdjoint: Float64Array;
  /** The sums the options asked for (null entries otherwise). */
  readonly parameterAdjoints: ParameterAdjoints;
  readonly counters: SweepCounters;
}

/** The objective of the output spectra and its adjoint w.r.t. the input spectra (and the fiber's parameters), through all steps. */
export function propagateGradient(
  model: FiberModel,
  spectrum0: Float64Array,
  objective: (output: Float64Array) => ObjectiveValue,
  options: SpectrumGradientOptions = {},
): SpectrumGradient {
  const checkpoint = options.checkpoint ?? {};
  checkLoopOptions(checkpoint, model.steps, 'fiber gradient');
  const schedule = buildSchedule(checkpoint, model.steps);
  const hooks = new FiberStepHooks((options.backend ?? float64Backend)(model), options.parameters);
  const sweep = createSweep(hooks, spectrum0, schedule, sweepOptions(checkpoint));
  try {
    const { value, adjoint } = objective(sweep.forward());
    const spectrumAdjoint = sweep.backward(adjoint);
    return { value, spectrumAdjoint, parameterAdjoints: hooks.parameterAdjoints(), counters: { ...sweep.counters } };
  } finally {
    sweep.dispose();
    hooks.dispose();
  }
}

export interface ProblemOptions extends GradientOptions {
  readonly model?: ModelOptions;
}

export interface ProblemGradient {
  readonly value: number;
  /** d(objective)/d(control) in each control's own units, in `controls` order. */
  readonly gradient: Float64Array;
  /** The problem's controls, group paths (controls.ts) expanded to one entry per scalar. */
  readonly controls: readonly string[];
  readonly counters: SweepCounters;
}

function setUp(problem: FiberProblem, options: { readonly model?: ModelOptions }): { model: FiberModel; fft: ComplexFft; spectrum0: Float64Array } {
  const model = fiberModel(problem.grid, problem.fiber, options.model);
  const fft = new ComplexFft(model.grid.points);
  return { model, fft, spectrum0: inputSpectrum(problem.pulse, model.grid, fft) };
}

export interface SimulateOptions extends PropagateOptions {
  readonly model?: ModelOptions;
}

export interface ProblemSimulation {
  /** The problem's objective. */
  readonly value: number;
  /** Input spectra Â(0), 2·M·N interleaved. */
  readonly input: Float64Array;
  /** Output spectra Â(L). */
  readonly output: Float64Array;
  /** With saveEvery and no onSave: the input, every saveEvery-th step and the output. */
  readonly saved: readonly SavedSpectrum[];
  readonly grid: TimeGrid;
}

/** Forward propagation of the problem's pulse and its objective. */
export function simulateProblem(problem: FiberProblem, options: SimulateOptions = {}): ProblemSimulation {
  const { model, spectrum0 } = setUp(problem, options);
  const { spectrum, saved } = propagate(model, spectrum0, options);
  const value = evaluateObjective(problem.objective, spectrum, model.grid).value;
  return { value, input: spectrum0, output: spectrum, saved, grid: model.grid };
}

/** The problem's objective (forward only). */
export function problemValue(problem: FiberProblem, options: ProblemOptions = {}): number {
  return simulateProblem(problem, { backend: options.backend, model: options.model }).value;
}

/** The problem's objective and its gradient w.r.t. the problem's controls. */
export function problemGradient(problem: FiberProblem, options: ProblemOptions = {}): ProblemGradient {
  const { model, fft, spectrum0 } = setUp(problem, options);
  const { fiber, controls } = problem;
  const parameters = parameterNeeds(fiberParameters(controls, fiber));
  const result = propagateGradient(model, spectrum0, (output) => evaluateObjective(problem.objective, output, model.grid), { ...options, parameters });
  const pulseGradient = inputSpectrumVjp(problem.pulse, model.grid, fft, result.spectrumAdjoint);
  const fiberGradient = (parameter: FiberParameter) => parameterGradient(parameter, fiber, model, result.parameterAdjoints);
  return {
    value: result.value,
    gradient: controlGradient(pulseGradient, controls, fiber, fiberGradient),
    controls: expandControls(controls, fiber),
    counters: result.counters,
  };
}
