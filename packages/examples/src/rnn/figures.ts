/**
 * What checkpointing costs and saves on the RNN, measured: for store-all, uniform and
 * revolve (and, for reference, reverse mode without checkpointing), one gradient each,
 * with the step evaluations and peak bytes counted by the engine (CheckpointProfiler:
 * snapshots and tapes, from the memory ledger) and the wall time of the gradient.
 *
 * The prediction a schedule's advance count makes: every extra plain advance costs one
 * plain step, so T(schedule) ≈ T(store-all) + (advances − advances of store-all)·t_step,
 * with t_step measured on a plain run of the loop.
 */
import { performance } from 'node:perf_hooks';
import { valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { markdownTable } from '@adjoint/runtime/memory/index';
import { CheckpointProfiler, type CheckpointReport } from '@adjoint/runtime/profile/index';
import { makeSchedule, replay, type Schedule } from '@adjoint/runtime/schedules/index';
import type { Tensor } from '@adjoint/runtime/tensor/index';
import type { LoopMode } from './loop';
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

export interface RnnFigureRow {
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
  readonly gradientMs: number;
  readonly timeVsStoreAll: number;
  /** T(store-all) + (advances − store-all's advances)·t_step, over T(store-all). */
  readonly predictedTimeVsStoreAll: number;
  /** max |g − g_store-all| / max |g_store-all| over all parameters. */
  readonly gradientDifference: number;
}

export interface RnnFigures {
  readonly hidden: number;
  readonly steps: number;
  readonly snapshots: number;
  /** Wall time of one plain step (forward only). */
  readonly plainStepMs: number;
  readonly rows: readonly RnnFigureRow[];
}

interface Method {
  readonly name: string;
  readonly mode: LoopMode;
  readonly schedule: Schedule | undefined;
}

export function rnnCheckpointFigures(options: RnnFiguresOptions = {}): RnnFigures {
  const { hidden = 512, steps = 1000, snapshots = 32, unrolled = true, repeats = 1, say } = options;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`rnnCheckpointFigures: repeats must be a positive integer, got ${String(repeats)}`);
  const problem = rnnProblem({ hidden, steps });
  const schedules = [makeSchedule('store-all', steps), makeSchedule('uniform', steps, { snapshots }), makeSchedule('revolve', steps, { snapshots })];
  const methods: Method[] = schedules.map((schedule) => ({
    name: schedule.name === 'store-all' ? 'store-all' : `${schedule.name} (s = ${snapshots})`,
    mode: { schedule },
    schedule,
  }));
  if (unrolled) methods.push({ name: 'no checkpointing (tape)', mode: 'unrolled', schedule: undefined });

  warmUp(hidden);
  const plainStepMs = plainStepTime(problem, repeats);
  const runs = methods.map((m) => {
    say?.(`measuring ${m.name}: ${steps} steps, hidden size ${hidden}`);
    return { method: m, ...measure(problem, m.mode, repeats) };
  });
  const base = runs[0];
  const baseAdvances = base.report.advances;
  const rows = runs.map(({ method, report, ms, gradient }): RnnFigureRow => ({
    method: method.name,
    stepEvaluations: report.advances + (method.schedule ? report.tapedUnits : steps),
    advances: report.advances,
    plannedAdvances: method.schedule ? replay(method.schedule).advances : 0,
    peakBytes: report.peakBytes,
    peakSnapshotBytes: report.peakSnapshotBytes,
    peakTapeBytes: report.peakTapeBytes,
    memoryVsStoreAll: report.peakBytes / base.report.peakBytes,
    gradientMs: ms,
    timeVsStoreAll: ms / base.ms,
    predictedTimeVsStoreAll: (base.ms + (report.advances - baseAdvances) * plainStepMs) / base.ms,
    gradientDifference: relativeDifference(gradient, base.gradient),
  }));
  return { hidden, steps, snapshots, plainStepMs, rows };
}

/** Compiles the hot paths once, so the first measured method does not pay for it. */
function warmUp(hidden: number): void {
  const small = rnnProblem({ hidden, steps: 8 });
  valueAndGrad(rnnLoss(small, { snapshots: 3 }))(small.params);
  valueAndGrad(rnnLoss(small, 'unrolled'))(small.params);
}

function plainStepTime(problem: RnnProblem, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const step = rnnStep(problem.params, problem.xs);
    const began = performance.now();
    let h = problem.h0;
    for (let i = 0; i < problem.steps; i++) h = step(h, i);
    best = Math.min(best, (performance.now() - began) / problem.steps);
  }
  return best;
}

function measure(problem: RnnProblem, mode: LoopMode, repeats: number): { report: CheckpointReport; ms: number; gradient: RnnParams } {
  let best: { report: CheckpointReport; ms: number; gradient: RnnParams } | undefined;
  for (let r = 0; r < repeats; r++) {
    const profiler = new CheckpointProfiler().start();
    const began = performance.now();
    let gradient: RnnParams;
    try {
      gradient = valueAndGrad(rnnLoss(problem, mode))(problem.params)[1];
    } finally {
      profiler.stop();
    }
    const ms = performance.now() - began;
    if (best === undefined || ms < best.ms) best = { report: profiler.report(), ms, gradient };
  }
  return best!;
}

function relativeDifference(a: RnnParams, b: RnnParams): number {
  let diff = 0;
  let scale = 0;
  for (const key of ['W', 'U', 'b'] as const) {
    const x = (a[key] as Tensor).data;
    const y = (b[key] as Tensor).data;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(y[i]));
    }
  }
  return scale === 0 ? diff : diff / scale;
}

/** The figures as a Markdown table (memory in KiB, time in ms and relative to store-all). */
export function figuresTable(f: RnnFigures): string {
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  return markdownTable(
    ['method', 'step evaluations', 'advances (planned)', 'peak extra memory KiB', 'snapshots KiB', 'tapes KiB', 'memory vs store-all', 'gradient ms', 'time vs store-all', 'predicted by advances', 'gradient vs store-all'],
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
