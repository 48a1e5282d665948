import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { main } from '../../src/fiber/cli';
import { expandControls, parseProblem, readControls, simulate, withControls, type FiberProblem } from '../../src/fiber/engine';
import { problemText } from '../../src/fiber/example-problems';
import { checkWellFormedXml, listFiles, PNG_SIGNATURE, runCli, tempDir, tinyGrin, tinySoliton } from './helpers';

function writeProblem(dir: string, name: string, problem: FiberProblem | object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(problem));
  return file;
}

/** Runs main() in-process, capturing its output. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** d(objective)/d(control i) by central differences of forward simulations. */
function finiteDifference(problem: FiberProblem, i: number, h: number): number {
  const values = readControls(problem);
  const at = (delta: number) => {
    const shifted = values.slice();
    shifted[i] += delta;
    return simulate(withControls(problem, shifted), { evolutionSpectra: 1 }).loss;
  };
  return (at(h) - at(-h)) / (2 * h);
}

test('grad --json prints exactly loss, grad, controls, seconds, peakRssMB, with the gradient in control order and units', (t) => {
  const dir = tempDir(t);
  const problem = tinySoliton();
  const result = runCli(['grad', writeProblem(dir, 'soliton.json', problem), '--json', '--snapshots', '4']);
  t.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  t.is(lines.length, 1);
  const out = JSON.parse(lines[0]);
  t.deepEqual(Object.keys(out), ['loss', 'grad', 'controls', 'seconds', 'peakRssMB']);
  t.deepEqual(out.controls, ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW']);
  t.true(Math.abs(out.loss - simulate(problem).loss) < 1e-12);
  t.true(out.seconds > 0 && out.peakRssMB > 0);
  // Steps in the controls' own units (fs², fs³, W), small enough for truncation to stay below the
  // tolerance: TOD moves the phase at the grid's edge fast (Ω³ ~ 1e9 rad³/ps³), so its step is 1 fs³.
  const steps = [0.5, 1, 1];
  out.grad.forEach((g: number, i: number) => {
    const fd = finiteDifference(problem, i, steps[i]);
    t.true(Math.abs(g - fd) <= 1e-5 * Math.abs(fd) + 1e-12, `${out.controls[i]}: adjoint ${g} vs finite difference ${fd}`);
  });
});

test('grad expands pulse.modeCoefficients into one gradient entry per mode, in mode order', async (t) => {
  const dir = tempDir(t);
  const problem = tinyGrin();
  const { code, stdout, stderr } = await run(['grad', writeProblem(dir, 'grin.json', problem), '--json']);
  t.is(code, 0, stderr);
  const out = JSON.parse(stdout);
  t.deepEqual(out.controls, expandControls(['pulse.modeCoefficients'], problem.fiber));
  t.is(out.grad.length, 10);
  for (const i of [0, 3, 9]) {
    const fd = finiteDifference(problem, i, 1e-4);
    t.true(Math.abs(out.grad[i] - fd) <= 1e-5 * Math.abs(fd), `mode ${i}: adjoint ${out.grad[i]} vs finite difference ${fd}`);
  }
});

test('--backend gpu.js runs the same gradient in gpu.js kernels (float32)', async (t) => {
  const dir = tempDir(t);
  const file = writeProblem(dir, 'p.json', tinySoliton());
  const [reference, gpu] = await Promise.all([run(['grad', file, '--json']), run(['grad', file, '--json', '--backend', 'gpu.js', '--gpu-mode', 'cpu'])]);
  t.is(gpu.code, 0, gpu.stderr);
  t.regex(gpu.stderr, /^backend: gpu\.js \(cpu mode, float32\): /m);
  const a = JSON.parse(reference.stdout);
  const b = JSON.parse(gpu.stdout);
  t.true(Math.abs(a.loss - b.loss) < 1e-5 * a.loss);
  a.grad.forEach((g: number, i: number) => t.true(Math.abs(g - b.grad[i]) < 1e-3 * Math.abs(g), `${a.controls[i]}: ${g} vs ${b.grad[i]}`));
});

test("the backend defaults to 'auto', chosen once and named in one line (on stderr with --json)", async (t) => {
  const dir = tempDir(t);
  const file = writeProblem(dir, 'p.json', tinySoliton());
  const before = Object.getOwnPropertyNames(globalThis).sort();
  const json = await run(['grad', file, '--json']);
  t.is(json.code, 0, json.stderr);
  t.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), before, 'probing leaves no globals behind');
  const lines = json.stderr.split('\n').filter((line) => line.startsWith('backend: '));
  t.is(lines.length, 1, json.stderr);
  // auto takes gpu.js only on a real GPU; grad awaits asynchronous kernels, so webgpu is tried first
  t.regex(
    lines[0],
    /^backend: (js \(float64\): no real GPU mode answers \(tried webgpu, headlessgl, webgl2\)|gpu\.js \(webgpu mode, float32\): hardware WebGPU adapter|gpu\.js \((headlessgl|webgl2) mode, float32\): hardware GL renderer)$/,
  );
  t.log(lines[0]);
  t.is(json.stdout.trim().split('\n').length, 1, 'stdout holds the JSON object only');
  const plain = await run(['grad', file, '--backend', 'js']);
  t.is(plain.code, 0, plain.stderr);
  t.regex(plain.stdout, /^backend: js \(float64\): requested$/m);
  // a mode that cannot run here is refused before any work, naming the flag
  const refused = await run(['grad', file, '--backend', 'gpu.js', '--gpu-mode', 'webgl2']);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /--gpu-mode: gpu\.js mode webgl2 does not answer here/);
});

test('usage errors exit with code 2 and say what is wrong', (t) => {
  const none = runCli([]);
  t.is(none.status, 2);
  t.regex(none.stderr, /Usage: gmmnlse <command>/);
  const cases: [string[], RegExp][] = [
    [['frobnicate', 'p.json'], /unknown command "frobnicate"/],
    [['grad'], /grad: missing the problem file/],
    [['grad', 'a.json', 'b.json'], /expected one problem file, got 2/],
    [['grad', 'p.json', '--snapshots', '0'], /--snapshots needs an integer >= 1, got "0"/],
    [['grad', 'p.json', '--snapshots'], /--snapshots needs a value/],
    [['grad', 'p.json', '--out', 'x'], /--out does not apply to grad/],
    [['grad', 'p.json', '--schedule', 'store-all', '--snapshots', '5'], /--snapshots does not apply to --schedule store-all/],
    [['optimize', 'p.json', '--optimizer', 'sgd'], /--optimizer must be one of adam, lbfgs, got "sgd"/],
    [['optimize', 'p.json', '--learning-rate=-1'], /--learning-rate needs a positive number/],
    [['simulate', 'p.json', '--backend', 'cuda'], /--backend must be one of auto, js, gpu\.js, got "cuda"/],
    [['simulate', 'p.json', '--gpu-mode', 'cpu'], /--gpu-mode needs --backend gpu\.js or --backend auto/],
    [['simulate', 'p.json', '--backend', 'js', '--gpu-mode', 'cpu'], /--gpu-mode needs --backend gpu\.js or --backend auto/],
    [['simulate', 'p.json', '--backend', 'gpu.js', '--gpu-mode', 'webgpu'], /--gpu-mode must be one of cpu, webasm, headlessgl, webgl2, webgl, got "webgpu"/],
    [['simulate', 'p.json', '--colour'], /unknown option --colour/],
    [['simulate', 'p.json', '--json', '--json'], /--json is given twice/],
  ];
  const spawned = runCli(cases[3][0]);
  t.is(spawned.status, 2);
  t.regex(spawned.stderr, cases[3][1]);
  return Promise.all(
    cases.map(async ([args, message]) => {
      const { code, stderr } = await run(args);
      t.is(code, 2, args.join(' '));
      t.regex(stderr, message);
    }),
  );
});

test('a schedule the runtime does not know is a usage error, reported after the problem loads', async (t) => {
  const dir = tempDir(t);
  const { code, stderr } = await run(['grad', writeProblem(dir, 'p.json', tinySoliton()), '--schedule', 'bogus']);
  t.is(code, 2);
  t.regex(stderr, /unknown options.schedule "bogus"/);
});

test('a bad problem file fails with exit code 1, an error naming the key, and no output files', (t) => {
  const dir = tempDir(t);
  const bad = JSON.parse(problemText(tinySoliton()));
  bad.fiber.steps = -3;
  const out = path.join(dir, 'out');
  const result = runCli(['optimize', writeProblem(dir, 'bad.json', bad), '--out', out, '--no-progress']);
  t.is(result.status, 1);
  t.regex(result.stderr, /bad\.json: fiber\.steps: must be a positive integer, got -3/);
  t.false(fs.existsSync(out));
  t.deepEqual(listFiles(dir), ['bad.json']);
});

test('malformed keys are named: an unknown key, a wrong type, a missing file', async (t) => {
  const dir = tempDir(t);
  const base = JSON.parse(problemText(tinySoliton()));
  const unknown = { ...base, pulse: { ...base.pulse, chirp: 1 } };
  const wrongType = { ...base, grid: { ...base.grid, points: 'many' } };
  for (const [problem, message] of [
    [unknown, /pulse\.chirp: unknown key/],
    [wrongType, /grid\.points: must be a positive integer, got "many"/],
  ] as const) {
    const { code, stderr } = await run(['grad', writeProblem(dir, 'p.json', problem)]);
    t.is(code, 1);
    t.regex(stderr, message);
  }
  const missing = await run(['simulate', path.join(dir, 'nope.json')]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /cannot read problem file .*nope\.json/);
});

test('simulate writes well-formed SVG and PNG plots into --out', async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'plots');
  const { code, stdout, stderr } = await run(['simulate', writeProblem(dir, 'p.json', tinySoliton()), '--out', out, '--evolution-spectra', '4', '--json']);
  t.is(code, 0, stderr);
  const summary = JSON.parse(stdout);
  t.deepEqual(Object.keys(summary), ['loss', 'seconds', 'peakRssMB', 'files']);
  t.deepEqual(listFiles(out), ['evolution.png', 'evolution.svg', 'spectra.png', 'spectra.svg', 'temporal.png', 'temporal.svg']);
  for (const name of ['evolution', 'spectra', 'temporal']) {
    t.notThrows(() => checkWellFormedXml(fs.readFileSync(path.join(out, `${name}.svg`), 'utf8')), name);
    t.deepEqual(fs.readFileSync(path.join(out, `${name}.png`)).subarray(0, 8), PNG_SIGNATURE);
  }
  // The evolution plot holds two embedded density maps; the CLI lists every file it wrote.
  const evolution = fs.readFileSync(path.join(out, 'evolution.svg'), 'utf8');
  t.is(evolution.match(/<image class="density-map"/g)?.length, 2);
  t.regex(evolution, /Evolution along 0\.15 m of fiber/);
  t.true(stderr.includes(`plots (SVG + PNG) in ${path.resolve(out)}: spectra.svg, spectra.png, temporal.svg, temporal.png, evolution.svg, evolution.png\n`), stderr);
  t.deepEqual(summary.files.map((f: string) => path.basename(f)), ['spectra.svg', 'spectra.png', 'temporal.svg', 'temporal.png', 'evolution.svg', 'evolution.png']);
});

test('optimize writes a valid optimized problem and plots, and --json reports the run', async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'out');
  const problem = tinySoliton();
  const { code, stdout, stderr } = await run([
    'optimize',
    writeProblem(dir, 'soliton.json', problem),
    '--out',
    out,
    '--iterations',
    '3',
    '--snapshots',
    '5',
    '--enable-memory-monitoring',
    '--memory-monitor-batches',
    '2',
    '--json',
  ]);
  t.is(code, 0, stderr);
  const summary = JSON.parse(stdout);
  t.is(summary.history.length, 3);
  t.is(summary.loss, Math.max(...summary.history));
  t.is(summary.direction, 'maximize');
  t.regex(stderr, /evaluation +0: loss/);
  t.is(stderr.match(/^ {2}Loss evaluation \d+: GPU .* MB, CPU .* MB, runtime .* MB, loss=/gm)?.length, 2);
  t.regex(stderr, /Epoch end: GPU/);
  t.regex(stderr, /checkpointing \(revolve\): \d+ step evaluations per gradient for 60 steps/);
  t.deepEqual(listFiles(out), [
    'evolution.png',
    'evolution.svg',
    'loss.png',
    'loss.svg',
    'soliton.optimized.json',
    'spectra.png',
    'spectra.svg',
    'temporal.png',
    'temporal.svg',
  ]);
  const optimized = parseProblem(fs.readFileSync(path.join(out, 'soliton.optimized.json'), 'utf8'));
  t.deepEqual(Array.from(readControls(optimized)), summary.values);
  t.notDeepEqual(summary.values, summary.initialValues);
  // The reported loss is that of the problem written, not of an unevaluated step.
  t.true(Math.abs(simulate(optimized).loss - summary.loss) < 1e-12);
});

test('a run that fails while writing leaves the output directory as it was', async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'spectra.svg'), 'previous run');
  fs.mkdirSync(path.join(out, 'loss.png')); // a directory where a plot must go: the rename fails
  const { code, stdout, stderr } = await run(['optimize', writeProblem(dir, 'p.json', tinySoliton()), '--out', out, '--iterations', '1', '--no-progress']);
  // the optimizer runs synchronously, so auto leaves webgpu out
  t.regex(stdout, /^backend: (js \(float64\): no real GPU mode answers \(tried headlessgl, webgl2\)|gpu\.js \((headlessgl|webgl2) mode, float32\): hardware GL renderer)$/m);
  t.is(code, 1);
  t.regex(stderr, /gmmnlse: error: .*loss\.png exists and is not a file/);
  t.deepEqual(listFiles(out), ['loss.png', 'spectra.svg']);
  t.is(fs.readFileSync(path.join(out, 'spectra.svg'), 'utf8'), 'previous run');
});
