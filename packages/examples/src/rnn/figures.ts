/**
 * What checkpointing costs and saves on the RNN, measured: for store-all, uniform and
 * revolve (and, for reference, reverse mode without checkpointing), one gradient each,
 * with the step evaluations and peak bytes counted by the engine (CheckpointProfiler:
 * snapshots and tapes, from the memory ledger) and the CPU time of the gradient.
 *
 * The prediction a schedule's advance count makes: every extra plain advance costs one
 * plain step, so T(schedule) ≈ T(store-all) + (advances − advances of store-all)·t_step,
 * with t_step measured on a plain run of the loop.
 */
import { valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { markdownTable } from '@adjoint/runtime/memory/index';
import { CheckpointProfiler, type CheckpointReport } from '@adjoint/runtime/profile/index';
import { makeSchedule, replay, type Schedule } from '@adjoint/runtime/schedules/index';
import { relativeDifference } from '../shared/demo';
import type { LoopMode } from '../shared/loop-modes';
import { type RnnParams, rnnProblem, type RnnProblem, rnnLoss, rnnStep } from './model';

export interface RnnFiguresOptions {
  hidden?: number;
  steps?: number;
  /** Snapshots of uniform and revolve (default 32). */
  snapshots?: number;
  /** Also measure reverse mode without checkpointing (every step's tape kept; default true). */
  unrolled?: boolean;
  /** Gradients per method; the fastest counts (default 1). */
  repeats?: number;
  /** Receives a line as each measurement starts. */
  say?: (line: string) => void;
}

interface RnnFigureRow {
  readonly method: string;
  /** Step evaluations per gradient: plain advances + taped steps. */
  readonly stepEvaluations: number;
  /** Plain advances, counted by the engine. */
  readonly advances: number;
  /** Plain advances the schedule plans (replayed symbolically). */
  readonly plannedAdvances: number;
  /** Peak bytes held in snapshots and tapes together during the gradient. */
  readonly peakBytes: number;
  readonly peakSnapshotBytes: number;
  readonly peakTapeBytes: number;
  readonly memoryVsStoreAll: number;
  /** CPU time of one gradient (the fastest of the repeats). */
  readonly gradientMs: number;
  readonly timeVsStoreAll: number;
  /** T(store-all) + (advances − store-all's advances)·t_step, over T(store-all). */
  readonly predictedTimeVsStoreAll: number;
  /** max |g − g_store-all| / max |g_store-all| over all parameters. */
  readonly gradientDifference: number;
}

interface RnnFigures {
  readonly hidden: number;
  readonly steps: number;
  readonly snapshots: number;
  /** CPU time of one plain step (forward only). */
  readonly plainStepMs: number;
  readonly rows: readonly RnnFigureRow[];
}

type Method = 'store-all' | 'uniform' | 'revolve' | 'unrolled';

/** The method's schedule for a loop of `steps` (undefined: no checkpointing). */
function scheduleOf(method: Method, steps: number, snapshots: number): Schedule | undefined {
  if (method === 'unrolled') return undefined;
  return makeSchedule(method, steps, method === 'store-all' ? {} : { snapshots });
}

function modeOf(schedule: Schedule | undefined): LoopMode {
  return schedule === undefined ? 'unrolled' : { schedule };
}

function nameOf(method: Method, snapshots: number): string {
  if (method === 'unrolled') return 'no checkpointing (tape)';
  return method === 'store-all' ? method : `${method} (s = ${snapshots})`;
}

export function rnnCheckpointFigures(options: RnnFiguresOptions = {}): RnnFigures {
  const { hidden = 512, steps = 1000, snapshots = 32, unrolled = true, repeats = 1, say } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`rnnCheckpointFigures: repeats must be a positive integer, got ${String(repeats)}`);
  const problem = rnnProblem({ hidden, steps });
  const methods: Method[] = unrolled ? ['store-all', 'uniform', 'revolve', 'unrolled'] : ['store-all', 'uniform', 'revolve'];
  const schedules = methods.map((m) => scheduleOf(m, steps, snapshots));

  warmUp(hidden, methods, snapshots);
  const plainStepMs = plainStepTime(problem, repeats);
  // Repeats go round the methods, so a burst of load on the machine hits them alike.
  const best: (Measurement | undefined)[] = methods.map(() => undefined);
  for (let r = 0; r < repeats; r++) {
    methods.forEach((m, k) => {
      say?.(`measuring ${nameOf(m, snapshots)}: ${steps} steps, hidden size ${hidden}${repeats > 1 ? ` (run ${r + 1} of ${repeats})` : ''}`);
      const run = measure(problem, modeOf(schedules[k]));
      if (best[k] === undefined || run.ms < best[k]!.ms) best[k] = run;
    });
  }
  const base = best[0]!;
  const baseAdvances = base.report.advances;
  const rows = methods.map((method, k): RnnFigureRow => {
    const { report, ms, gradient } = best[k]!;
    const schedule = schedules[k];
    return {
      method: nameOf(method, snapshots),
      stepEvaluations: report.advances + (schedule ? report.tapedUnits : steps),
      advances: report.advances,
      plannedAdvances: schedule ? replay(schedule).advances : 0,
      peakBytes: report.peakBytes,
      peakSnapshotBytes: report.peakSnapshotBytes,
      peakTapeBytes: report.peakTapeBytes,
      memoryVsStoreAll: report.peakBytes / base.report.peakBytes,
      gradientMs: ms,
      timeVsStoreAll: ms / base.ms,
      predictedTimeVsStoreAll: (base.ms + (report.advances - baseAdvances) * plainStepMs) / base.ms,
      gradientDifference: relativeDifference(gradient, base.gradient),
    };
  });
  return { hidden, steps, snapshots, plainStepMs, rows };
}

/** Runs every method on a short loop first, so the first measured one does not pay for compiling the code paths. */
function warmUp(hidden: number, methods: readonly Method[], snapshots: number): void {
  const small = rnnProblem({ hidden, steps: 20 });
  // @tape: the figures compare checkpoint schedules on the runtime tape
  for (const m of methods) valueAndGrad(rnnLoss(small, modeOf(scheduleOf(m, small.steps, Math.min(snapshots, 4)))))(small.params);
}

/**
 * Milliseconds of CPU time (user + system) that fn takes. CPU time, not wall time: on a
 * shared machine other processes' load stretches wall time, not the work done here.
 */
function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function plainStepTime(problem: RnnProblem, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const step = rnnStep(problem.params, problem.xs);
    const ms = cpuMs(() => {
      let h = problem.h0;
      for (let i = 0; i < problem.steps; i++) h = step(h, i);
    });
    best = Math.min(best, ms / problem.steps);
  }
  return best;
}

interface Measurement {
  readonly report: CheckpointReport;
  readonly ms: number;
  readonly gradient: RnnParams;
}

function measure(problem: RnnProblem, mode: LoopMode): Measurement {
  const profiler = new CheckpointProfiler().start();
  let gradient: RnnParams | undefined;
  try {
    // @tape: the figures compare checkpoint schedules on the runtime tape
    const ms = cpuMs(() => (gradient = valueAndGrad(rnnLoss(problem, mode))(problem.params)[1]));
    return { report: profiler.stop(), ms, gradient: gradient! };
  } finally {
    profiler.stop();
  }
}

/** The figures as a Markdown table (memory in KiB, time in ms and relative to store-all). */
export function figuresTable(f: RnnFigures): string {
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  return markdownTable(
    ['method', 'step evaluations', 'advances (planned)', 'peak extra memory KiB', 'snapshots KiB', 'tapes KiB', 'memory vs store-all', 'gradient CPU ms', 'time vs store-all', 'predicted by advances', 'gradient vs store-all'],
    f.rows.map((r) => [
      r.method,
      r.stepEvaluations,
      `${r.advances} (${r.plannedAdvances})`,
      kib(r.peakBytes),
      kib(r.peakSnapshotBytes),
      kib(r.peakTapeBytes),
      `${(100 * r.memoryVsStoreAll).toFixed(1)} %`,
      r.gradientMs.toFixed(0),
      r.timeVsStoreAll.toFixed(3),
      r.predictedTimeVsStoreAll.toFixed(3),
      r.gradientDifference.toExponential(1),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}
