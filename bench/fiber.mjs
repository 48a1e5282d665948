#!/usr/bin/env node
/**
 * The fiber benchmark (npm run bench; build first: npx tsc -b).
 *
 *   node bench/fiber.mjs [rows.json] [steps,steps,...]
 *
 * Single-mode soliton fission (N = 4 soliton, Raman, self-steepening, N = 2^12 points)
 * at 1000, 2000, 4000 and 8000 RK4IP steps. For each length it measures the forward
 * run and the gradient of the band-energy objective (problemGradient) with store-all,
 * uniform (segments of ceil(sqrt n) steps) and revolve, s chosen so that revolve's
 * snapshots + tape stay within 2 % of store-all's measured peak. At the shortest length
 * it also runs that revolve gradient written in the array DSL (grad of the objective
 * through checkpointedLoop(rk4ipStep)), to show what the DSL route costs.
 *
 * Every case runs in a fresh child process (so the RSS of one does not inflate the
 * next), after a short warm-up. Times: process.hrtime. Memory: the ledger's exact
 * combined peak of RAM snapshots + tapes over the gradient, the engine's exact
 * counters, and RSS sampled every 16 step evaluations (a lower bound of the true peak).
 * The forward run is timed before and after the store-all gradient; the faster counts.
 * Prints a Markdown table and writes the rows as JSON to rows.json when given.
 */
import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const POINTS = 4096;
const DEFAULT_STEPS = [1000, 2000, 4000, 8000];
/** revolve's budget: this fraction of store-all's peak snapshot + tape bytes. */
const MEMORY_FRACTION = 0.02;
const RSS_EVERY = 16;
const MB = 1024 * 1024;
const LABELS = { 'store-all': 'store-all', uniform: 'uniform', revolve: 'revolve', 'revolve-dsl': 'revolve via the DSL: grad(objective ∘ checkpointedLoop(rk4ipStep))' };

/** T0 = 56.7 fs, beta2 = -20 ps²/km, gamma = 0.1 /(W m), 1 kW: soliton order sqrt(gamma·P0·T0²/|beta2|) = 4.0; L_D = 0.16 m. */
function problem(steps) {
  const { parseProblem } = require('@adjoint/runtime/fiber/index');
  return parseProblem({
    version: 1,
    grid: { points: POINTS, windowPs: 16, centerWavelengthNm: 1550 },
    fiber: { lengthM: 0.25, steps, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.1, raman: { model: 'blow-wood' }, selfSteepening: true },
    pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 1000, modeCoefficients: [1], gddFs2: 0, todFs3: 0 },
    controls: ['pulse.peakPowerW', 'pulse.gddFs2'],
    objective: { kind: 'bandEnergyFraction', bandNm: [1600, 1700] },
  });
}

/** Wall time (process.hrtime) and this process's CPU time, in ms, of fn. */
function timed(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (user + system) / 1000 };
}

/**
 * The gradient of the problem's controls with a schedule: through the solver's API
 * (problemGradient), or for 'revolve-dsl' written in the array DSL as
 * grad(objective ∘ checkpointedLoop(rk4ipStep)) and carried to the controls.
 */
function gradient(steps, schedule, snapshots, onProgress) {
  const fiber = require('@adjoint/runtime/fiber/index');
  if (schedule !== 'revolve-dsl') {
    const checkpoint = snapshots === undefined ? { schedule, onProgress } : { schedule, snapshots, onProgress };
    const { value, gradient, counters } = fiber.problemGradient(problem(steps), { checkpoint });
    return { value, gradient, advances: counters.advances, reverses: counters.reverses, peakRamStates: counters.peakRamStates };
  }
  const { valueAndGrad } = require('@adjoint/runtime/autodiff/index');
  const { checkpointedLoop } = require('@adjoint/runtime/checkpoint/index');
  const { Tensor } = require('@adjoint/runtime/tensor/index');
  const spec = problem(steps);
  const model = fiber.fiberModel(spec.grid, spec.fiber);
  const fft = new fiber.ComplexFft(POINTS);
  const step = fiber.rk4ipStep(model);
  const objective = fiber.objectiveOp(spec.objective, model.grid);
  let calls = 0;
  const counted = (spectra) => (calls++, step(spectra));
  try {
    const a0 = new Tensor(fiber.inputSpectrum(spec.pulse, model.grid, fft), [1, POINTS], 'complex128');
    const [value, adjoint] = valueAndGrad((a) => objective(checkpointedLoop(counted, a, steps, { schedule: 'revolve', snapshots, onProgress })))(a0);
    const pulse = fiber.inputSpectrumVjp(spec.pulse, model.grid, fft, adjoint.data);
    return { value: value.item(), gradient: fiber.controlGradient(pulse, spec.controls, spec.fiber), advances: calls - steps, reverses: steps, peakRamStates: null };
  } finally {
    step.dispose();
  }
}

/** One measurement, in this (child) process. */
function measure(steps, schedule, snapshots) {
  const { problemValue } = require('@adjoint/runtime/fiber/index');
  const { ledger, readFigures } = require('@adjoint/runtime/memory/index');
  const rss = () => readFigures().rss;
  // Warm-up: the same code paths on a short fiber, so the JIT has compiled them.
  gradient(64, schedule, schedule.startsWith('revolve') ? 8 : undefined, () => {});
  globalThis.gc();

  const row = { bench: 'fiber', points: POINTS, steps, schedule, snapshots: snapshots ?? null };
  const forwardRuns = [];
  const forward = () => {
    forwardRuns.push(timed(() => problemValue(problem(steps))));
    globalThis.gc();
  };
  if (schedule === 'store-all') forward();

  const rssBefore = rss();
  let rssPeak = rssBefore;
  let evaluations = 0;
  const onProgress = () => {
    if (++evaluations % RSS_EVERY === 0) rssPeak = Math.max(rssPeak, rss());
  };
  const window = ledger.openWindow(['snapshotsRam', 'tapes']);
  let run;
  try {
    run = timed(() => gradient(steps, schedule, snapshots, onProgress));
  } finally {
    window.close();
  }
  rssPeak = Math.max(rssPeak, rss());
  if (schedule === 'store-all') {
    // A second forward run after the gradient: the faster of the two is the less disturbed one.
    globalThis.gc();
    forward();
    const fastest = forwardRuns.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    Object.assign(row, { value: fastest.value, forwardMs: fastest.wallMs, forwardCpuMs: fastest.cpuMs, forwardRunsMs: forwardRuns.map((r) => r.wallMs) });
  }
  const { value: result, wallMs, cpuMs } = run;
  Object.assign(row, {
    gradientMs: wallMs,
    gradientCpuMs: cpuMs,
    gradientValue: result.value,
    gradient: Array.from(result.gradient),
    advances: result.advances,
    reverses: result.reverses,
    peakRamStates: result.peakRamStates,
    peakSnapshotBytes: window.peak('snapshotsRam'),
    peakTapeBytes: window.peak('tapes'),
    peakBytes: window.peakTotal,
    rssBeforeBytes: rssBefore,
    rssPeakBytes: rssPeak,
  });
  return row;
}

function runCase(steps, schedule, snapshots) {
  const args = ['--expose-gc', fileURLToPath(import.meta.url), '--case', String(steps), schedule];
  if (snapshots !== undefined) args.push(String(snapshots));
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * MB });
  if (child.status !== 0) throw new Error(`fiber bench case ${steps} steps, ${schedule}: exit ${child.status}\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

const fmt = (x, digits = 2) => x.toFixed(digits);

function main() {
  const [outPath, stepList] = process.argv.slice(2);
  const stepsList = stepList ? stepList.split(',').map(Number) : DEFAULT_STEPS;
  const rows = [];
  const lines = [
    `Fiber gradient, single mode, N = ${POINTS} points (soliton fission with Raman and self-steepening), Node ${process.version}`,
    '',
    'Times are wall clock (process.hrtime); ratios give the CPU-time ratio in brackets (robust when other processes share the cores).',
    '',
    '| steps | schedule | s | step evaluations (advances + reverses) | forward (s) | gradient (s) | gradient / forward | time / store-all | peak snapshots + tape (MB) | memory / store-all | RSS growth (MB) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const steps of stepsList) {
    const storeAll = runCase(steps, 'store-all');
    // The budget buys the tape of one step and as many states as fit besides it (s counts x_0;
    // a loop too short for the budget to hold any state gets 2).
    const stateBytes = storeAll.peakSnapshotBytes / storeAll.peakRamStates;
    const snapshots = Math.max(2, Math.floor((MEMORY_FRACTION * storeAll.peakBytes - storeAll.peakTapeBytes) / stateBytes));
    const cases = [storeAll, runCase(steps, 'uniform'), runCase(steps, 'revolve', snapshots)];
    // The same revolve gradient written in the array DSL, once, at the shortest length.
    if (steps === Math.min(...stepsList)) cases.push(runCase(steps, 'revolve-dsl', snapshots));
    for (const row of cases) {
      Object.assign(row, { forwardMs: storeAll.forwardMs, forwardCpuMs: storeAll.forwardCpuMs });
      row.gradientOverForward = row.gradientMs / storeAll.forwardMs;
      row.gradientOverForwardCpu = row.gradientCpuMs / storeAll.forwardCpuMs;
      row.timeOverStoreAll = row.gradientMs / storeAll.gradientMs;
      row.timeOverStoreAllCpu = row.gradientCpuMs / storeAll.gradientCpuMs;
      row.memoryOverStoreAll = row.peakBytes / storeAll.peakBytes;
      row.rssGrowthBytes = row.rssPeakBytes - row.rssBeforeBytes;
      row.gradientMatchesStoreAll = Math.max(...row.gradient.map((g, i) => Math.abs(g - storeAll.gradient[i]) / Math.abs(storeAll.gradient[i])));
      rows.push(row);
      lines.push(
        `| ${steps} | ${LABELS[row.schedule]} | ${row.snapshots ?? '-'} | ${row.advances} + ${row.reverses} | ${fmt(row.forwardMs / 1000)} | ${fmt(row.gradientMs / 1000)} | ` +
          `${fmt(row.gradientOverForward)} (${fmt(row.gradientOverForwardCpu)}) | ${fmt(row.timeOverStoreAll)} (${fmt(row.timeOverStoreAllCpu)}) | ` +
          `${fmt(row.peakBytes / MB, 1)} | ${fmt(100 * row.memoryOverStoreAll)} % | ${fmt(row.rssGrowthBytes / MB, 0)} |`,
      );
    }
    process.stderr.write(`fiber bench: ${steps} steps done\n`);
  }
  const last = rows.filter((r) => r.steps === Math.max(...stepsList));
  const [storeAll, , revolveRow] = last; // store-all, uniform, revolve
  const check = (ok, text) => `- ${ok ? 'met' : 'MISSED'}: ${text}`;
  lines.push(
    '',
    `Targets at ${storeAll.steps} steps:`,
    check(revolveRow.memoryOverStoreAll <= MEMORY_FRACTION, `revolve's peak memory is ${fmt(100 * revolveRow.memoryOverStoreAll)} % of store-all's (at most 2 %)`),
    check(revolveRow.timeOverStoreAll <= 2, `revolve's gradient takes ${fmt(revolveRow.timeOverStoreAll)}x store-all's time, CPU ${fmt(revolveRow.timeOverStoreAllCpu)}x (at most 2x)`),
    check(storeAll.gradientOverForward <= 4, `the store-all gradient costs ${fmt(storeAll.gradientOverForward)}x the forward run, CPU ${fmt(storeAll.gradientOverForwardCpu)}x (at most 4x)`),
    `- every schedule's gradient equals store-all's to ${Math.max(...rows.map((r) => r.gradientMatchesStoreAll)).toExponential(1)} relative`,
  );
  console.log(lines.join('\n'));
  if (outPath) writeFileSync(outPath, JSON.stringify(rows.map(({ gradient, ...row }) => row), null, 2) + '\n');
}

if (process.argv[2] === '--case') {
  const [steps, schedule, snapshots] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(measure(Number(steps), schedule, snapshots === undefined ? undefined : Number(snapshots))));
} else {
  main();
}
