#!/usr/bin/env node
/**
 * The compiler's benchmark: generated adjoint code (@adjoint/transformer) against the
 * runtime tape on the same annotated loops (packages/examples/src/compiled), in time and
 * memory, and what the plugin adds to the examples' compile time. Runs on the built
 * packages (npx tspc -b first).
 *
 *   node bench/compiler.mjs [rows.json] [--quick]
 *
 * - Scalar ODE: the RK4 pendulum of compiled/ode.ts over 1e6 steps (revolve, s = 1000):
 *   on the tape written with DSL operations on 0-d tensors; through the compiler the same
 *   DSL loop, and the loop written with native arithmetic and Math.*.
 * - RNN: the example (compiled/rnn.ts, 1000 steps, revolve, s = 32), hidden size
 *   512, on the tape and as generated code; the fastest of 3 runs by CPU time.
 * - Compile time: `tsc -p` and `tspc -p` (the plugin) on packages/examples into a fresh
 *   temporary outDir, median of 3 each.
 * Targets: generated code at least 5x faster than the tape on scalar arithmetic, and no
 * slower than the tape on tensor code.
 *
 * How the figures are obtained:
 * - time: CPU time of this process (process.cpuUsage, user + system), which other load on
 *   the machine does not stretch, and wall time (hrtime); compilers' CPU time is that of
 *   the child process (Linux /proc; wall time only elsewhere);
 * - step evaluations: the checkpoint engine's exact counts (CheckpointProfiler);
 * - memory, exact: the peak bytes held in RAM snapshots + tapes at one moment during the
 *   gradient, from a ledger window (ledger.openWindow), above what was held before. The
 *   ledger counts the tape's buffers, not the values generated code keeps for its
 *   pullbacks (plain JS numbers, arrays and closures), hence also:
 * - memory, sampled: readFigures() at step evaluations every 5 ms or so and at the end,
 *   the peak of heapUsed + arrayBuffers above the value before the gradient (after a GC
 *   when --expose-gc is on): a lower bound of the true peak, garbage not yet collected
 *   included.
 * Prints Markdown on stdout (progress on stderr); writes the JSON to rows.json when given.
 * A missed target is a finding for the report, not a failure: the exit code is 0 whenever
 * the measurements completed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { grad, ledger, markdownTable, randn, readFigures, tensor } = require('@adjoint/runtime');
const { CheckpointProfiler } = require('@adjoint/runtime/profile/index');
const { listen, unlisten } = require('@adjoint/runtime/profile/recorder');
const { relativeDifference } = require('@adjoint/examples/shared/demo');

const SPEED_TARGET = 5;

export const SIZES = {
  full: { odeSteps: 1_000_000, hidden: 512, repeats: 3, compileRepeats: 3 },
  quick: { odeSteps: 2000, hidden: 32, repeats: 1, compileRepeats: 0 },
};

/** The pendulum's parameters: x0, v0, damping, stiffness, drive (differentiated: the last three); dt. */
const PENDULUM = [1, 0, 0.3, 2, 0.4];
const DT = 1e-3;
const ODE_ARGNUMS = [2, 3, 4];
/** Runs that warm the JIT up on every code path before anything is measured. */
const WARM_UP = { odeSteps: 500, hidden: 8 };

function compiledExample(name) {
  const file = path.join(ROOT, 'packages/examples/dist/compiled', `${name}.js`);
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: build first (npx tspc -b)`);
  return require(file);
}

/** The gradients to compare: each a function of a problem size returning a thunk that computes one gradient. */
function cases() {
  const ode = compiledExample('ode');
  const rnn = compiledExample('rnn');
  const onTensors = (steps) => [...PENDULUM.map((v) => tensor(v)), steps, DT];
  const native = (steps) => [...PENDULUM, steps, DT];
  const asNumbers = (g) => g.map((x) => (typeof x === 'number' ? x : x.item()));
  const rnnArgs = (hidden) => [randn([1, hidden], { seed: 1 }), randn([hidden, hidden], { seed: 2, std: 0.9 / Math.sqrt(hidden) }), randn([hidden], { seed: 3, std: 0.1 })];
  const odeRow = { problem: 'scalar ODE (RK4 pendulum)', snapshots: 1000, size: (s) => s.odeSteps, repeats: () => 1 };
  const rnnRow = { problem: 'RNN (the issue example)', snapshots: 32, size: (s) => s.hidden, repeats: (s) => s.repeats };
  return [
    { ...odeRow, form: 'DSL on 0-d tensors', method: 'runtime tape', reference: true, run: (n) => () => asNumbers(grad(ode.pendulumEnergyOnTensors, ODE_ARGNUMS)(...onTensors(n))) },
    { ...odeRow, form: 'DSL on 0-d tensors', method: 'generated code', run: (n) => () => asNumbers(ode.dPendulumEnergyOnTensors(...onTensors(n))) },
    { ...odeRow, form: 'native arithmetic', method: 'generated code', run: (n) => () => ode.dPendulumEnergy(...native(n)) },
    { ...rnnRow, form: 'tensors', method: 'runtime tape', reference: true, run: (h) => () => grad(rnn.rnnLoss, [0, 1, 2])(...rnnArgs(h)) },
    { ...rnnRow, form: 'tensors', method: 'generated code', run: (h) => () => rnn.dRnnLoss(...rnnArgs(h)) },
  ];
}

/**
 * Peak of heapUsed + arrayBuffers seen by readFigures(), read at step evaluations at most
 * every `intervalMs` (reading the process's memory costs microseconds; a step can cost less).
 */
function memorySampler(intervalMs = 5) {
  let peak = 0;
  let last = 0;
  let count = 0;
  const sample = () => {
    const f = readFigures();
    peak = Math.max(peak, f.heapUsed + f.arrayBuffers);
    last = performance.now();
  };
  const tick = () => {
    if (++count % 16 === 0 && performance.now() - last >= intervalMs) sample();
  };
  const events = { snapshotSaved() {}, advanced: tick, taped: tick, checkpointedCall() {}, recomputed() {} };
  return {
    start() {
      sample();
      listen(events);
    },
    stop() {
      unlisten(events);
      sample();
      return peak;
    },
  };
}

/** One gradient, measured. */
function measure(thunk) {
  globalThis.gc?.();
  const before = readFigures();
  const baseline = before.heapUsed + before.arrayBuffers;
  const held = ledger.current('snapshotsRam') + ledger.current('tapes');
  const window = ledger.openWindow(['snapshotsRam', 'tapes']);
  const sampler = memorySampler();
  const profiler = new CheckpointProfiler().start();
  sampler.start();
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  let gradient;
  try {
    gradient = thunk();
  } finally {
    window.close();
  }
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  const used = process.cpuUsage(cpu);
  const sampledPeak = sampler.stop();
  const report = profiler.stop();
  return {
    cpuMs: (used.user + used.system) / 1000,
    wallMs,
    stepEvaluations: report.advances + report.tapedUnits,
    ledgerPeakBytes: window.peakTotal - held,
    snapshotPeakBytes: window.peak('snapshotsRam'),
    tapePeakBytes: window.peak('tapes'),
    sampledPeakBytes: Math.max(0, sampledPeak - baseline),
    gradient,
  };
}

/** Child CPU time so far (user + system of waited-for children), from /proc on Linux; undefined elsewhere. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // fields from 3 (state) on: cutime and cstime are fields 16 and 17, in clock ticks (USER_HZ = 100 on Linux)
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Compiles packages/examples with `bin` (tsc or tspc) into a fresh temporary directory;
 * returns its wall and CPU ms and exit status. Type errors (status 2) still compile and
 * emit everything, so they are reported, not fatal; a compiler that crashed is fatal.
 */
function compileOnce(bin) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'adjoint-compile-'));
  try {
    const args = [bin, '-p', path.join(ROOT, 'packages/examples'), '--outDir', out, '--tsBuildInfoFile', path.join(out, '.tsbuildinfo')];
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    const cpuAfter = childrenCpuMs();
    if (run.status !== 0 && run.status !== 2) throw new Error(`${path.basename(bin)} -p packages/examples failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    const errors = (run.stdout.match(/error TS\d+/g) ?? []).length;
    return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, status: run.status, errors };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** tsc and tspc alternately, `repeats` times each; medians. */
function compileTimes(repeats) {
  const bins = { tsc: require.resolve('typescript/bin/tsc'), tspc: require.resolve('ts-patch/bin/tspc.js') };
  const runs = { tsc: [], tspc: [] };
  for (let r = 0; r < repeats; r++) {
    for (const name of ['tsc', 'tspc']) {
      process.stderr.write(`compile: ${name} -p packages/examples (${r + 1}/${repeats})\n`);
      runs[name].push(compileOnce(bins[name]));
    }
  }
  const summary = (name) => {
    const cpu = runs[name].map((x) => x.cpuMs);
    const errors = Math.max(...runs[name].map((x) => x.errors));
    return { compiler: name, runs: runs[name], medianWallMs: median(runs[name].map((x) => x.wallMs)), medianCpuMs: cpu.includes(undefined) ? undefined : median(cpu), errors };
  };
  return [summary('tsc'), summary('tspc')];
}

/**
 * Measures every case and the compile times; returns { sizes, rows, compile, targets } and
 * gives `say` the report lines (Markdown). options: { quick, odeSteps, hidden, repeats, compileRepeats }.
 */
function runCompilerBench(options = {}, say = () => {}) {
  const sizes = { ...(options.quick ? SIZES.quick : SIZES.full), ...definedOnly(options) };
  const list = cases();
  for (const c of list) {
    process.stderr.write(`warm-up: ${c.problem}, ${c.form}, ${c.method}\n`);
    c.run(c.size(WARM_UP))();
  }
  const rows = [];
  const references = new Map();
  for (const c of list) {
    const size = c.size(sizes);
    let best;
    for (let r = 0; r < c.repeats(sizes); r++) {
      process.stderr.write(`measure: ${c.problem}, ${c.form}, ${c.method} (${r + 1}/${c.repeats(sizes)})\n`);
      const m = measure(c.run(size));
      process.stderr.write(`  ${m.cpuMs.toFixed(0)} ms CPU, ${m.wallMs.toFixed(0)} ms wall, ${m.stepEvaluations} step evaluations\n`);
      if (!best || m.cpuMs < best.cpuMs) best = m;
    }
    if (c.reference) references.set(c.problem, best);
    const reference = references.get(c.problem);
    const { gradient, ...figures } = best;
    rows.push({
      problem: c.problem,
      form: c.form,
      method: c.method,
      steps: c.problem.startsWith('RNN') ? 1000 : size,
      ...(c.problem.startsWith('RNN') ? { hidden: size } : {}),
      snapshots: c.snapshots,
      ...figures,
      speedupVsTape: reference.cpuMs / best.cpuMs,
      gradientVsTape: relativeDifference(gradient, reference.gradient),
    });
  }
  const targets = targetsOf(rows);
  reportGradients(rows, targets, sizes, say);
  const compile = sizes.compileRepeats > 0 ? compileTimes(sizes.compileRepeats) : undefined;
  reportCompile(compile, say);
  return { sizes, rows, compile, targets };
}

function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'quick'));
}

function targetsOf(rows) {
  const find = (problem, form, method) => rows.find((r) => r.problem.startsWith(problem) && r.form === form && r.method === method);
  const scalar = find('scalar', 'native arithmetic', 'generated code');
  const odeTensors = find('scalar', 'DSL on 0-d tensors', 'generated code');
  const rnn = find('RNN', 'tensors', 'generated code');
  return {
    scalar: { speedup: scalar.speedupVsTape, target: SPEED_TARGET, met: scalar.speedupVsTape >= SPEED_TARGET },
    tensor: [odeTensors, rnn].map((r) => ({ problem: r.problem, form: r.form, speedup: r.speedupVsTape, met: r.speedupVsTape >= 1 })),
  };
}

function reportGradients(rows, targets, sizes, say) {
  const kib = (b) => (b / 1024).toFixed(1);
  const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  say(`Generated adjoint code against the runtime tape on the same @checkpoint loops; ODE ${sizes.odeSteps} steps, RNN hidden size ${sizes.hidden}. CPU and wall time of one gradient (RNN: fastest of ${sizes.repeats}); memory above what was held before it.`);
  say('');
  say(
    markdownTable(
      ['problem', 'form', 'method', 'steps', 'step evaluations', 'CPU ms', 'wall ms', 'speed-up vs tape (CPU)', 'ledger peak KiB (snapshots + tapes)', 'sampled heap + buffers peak KiB', 'gradient vs tape (max rel. diff.)'],
      rows.map((r) => [
        r.problem,
        r.form,
        r.method,
        String(r.steps) + (r.hidden ? ` (hidden ${r.hidden})` : ''),
        String(r.stepEvaluations),
        ms(r.cpuMs),
        ms(r.wallMs),
        `${r.speedupVsTape.toFixed(2)}x`,
        kib(r.ledgerPeakBytes),
        kib(r.sampledPeakBytes),
        r.gradientVsTape.toExponential(1),
      ]),
      ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  say('');
  say('The ledger counts snapshots and tape buffers; the values generated code keeps for its pullbacks are plain JS numbers, arrays and closures, visible only in the sampled heap figure.');
  say('');
  say(`- scalar arithmetic: generated code (native arithmetic) is ${targets.scalar.speedup.toFixed(2)}x faster than the tape (target >= ${SPEED_TARGET}x): ${targets.scalar.met ? 'met' : 'MISSED'}`);
  for (const t of targets.tensor) say(`- tensor code, ${t.problem} (${t.form}): generated code ${t.speedup.toFixed(2)}x the tape's speed (target >= 1x): ${t.met ? 'met' : 'MISSED'}`);
  say('');
}

function reportCompile(compile, say) {
  if (!compile) {
    say('Compile time: not measured (--quick).');
    return;
  }
  const [tsc, tspc] = compile;
  const s = (x) => (x === undefined ? 'n/a' : (x / 1000).toFixed(2));
  say(
    markdownTable(
      ['compiler', 'runs', 'median wall s', 'median CPU s', 'type errors reported'],
      compile.map((c) => [`${c.compiler} -p packages/examples`, String(c.runs.length), s(c.medianWallMs), s(c.medianCpuMs), String(c.errors)]),
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  const extra = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${((b - a) / 1000).toFixed(2)} s (${((100 * (b - a)) / a).toFixed(0)} %)`);
  say('');
  if (tsc.errors || tspc.errors) say('The examples had type errors when this ran; both compilers still checked and emitted every file, so the times compare like with like.');
  say(`The plugin adds ${extra(tsc.medianCpuMs, tspc.medianCpuMs)} of CPU time and ${extra(tsc.medianWallMs, tspc.medianWallMs)} of wall time to compiling the examples.`);
}

function parseArgs(args) {
  const options = { quick: false };
  let json;
  for (const arg of args) {
    if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; usage: node bench/compiler.mjs [rows.json] [--quick]`);
    else if (json === undefined) json = arg;
    else throw new Error(`unexpected argument ${arg}; usage: node bench/compiler.mjs [rows.json] [--quick]`);
  }
  return { options, json };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { options, json } = parseArgs(process.argv.slice(2));
  const result = runCompilerBench(options, (line) => console.log(line));
  if (json) writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
}
