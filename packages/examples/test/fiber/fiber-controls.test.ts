import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { main } from '../../src/fiber/cli';
import { parseProblem, readControls, simulate, withControls, type FiberProblem } from '../../src/fiber/engine';
import { tempDir, tinySoliton } from './helpers';

/** The soliton example with a control of every fiber kind, a pulse control among them. */
const withFiberControls = (): FiberProblem => ({
  ...tinySoliton(),
  controls: ['fiber.gamma', 'pulse.gddFs2', 'fiber.modes.0.betas', 'fiber.lengthM', 'fiber.raman.fR'],
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function writeProblem(dir: string, problem: object): string {
  const file = path.join(dir, 'problem.json');
  fs.writeFileSync(file, JSON.stringify(problem));
  return file;
}

/** Central differences at h, h/2, h/4, twice Richardson-combined (truncation O(h⁶)). */
function centralDifference(problem: FiberProblem, i: number, h: number): number {
  const values = readControls(problem);
  const at = (delta: number) => simulate(withControls(problem, values.map((v, j) => (j === i ? v + delta : v))), { evolutionSpectra: 1 }).loss;
  const [c1, c2, c4] = [h, h / 2, h / 4].map((d) => (at(d) - at(-d)) / (2 * d));
  return (16 * ((4 * c4 - c2) / 3) - (4 * c2 - c1) / 3) / 15;
}

test('grad --json reports fiber controls in the order listed, groups expanded, each equal to central differences', async (t) => {
  const problem = withFiberControls();
  const { code, stdout, stderr } = await run(['grad', writeProblem(tempDir(t), problem), '--json', '--snapshots', '5']);
  t.is(code, 0, stderr);
  const out = JSON.parse(stdout);
  t.deepEqual(out.controls, [
    'fiber.gamma',
    'pulse.gddFs2',
    'fiber.modes.0.betas.0',
    'fiber.modes.0.betas.1',
    'fiber.modes.0.betas.2',
    'fiber.modes.0.betas.3',
    'fiber.lengthM',
    'fiber.raman.fR',
  ]);
  // One mode is its own reference frame: beta_0 and beta_1 leave the spec's D_1 at zero.
  t.deepEqual([out.grad[2], out.grad[3]], [0, 0]);
  // Steps in the controls' own units: 1e-5 of the value; for beta_2, beta_3 the ones that move
  // the phase over the fiber by 1e-5 rad at Omega = 1/T0 (T0 = 57 fs).
  const steps: Record<string, number> = {
    'fiber.gamma': 1e-7,
    'pulse.gddFs2': 0.01,
    'fiber.modes.0.betas.2': (1e-5 * 0.0567 ** 2) / 0.15,
    'fiber.modes.0.betas.3': (1e-5 * 0.0567 ** 3) / 0.15,
    'fiber.lengthM': 1.5e-6,
    'fiber.raman.fR': 1.8e-6,
  };
  for (const [control, step] of Object.entries(steps)) {
    const i = out.controls.indexOf(control);
    const fd = centralDifference(problem, i, step);
    const rel = Math.abs(out.grad[i] - fd) / Math.abs(fd);
    t.log(`${out.controls[i]}: adjoint ${out.grad[i].toExponential(6)}, central difference ${fd.toExponential(6)}, rel ${rel.toExponential(2)}`);
    t.true(rel < 1e-6, out.controls[i]);
  }
});

test('a control that is not a differentiable input fails the run, naming the file, the entry and the reason', async (t) => {
  const dir = tempDir(t);
  for (const [controls, message] of [
    [['pulse.gddFs2', 'fiber.steps'], /controls\[1\]: "fiber\.steps" cannot be a control: the step count is an integer/],
    [['grid.points'], /controls\[0\]: "grid\.points" cannot be a control: grid keys set the discretization/],
    [['fiber.n2'], /controls\[0\]: "fiber\.n2": this fiber gives gamma, not n2 \+ overlap; use fiber\.gamma/],
    [['fiber.modes.0.betas.7'], /controls\[0\]: "fiber\.modes\.0\.betas\.7": mode 0 has betas 0\.\.3/],
  ] as const) {
    const file = writeProblem(dir, { ...tinySoliton(), controls });
    const { code, stderr } = await run(['grad', file, '--json']);
    t.is(code, 1, stderr);
    t.true(stderr.startsWith(`gmmnlse: error: ${file}: `), stderr);
    t.regex(stderr, message);
  }
});

test('on gpu.js, fiber.raman.fR is refused with the reason; the other fiber controls run there', async (t) => {
  const dir = tempDir(t);
  const refused = await run(['grad', writeProblem(dir, withFiberControls()), '--json', '--backend', 'gpu.js', '--gpu-mode', 'cpu']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /gmmnlse: error: fiber\.raman\.fR: this step backend \(GpuJsStepBackend\) cannot differentiate w\.r\.t\. the Raman fraction; use the js \(float64\) backend/);
  t.is(refused.stdout, '');
  const file = writeProblem(dir, { ...withFiberControls(), controls: ['fiber.gamma', 'fiber.modes.0.betas.2', 'fiber.lengthM'] });
  const [reference, gpu] = [await run(['grad', file, '--json']), await run(['grad', file, '--json', '--backend', 'gpu.js', '--gpu-mode', 'cpu'])];
  t.is(gpu.code, 0, gpu.stderr);
  const a = JSON.parse(reference.stdout);
  const b = JSON.parse(gpu.stdout);
  a.grad.forEach((g: number, i: number) => t.true(Math.abs(g - b.grad[i]) < 1e-3 * Math.abs(g), `${a.controls[i]}: ${g} vs ${b.grad[i]}`));
});

test('optimize moves fiber controls and writes them into the optimized problem file', async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'out');
  const problem = { ...tinySoliton(), controls: ['fiber.modes.0.betas.2', 'fiber.lengthM', 'fiber.raman.fR'] };
  const { code, stdout, stderr } = await run(['optimize', writeProblem(dir, problem), '--out', out, '--iterations', '3', '--no-progress', '--evolution-spectra', '2', '--json']);
  t.is(code, 0, stderr);
  const summary = JSON.parse(stdout);
  t.deepEqual(summary.controls, problem.controls);
  t.deepEqual(summary.initialValues, [-0.02, 0.15, 0.18]);
  t.notDeepEqual(summary.values, summary.initialValues);
  const optimized = parseProblem(fs.readFileSync(path.join(out, 'problem.optimized.json'), 'utf8'));
  t.deepEqual([optimized.fiber.modes[0].betas[2], optimized.fiber.lengthM, optimized.fiber.raman.fR], summary.values);
  t.true(Math.abs(simulate(optimized).loss - summary.loss) < 1e-12);
});
