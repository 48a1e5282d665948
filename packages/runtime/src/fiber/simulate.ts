/**
 * Propagation over the whole fiber, forward only or with the gradient of an
 * objective through every step under a checkpoint schedule (checkpoint/sweep.ts).
 */
import { buildSchedule, checkLoopOptions, sweepOptions, type CheckpointedLoopOptions } from '../checkpoint/schedule-choice';
import { createSweep } from '../checkpoint/sweep';
import type { SweepCounters } from '../checkpoint/types';
import type { Schedule } from '../schedules/actions';
import type { StepBackend } from './backend';
import { controlGradient, expandControls, fiberParameters } from './controls';
import { ComplexFft } from './fft';
import { Float64Backend } from './float64';
import { runAsync, runSync, settle, type Answer, type Op } from '../drive/index';
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

/** For the async gradients: a backend that may open asynchronously (gpu.js webgpu mode). */
export type AsyncBackendFactory = (model: FiberModel) => Answer<StepBackend<unknown, unknown>>;

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

/** Forward propagation of input spectra (2·M·N interleaved) over the model's steps (synchronous backends; see propagateAsync). */
export function propagate(model: FiberModel, spectrum0: Float64Array, options: PropagateOptions = {}): Propagation {
  const backend = (options.backend ?? float64Backend)(model);
  try {
    return runSync(propagation(backend, model, spectrum0, options), 'propagate', 'propagateAsync');
  } finally {
    backend.dispose();
  }
}

export interface AsyncPropagateOptions extends Omit<PropagateOptions, 'backend'> {
  readonly backend?: AsyncBackendFactory;
}

/** propagate over any backend, awaiting the operations of one that answers asynchronously. */
export async function propagateAsync(model: FiberModel, spectrum0: Float64Array, options: AsyncPropagateOptions = {}): Promise<Propagation> {
  const backend = await (options.backend ?? float64Backend)(model);
  try {
    return await runAsync(propagation(backend, model, spectrum0, options));
  } finally {
    backend.dispose();
  }
}

function* propagation<F, T>(backend: StepBackend<F, T>, model: FiberModel, spectrum0: Float64Array, options: Pick<PropagateOptions, 'saveEvery' | 'onSave'>): Op<Propagation> {
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

export interface AsyncSpectrumGradientOptions extends Omit<SpectrumGradientOptions, 'backend'> {
  readonly backend?: AsyncBackendFactory;
}

/**
 * The objective of the output spectra and its adjoint w.r.t. the input spectra (and the fiber's parameters), through all steps.
 * Synchronous backends only: one answering asynchronously needs propagateGradientAsync.
 */
export function propagateGradient(
  model: FiberModel,
  spectrum0: Float64Array,
  objective: (output: Float64Array) => ObjectiveValue,
  options: SpectrumGradientOptions = {},
): SpectrumGradient {
  const schedule = gradientSchedule(model, options);
  const backend = (options.backend ?? float64Backend)(model);
  if (backend.asynchronous === true) {
    backend.dispose();
    throw new Error('fiber gradient: this step backend answers asynchronously (gpu.js webgpu mode); use propagateGradientAsync or problemGradientAsync');
  }
  const { hooks, sweep } = gradientSweep(backend, spectrum0, schedule, options);
  try {
    const { value, adjoint } = objective(sweep.forward());
    const spectrumAdjoint = sweep.backward(adjoint);
    return { value, spectrumAdjoint, parameterAdjoints: hooks.parameterAdjoints(), counters: { ...sweep.counters } };
  } finally {
    sweep.dispose();
    hooks.dispose();
  }
}

/** propagateGradient over any backend, awaiting the steps of one that answers asynchronously. */
export async function propagateGradientAsync(
  model: FiberModel,
  spectrum0: Float64Array,
  objective: (output: Float64Array) => ObjectiveValue,
  options: AsyncSpectrumGradientOptions = {},
): Promise<SpectrumGradient> {
  const schedule = gradientSchedule(model, options);
  const { hooks, sweep } = gradientSweep(await (options.backend ?? float64Backend)(model), spectrum0, schedule, options);
  try {
    const { value, adjoint } = objective(await sweep.forwardAsync());
    const spectrumAdjoint = await sweep.backwardAsync(adjoint);
    return { value, spectrumAdjoint, parameterAdjoints: await hooks.parameterAdjointsAsync(), counters: { ...sweep.counters } };
  } finally {
    sweep.dispose();
    hooks.dispose();
  }
}

function gradientSchedule(model: FiberModel, options: { readonly checkpoint?: CheckpointedLoopOptions }): Schedule {
  const checkpoint = options.checkpoint ?? {};
  checkLoopOptions(checkpoint, model.steps, 'fiber gradient');
  return buildSchedule(checkpoint, model.steps);
}

/** The step hooks over `backend` (which they own) and their sweep; the hooks are released if the sweep cannot be made. */
function gradientSweep<F, T>(
  backend: StepBackend<F, T>,
  spectrum0: Float64Array,
  schedule: Schedule,
  options: Pick<SpectrumGradientOptions, 'checkpoint' | 'parameters'>,
) {
  const hooks = new FiberStepHooks(backend, options.parameters);
  try {
    return { hooks, sweep: createSweep(hooks, spectrum0, schedule, sweepOptions(options.checkpoint ?? {})) };
  } catch (error) {
    hooks.dispose();
    throw error;
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

/** Forward propagation of the problem's pulse and its objective (synchronous backends; see simulateProblemAsync). */
export function simulateProblem(problem: FiberProblem, options: SimulateOptions = {}): ProblemSimulation {
  const { model, spectrum0 } = setUp(problem, options);
  return simulation(problem, model, spectrum0, propagate(model, spectrum0, options));
}

export interface AsyncSimulateOptions extends AsyncPropagateOptions {
  readonly model?: ModelOptions;
}

/** simulateProblem over any backend, awaiting the operations of one that answers asynchronously. */
export async function simulateProblemAsync(problem: FiberProblem, options: AsyncSimulateOptions = {}): Promise<ProblemSimulation> {
  const { model, spectrum0 } = setUp(problem, options);
  return simulation(problem, model, spectrum0, await propagateAsync(model, spectrum0, options));
}

function simulation(problem: FiberProblem, model: FiberModel, spectrum0: Float64Array, { spectrum, saved }: Propagation): ProblemSimulation {
  const value = evaluateObjective(problem.objective, spectrum, model.grid).value;
  return { value, input: spectrum0, output: spectrum, saved, grid: model.grid };
}

/** The problem's objective (forward only). */
export function problemValue(problem: FiberProblem, options: ProblemOptions = {}): number {
  return simulateProblem(problem, { backend: options.backend, model: options.model }).value;
}

/** The problem's objective and its gradient w.r.t. the problem's controls (synchronous backends only; see problemGradientAsync). */
export function problemGradient(problem: FiberProblem, options: ProblemOptions = {}): ProblemGradient {
  const { model, fft, spectrum0, objective, parameters } = gradientSetUp(problem, options);
  return controlsGradient(problem, model, fft, propagateGradient(model, spectrum0, objective, { ...options, parameters }));
}

export interface AsyncProblemOptions extends Omit<ProblemOptions, 'backend'> {
  readonly backend?: AsyncBackendFactory;
}

/** problemGradient over any backend, awaiting the steps of one that answers asynchronously. */
export async function problemGradientAsync(problem: FiberProblem, options: AsyncProblemOptions = {}): Promise<ProblemGradient> {
  const { model, fft, spectrum0, objective, parameters } = gradientSetUp(problem, options);
  return controlsGradient(problem, model, fft, await propagateGradientAsync(model, spectrum0, objective, { ...options, parameters }));
}

/** setUp, plus the objective of the output spectra and the parameter sums the controls need. */
function gradientSetUp(problem: FiberProblem, options: { readonly model?: ModelOptions }) {
  const { model, fft, spectrum0 } = setUp(problem, options);
  return {
    model,
    fft,
    spectrum0,
    objective: (output: Float64Array) => evaluateObjective(problem.objective, output, model.grid),
    parameters: parameterNeeds(fiberParameters(problem.controls, problem.fiber)),
  };
}

/** The controls' gradient from the adjoint of the input spectra and the parameter sums. */
function controlsGradient(problem: FiberProblem, model: FiberModel, fft: ComplexFft, result: SpectrumGradient): ProblemGradient {
  const { fiber, controls } = problem;
  const pulseGradient = inputSpectrumVjp(problem.pulse, model.grid, fft, result.spectrumAdjoint);
  const fiberGradient = (parameter: FiberParameter) => parameterGradient(parameter, fiber, model, result.parameterAdjoints);
  return {
    value: result.value,
    gradient: controlGradient(pulseGradient, controls, fiber, fiberGradient),
    controls: expandControls(controls, fiber),
    counters: result.counters,
  };
}
