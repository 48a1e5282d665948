#!/usr/bin/env node
/**
 * The measured memory / recomputation trade-off of each checkpoint schedule, swept over
 * the snapshot count s, on the RNN (hidden size 256, 1000 steps) and on a single-mode
 * fiber (the soliton-fission example problem on 1024 points, 1000 RK4IP steps). Runs on
 * the built packages (npx tsc -b first).
 *
 *   node bench/tradeoff.mjs [rows.json] [--quick]
 *
 * Each run is one gradient, measured three ways:
 *  - step evaluations, exact: the engine's counts of plain advances and taped steps
 *    (CheckpointProfiler; for the fiber also checked against the sweep's own counters);
 *  - peak bytes held in snapshots and tapes at one moment, exact: the memory ledger's
 *    window over the gradient (CheckpointProfiler), above what was held before it;
 *  - gradient time: this process's CPU time (process.cpuUsage, user + system), which other
 *    processes sharing the machine do not stretch; wall time is kept in the JSON too.
 * Revolve's advances are compared with the optimum t(n, s), every run's with what its
 * schedule plans (replay), and every gradient with store-all's. Prints Markdown; writes
 * the rows as JSON to rows.json when given (bench/run.mjs plots them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { checkpointedWhile, fiber, makeSchedule, markdownTable, mul, optimalAdvances, replay, square, sub, sum, valueAndGrad } = require('@adjoint/runtime');
const { CheckpointProfiler } = require('@adjoint/runtime/profile/index');
const { rnnLoss, rnnProblem, rnnStep } = require('@adjoint/examples/rnn/model');
const { relativeDifference } = require('@adjoint/examples/shared/demo');

const SIZES = {
  full: { snapshots: [2, 4, 8, 16, 32, 64, 128], rnn: { hidden: 256, steps: 1000 }, fiber: { points: 1024, windowPs: 12, steps: 1000 } },
  quick: { snapshots: [2, 4, 8, 16, 32], rnn: { hidden: 32, steps: 100 }, fiber: { points: 256, windowPs: 3, steps: 100 } },
};

const FIBER_EXAMPLE = new URL('../packages/examples/problems/soliton-fission.json', import.meta.url);
/** Loops of this length warm the JIT up on every code path before anything is measured. */
const WARM_UP_STEPS = 20;
const KIB = 1024;

/** The runtime's Schedule for a configuration; undefined for reverse mode without checkpointing. */
function scheduleOf({ schedule, snapshots }, steps) {
  if (schedule === 'unrolled') return undefined;
  // Online schedules are not told the loop length: they find it as the loop runs.
  if (schedule === 'online') return makeSchedule('online', undefined, { snapshots });
  return makeSchedule(schedule, steps, schedule === 'store-all' ? {} : { snapshots });
}

function runLabel({ schedule, snapshots, segment }) {
  if (schedule === 'unrolled') return 'no checkpointing (tape)';
  if (schedule === 'store-all') return 'store-all';
  return schedule === 'uniform' ? `uniform s = ${snapshots} (k = ${segment})` : `${schedule} s = ${snapshots}`;
}

/** store-all, the extras, then each schedule at each snapshot count that fits the loop. */
function configurations(schedules, snapshotCounts, steps, extras = []) {
  const counts = snapshotCounts.filter((s) => s <= steps);
  const swept = schedules.flatMap((schedule) =>
    counts.map((snapshots) => (schedule === 'uniform' ? { schedule, snapshots, segment: Math.ceil(steps / snapshots) } : { schedule, snapshots })),
  );
  return [{ schedule: 'store-all' }, ...extras, ...swept];
}

/** rnnLoss with the loop written as a while-loop, so that an online schedule can run it. */
function onlineRnnLoss(problem, schedule) {
  return (params) => {
    const h = checkpointedWhile((_, i) => i < problem.steps, rnnStep(params, problem.xs), problem.h0, { schedule });
    return mul(0.5, sum(square(sub(h, problem.target))));
  };
}

function rnnGradient(problem, schedule) {
  let loss;
  if (schedule === undefined) loss = rnnLoss(problem, 'unrolled');
  else if (schedule.steps === undefined) loss = onlineRnnLoss(problem, schedule);
  else loss = rnnLoss(problem, { schedule });
  return { gradient: valueAndGrad(loss)(problem.params)[1] };
}

function rnnSweep(size, snapshotCounts) {
  const problem = rnnProblem(size);
  const small = rnnProblem({ ...size, steps: WARM_UP_STEPS });
  return {
    name: 'rnn',
    title: `RNN, hidden size ${size.hidden}, ${size.steps} steps`,
    shortTitle: `RNN, hidden ${size.hidden}, n = ${size.steps}`,
    steps: size.steps,
    configs: configurations(['revolve', 'uniform', 'online'], snapshotCounts, size.steps, [{ schedule: 'unrolled' }]),
    gradient: (schedule) => rnnGradient(problem, schedule),
    warmUpGradient: (schedule) => rnnGradient(small, schedule),
    plainRun: () => {
      const step = rnnStep(problem.params, problem.xs);
      let h = problem.h0;
      for (let i = 0; i < problem.steps; i++) h = step(h, i);
    },
  };
}

/** The example on a smaller grid; the quick size keeps the time step (and so the spectral span) of the full one. */
function fiberProblem({ points, windowPs, steps }) {
  const spec = JSON.parse(readFileSync(FIBER_EXAMPLE, 'utf8'));
  return fiber.parseProblem({ ...spec, grid: { ...spec.grid, points, windowPs }, fiber: { ...spec.fiber, steps } });
}

function fiberGradient(problem, schedule) {
  const { gradient, counters } = fiber.problemGradient(problem, { checkpoint: { schedule } });
  return { gradient, counters };
}

function fiberSweep(size, snapshotCounts) {
  const problem = fiberProblem(size);
  const small = fiberProblem({ ...size, steps: WARM_UP_STEPS });
  return {
    name: 'fiber',
    title: `Fiber, single mode, N = ${size.points} points over ${size.windowPs} ps, ${size.steps} RK4IP steps (soliton-fission example problem)`,
    shortTitle: `Fiber, single mode, N = ${size.points}, n = ${size.steps}`,
    steps: size.steps,
    // problemGradient runs a for-loop of known length, so the online schedule does not apply.
    configs: configurations(['revolve', 'uniform'], snapshotCounts, size.steps),
    gradient: (schedule) => fiberGradient(problem, schedule),
    warmUpGradient: (schedule) => fiberGradient(small, schedule),
    // The forward run's setup (grid, operators, input pulse) is O(N), small beside n steps.
    plainRun: () => fiber.problemValue(problem),
  };
}

/**
 * Every code path on a short loop, then a plain run and a store-all gradient at full size:
 * without the latter the first measurements ran measurably slower than later identical ones.
 */
function warmUp(sweep) {
  const kinds = new Map(sweep.configs.map((c) => [c.schedule, c]));
  for (const config of kinds.values()) {
    sweep.warmUpGradient(scheduleOf({ ...config, snapshots: config.snapshots && Math.min(config.snapshots, 4) }, WARM_UP_STEPS));
  }
  sweep.plainRun();
  sweep.gradient(scheduleOf({ schedule: 'store-all' }, sweep.steps));
}

function cpuTime(fn) {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  return { value, cpuMs: (user + system) / 1000, wallMs };
}

/** CPU time of one plain (untaped) step: the best of a few plain runs of the whole loop. */
function plainStepMs(sweep, repeats = 2) {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    best = Math.min(best, cpuTime(sweep.plainRun).cpuMs / sweep.steps);
  }
  return best;
}

/** One gradient of the sweep's problem under `config`, with its exact counts and peaks and its CPU time. */
function measure(sweep, config) {
  const n = sweep.steps;
  const schedule = scheduleOf(config, n);
  globalThis.gc?.();
  const profiler = new CheckpointProfiler().start();
  let timed, report;
  try {
    timed = cpuTime(() => sweep.gradient(schedule));
  } finally {
    report = profiler.stop();
  }
  const { value: result, cpuMs, wallMs } = timed;
  // Without checkpointing the loop is a plain for-loop, every step taped once; the engine is not involved.
  const advances = schedule ? report.advances : 0;
  const tapedSteps = schedule ? report.tapedUnits : n;
  if (result.counters && (result.counters.advances !== advances || result.counters.reverses !== tapedSteps)) {
    throw new Error(
      `${sweep.name} ${runLabel(config)}: the profiler counted ${advances} advances + ${tapedSteps} taped steps, ` +
        `the sweep ${result.counters.advances} + ${result.counters.reverses}`,
    );
  }
  const planned = schedule && replay(schedule, schedule.steps === undefined ? { steps: n } : {});
  return {
    schedule: config.schedule,
    snapshots: config.snapshots ?? null,
    segment: config.segment ?? null,
    peakStates: planned ? planned.peakRam : 0,
    advances,
    plannedAdvances: planned ? planned.advances : 0,
    // The offline optimum: revolve must attain it; online, not told n, pays a little more.
    optimalAdvances: config.schedule === 'revolve' || config.schedule === 'online' ? optimalAdvances(n, config.snapshots) : null,
    tapedSteps,
    stepEvaluations: advances + tapedSteps,
    recomputation: (advances + tapedSteps) / n,
    peakBytes: report.peakBytes,
    peakSnapshotBytes: report.peakSnapshotBytes,
    peakTapeBytes: report.peakTapeBytes,
    cpuMs,
    wallMs,
    gradient: result.gradient,
  };
}

/** Measures every configuration of the sweep; `progress` receives a line before each. */
function runSweep(sweep, progress = () => {}) {
  warmUp(sweep);
  const stepMsBefore = plainStepMs(sweep);
  const rows = sweep.configs.map((config, i) => {
    progress(`tradeoff ${sweep.name}: ${runLabel(config)} (${i + 1} of ${sweep.configs.length})`);
    return measure(sweep, config);
  });
  // Timed again after the gradients: the faster figure is the one least disturbed by other load.
  const stepMs = Math.min(stepMsBefore, plainStepMs(sweep));
  const storeAll = rows[0];
  const measured = rows.map(({ gradient, ...row }) => ({
    ...row,
    label: runLabel(row),
    memoryVsStoreAll: row.peakBytes / storeAll.peakBytes,
    cpuVsStoreAll: row.cpuMs / storeAll.cpuMs,
    predictedCpuVsStoreAll: predictedCpuVsStoreAll(storeAll, stepMs, row.stepEvaluations),
    gradientDifference: relativeDifference(gradient, storeAll.gradient),
  }));
  return {
    name: sweep.name,
    title: sweep.title,
    shortTitle: sweep.shortTitle,
    steps: sweep.steps,
    plainStepMs: stepMs,
    storeAllCpuMs: storeAll.cpuMs,
    storeAllEvaluations: storeAll.stepEvaluations,
    // Store-all keeps every state but one and tapes one step at a time: its peaks give both sizes.
    stateBytes: storeAll.peakSnapshotBytes / storeAll.peakStates,
    stepTapeBytes: storeAll.peakTapeBytes,
    rows: measured,
  };
}

/**
 * What the advance count predicts: store-all's time plus one plain step for each step
 * evaluation more than store-all made (fewer, for reverse mode without checkpointing).
 */
export function predictedCpuVsStoreAll({ cpuMs, stepEvaluations }, stepMs, evaluations) {
  return (cpuMs + (evaluations - stepEvaluations) * stepMs) / cpuMs;
}

const fixed = (x, digits) => x.toFixed(digits);

/** The sweep's Markdown: a table and the exactness checks. */
function sweepSection(result) {
  const n = result.steps;
  const table = markdownTable(
    ['run', 'peak states', 'step evaluations (advances + taped)', 'evaluations / n', 't(n, s)', 'peak snapshots + tapes (KiB)', 'vs store-all', 'gradient CPU (ms)', 'CPU vs store-all', 'predicted by evaluations', 'gradient vs store-all'],
    result.rows.map((r) => [
      r.label,
      r.peakStates,
      `${r.stepEvaluations} (${r.advances} + ${r.tapedSteps})`,
      fixed(r.recomputation, 3),
      r.optimalAdvances ?? '-',
      fixed(r.peakBytes / KIB, 1),
      `${fixed(100 * r.memoryVsStoreAll, 2)} %`,
      fixed(r.cpuMs, 0),
      fixed(r.cpuVsStoreAll, 2),
      fixed(r.predictedCpuVsStoreAll, 2),
      r.gradientDifference.toExponential(1),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const checked = result.rows.filter((r) => r.schedule !== 'unrolled');
  const offPlan = checked.filter((r) => r.advances !== r.plannedAdvances);
  const revolve = result.rows.filter((r) => r.schedule === 'revolve');
  const offOptimum = revolve.filter((r) => r.advances !== r.optimalAdvances);
  const list = (rows) => rows.map((r) => r.label).join(', ');
  return [
    `### ${result.title}`,
    '',
    `One state: ${result.stateBytes} B; one step's tape: ${result.stepTapeBytes} B; one plain step: ${fixed(result.plainStepMs, 3)} ms of CPU. ` +
      `n = ${n}; s counts the initial state; uniform stores every k = ceil(n/s)-th state. ` +
      "\"Predicted by evaluations\": store-all's time plus one plain step per step evaluation more than store-all's.",
    '',
    table,
    `- advances as planned by each schedule (replayed symbolically): ${offPlan.length === 0 ? `all ${checked.length} runs` : `MISMATCH in ${list(offPlan)}`}`,
    `- revolve's advances equal the optimum t(n, s): ${offOptimum.length === 0 ? `all ${revolve.length} runs` : `NO for ${list(offOptimum)}`}`,
    `- largest gradient difference from store-all: ${Math.max(...result.rows.map((r) => r.gradientDifference)).toExponential(1)} (max-norm, relative)`,
    '',
  ].join('\n');
}

function main(args) {
  const quick = args.includes('--quick');
  const positional = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--quick');
  if (unknown.length > 0 || positional.length > 1) {
    console.error(`tradeoff: unexpected argument ${[...unknown, ...positional.slice(1)].join(' ')}; usage: node bench/tradeoff.mjs [rows.json] [--quick]`);
    return 2;
  }
  const sizes = quick ? SIZES.quick : SIZES.full;
  console.log(
    [
      `Memory against recomputation, one gradient per run, snapshot counts s = ${sizes.snapshots.join(', ')}.`,
      'Step evaluations and peak bytes are exact counts (engine counters, memory ledger); times are CPU time (process.cpuUsage) of one gradient, after a warm-up.',
      '',
    ].join('\n'),
  );
  const problems = [];
  for (const sweep of [rnnSweep(sizes.rnn, sizes.snapshots), fiberSweep(sizes.fiber, sizes.snapshots)]) {
    const result = runSweep(sweep, (line) => console.error(line));
    problems.push(result);
    console.log(sweepSection(result));
  }
  if (positional[0]) writeFileSync(positional[0], JSON.stringify({ quick, sizes, problems }, null, 2) + '\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
