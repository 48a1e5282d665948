/**
 * Optimizes a problem's controls: each loss evaluation is a forward and adjoint
 * propagation through the whole fiber under a checkpoint schedule (engine.ts), the
 * optimizers (optimize/) see scaled unitless variables (optimize/scaling.ts), and
 * the result is the best problem evaluated, never an unevaluated last step.
 *
 * Direction: bandEnergyFraction is maximized, targetSpectrum minimized; "loss" in
 * every report is the problem's objective value itself.
 */
import { performance } from 'node:perf_hooks';
import { createMemoryMonitors, type MemoryMonitoringConfig } from '@adjoint/runtime/memory/index';
import { checkCheckpointChoice, ConfigError, evaluateGradient, expandControls, parseProblem, readControls, readObject, withControls } from './engine';
import type { FiberProblem, ReadyBackend, SweepCounters } from './engine';
import { adam } from './optimize/adam';
import { lbfgs } from './optimize/lbfgs';
import { controlScaling } from './optimize/scaling';
import type { Objective } from './optimize/types';

export const OPTIMIZERS = ['adam', 'lbfgs'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface FiberOptimizerConfig extends MemoryMonitoringConfig {
  /** Default 'adam'. */
  optimizer?: OptimizerName;
  /** Loss evaluations (each a full forward + adjoint propagation), L-BFGS line-search trials included. Default 20. */
  iterations?: number;
  /** Adam's step in scaled units (default 0.05); for L-BFGS the largest first trial step (default 0.5). */
  learningRate?: number;
  /** Checkpoint schedule name (default revolve) and stored states. */
  schedule?: string;
  snapshots?: number;
  /** A backend from engine.chooseBackend() (choosing one is asynchronous); default the float64 one. */
  backend?: ReadyBackend;
}

const CONFIG_KEYS = ['optimizer', 'iterations', 'learningRate', 'schedule', 'snapshots', 'backend', 'enableMemoryMonitoring', 'memoryMonitorBatches'];

interface EvaluationReport {
  /** 0-based loss evaluation index. */
  readonly index: number;
  /** The problem's objective. */
  readonly loss: number;
  /** Control values, in `controls` order. */
  readonly values: Float64Array;
  /** d(objective)/d(control) in the controls' own units. */
  readonly grad: Float64Array;
  readonly counters: SweepCounters;
  readonly seconds: number;
}

interface OptimizerHooks {
  /** Human-readable lines: per-evaluation loss, memory lines (default console.log). */
  log?: (line: string) => void;
  onEvaluation?: (report: EvaluationReport) => void;
  /** Progress within the run: evaluations done plus the fraction of the current one, over the budget. */
  onProgress?: (done: number, total: number) => void;
}

export interface FiberOptimizeResult {
  readonly initial: FiberProblem;
  /** The problem at the best controls evaluated. */
  readonly problem: FiberProblem;
  readonly controls: readonly string[];
  readonly direction: 'maximize' | 'minimize';
  readonly initialLoss: number;
  readonly loss: number;
  /** Every loss evaluation, in order. */
  readonly history: readonly EvaluationReport[];
  /** The evaluation of `problem`. */
  readonly best: EvaluationReport;
  readonly stopReason: string;
  /** Step evaluations over all loss evaluations. */
  readonly totalStepCalls: number;
  readonly seconds: number;
}

export function directionOf(problem: FiberProblem): 'maximize' | 'minimize' {
  return problem.objective.kind === 'bandEnergyFraction' ? 'maximize' : 'minimize';
}

function positiveInteger(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new ConfigError(key, `must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function choice<C extends string>(value: unknown, key: string, choices: readonly C[]): C {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(key, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as C;
}

interface ResolvedConfig extends MemoryMonitoringConfig {
  readonly optimizer: OptimizerName;
  readonly iterations: number;
  readonly learningRate: number;
  readonly schedule: string | undefined;
  readonly snapshots: number | undefined;
  readonly backend: ReadyBackend | undefined;
}

/** The config with defaults filled in; every bad key is a ConfigError naming it. */
export function resolveConfig(config: FiberOptimizerConfig): ResolvedConfig {
  readObject(config, 'config', CONFIG_KEYS);
  const optimizer = config.optimizer === undefined ? 'adam' : choice(config.optimizer, 'config.optimizer', OPTIMIZERS);
  const learningRate = config.learningRate ?? (optimizer === 'adam' ? 0.05 : 0.5);
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
    throw new ConfigError('config.learningRate', `must be a positive number, got ${JSON.stringify(learningRate)}`);
  }
  if (config.backend !== undefined && typeof (config.backend as Partial<ReadyBackend>)?.factory !== 'function') {
    throw new ConfigError('config.backend', `must be a backend from chooseBackend() (await chooseBackend({ backend: 'gpu.js' })), got ${JSON.stringify(config.backend)}`);
  }
  if (config.schedule !== undefined && typeof config.schedule !== 'string') throw new ConfigError('config.schedule', `must be a schedule name, got ${JSON.stringify(config.schedule)}`);
  if (config.schedule === 'store-all' && config.snapshots !== undefined) throw new ConfigError('config.snapshots', 'does not apply to schedule "store-all", which stores every state');
  return {
    optimizer,
    iterations: config.iterations === undefined ? 20 : positiveInteger(config.iterations, 'config.iterations'),
    learningRate,
    schedule: config.schedule,
    snapshots: config.snapshots === undefined ? undefined : positiveInteger(config.snapshots, 'config.snapshots'),
    backend: config.backend,
    enableMemoryMonitoring: config.enableMemoryMonitoring,
    memoryMonitorBatches: config.memoryMonitorBatches,
  };
}

export function optimizeProblem(input: FiberProblem, config: FiberOptimizerConfig = {}, hooks: OptimizerHooks = {}): FiberOptimizeResult {
  const problem = parseProblem(input);
  const settings = resolveConfig(config);
  const log = hooks.log ?? ((line: string) => console.log(line));
  const monitors = createMemoryMonitors(settings, { unit: 'Loss evaluation', sink: log });
  if (problem.controls.length === 0) throw new ConfigError('controls', 'the problem lists no controls to optimize');
  checkCheckpointChoice(problem, settings);

  const controls = expandControls(problem.controls, problem.fiber);
  const start = readControls(problem);
  const scaling = controlScaling(problem, controls, start);
  const direction = directionOf(problem);
  const sign = direction === 'maximize' ? -1 : 1;
  const history: EvaluationReport[] = [];
  const began = performance.now();

  // The optimizers minimise sign·objective over the scaled variables u.
  const objective: Objective = (u) => {
    const index = history.length;
    const values = scaling.toControls(u);
    let candidate: FiberProblem;
    try {
      candidate = parseProblem(withControls(problem, values));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new Error(`loss evaluation ${index}: the optimizer moved the controls out of their valid range (${error.message}); try a smaller learningRate`);
    }
    const t = performance.now();
    const result = evaluateGradient(candidate, {
      schedule: settings.schedule,
      snapshots: settings.snapshots,
      backend: settings.backend,
      onProgress: ({ phase, done, total }) => {
        if (total !== undefined) hooks.onProgress?.(index + (phase === 'forward' ? done : total + done) / (2 * total), settings.iterations);
      },
    });
    const report: EvaluationReport = { index, loss: result.loss, values, grad: result.grad, counters: result.counters, seconds: (performance.now() - t) / 1000 };
    history.push(report);
    log(`  evaluation ${String(index).padStart(3)}: loss ${result.loss.toPrecision(8)}  (${report.seconds.toFixed(2)} s)`);
    monitors.epoch.batch(index, result.loss);
    hooks.onEvaluation?.(report);
    hooks.onProgress?.(index + 1, settings.iterations);
    const scaledGrad = scaling.gradToScaled(values, result.grad);
    return { loss: sign * result.loss, grad: scaledGrad.map((g) => sign * g) };
  };

  const u0 = new Float64Array(controls.length);
  monitors.epoch.startEpoch();
  const outcome = monitors.track('Optimization', () =>
    settings.optimizer === 'adam'
      ? adam(objective, u0, { iterations: settings.iterations, learningRate: settings.learningRate })
      : lbfgs(objective, u0, { maxEvaluations: settings.iterations, initialStep: settings.learningRate }),
  );
  monitors.epoch.endEpoch();

  // The optimizers return the best point they evaluated; take it from the record itself.
  const best = history.reduce((a, b) => (sign * b.loss < sign * a.loss ? b : a));
  return {
    initial: problem,
    problem: parseProblem(withControls(problem, best.values)),
    controls,
    direction,
    initialLoss: history[0].loss,
    loss: best.loss,
    history,
    best,
    stopReason: outcome.stopReason,
    totalStepCalls: history.reduce((sum, h) => sum + h.counters.stepCalls, 0),
    seconds: (performance.now() - began) / 1000,
  };
}
