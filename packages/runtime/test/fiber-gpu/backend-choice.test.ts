import test from 'ava';
import { describeBackend, resolveBackend } from '@adjoint/runtime/fiber/backend-choice';
import { GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import { parseProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, problemGradientAsync, problemValue, simulateProblem } from '@adjoint/runtime/fiber/simulate';
import { SimConfig, Simulation } from '@adjoint/runtime/fiber/simulation';

const domain = { points: 128, windowPs: 2, lengthM: 0.05, steps: 12 };
const fiber = { modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01 };
const pulse = { shape: 'sech' as const, fwhmFs: 100, peakPowerW: 5000, modeCoefficients: [1], gddFs2: 100, todFs3: 0 };
const objective = { kind: 'bandEnergyFraction' as const, bandNm: [1580, 1700] as [number, number] };
const problem = parseProblem({
  version: 1,
  grid: { points: domain.points, windowPs: domain.windowPs, centerWavelengthNm: 1550 },
  fiber: { lengthM: domain.lengthM, steps: domain.steps, ...fiber, raman: { model: 'blow-wood' }, selfSteepening: true },
  pulse,
  controls: ['pulse.gddFs2'],
  objective,
});

function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let size = 0;
  b.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(a[i] - v));
    size = Math.max(size, Math.abs(v));
  });
  return diff / size;
}

test.serial("'auto' resolves without hanging or leaving globals, to gpu.js only on a real GPU", async (t) => {
  t.timeout(20_000);
  const before = Object.getOwnPropertyNames(globalThis).sort();
  const ready = await resolveBackend({ timeoutMs: 2000 });
  t.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), before);
  if (ready.backend === 'js') t.is(ready.reason, 'no real GPU mode answers (tried headlessgl, webgl2)');
  else t.true(ready.mode === 'headlessgl' || ready.mode === 'webgl2', ready.reason);
  t.log(describeBackend(ready));
  // the factory is what the solvers take
  const value = simulateProblem(problem, { backend: ready.factory }).value;
  if (ready.backend === 'js') t.is(value, problemValue(problem));
  else t.true(Math.abs(value - problemValue(problem)) < 1e-5 * value);
});

test("'js' and 'gpu.js' (cpu mode) give factories the solvers run on", async (t) => {
  const js = await resolveBackend({ backend: 'js' });
  t.like(js, { backend: 'js', reason: 'requested' });
  t.is(describeBackend(js), 'backend: js (float64): requested');
  const gpu = await resolveBackend({ backend: 'gpu.js', gpuMode: 'cpu' });
  t.like(gpu, { backend: 'gpu.js', mode: 'cpu' });
  const opened = gpu.factory(fiberModel(problem.grid, problem.fiber));
  t.true(opened instanceof GpuJsStepBackend);
  opened.dispose();
  const want = simulateProblem(problem);
  const got = simulateProblem(problem, { backend: gpu.factory });
  t.true(relativeError(got.output, want.output) < 5e-6);
  t.true(Math.abs(got.value - want.value) < 1e-5 * want.value);
});

test.serial("synchronousOnly: false lets 'auto' consider webgpu; a ready backend says whether it answers asynchronously and opens for the async solvers", async (t) => {
  t.timeout(30_000);
  const ready = await resolveBackend({ timeoutMs: 2000, synchronousOnly: false });
  if (ready.backend === 'js') t.is(ready.reason, 'no real GPU mode answers (tried webgpu, headlessgl, webgl2)');
  t.is(ready.asynchronous, ready.mode === 'webgpu');
  t.log(describeBackend(ready));
  const model = fiberModel(problem.grid, problem.fiber);
  const js = await resolveBackend({ backend: 'js', synchronousOnly: false });
  t.false(js.asynchronous);
  const cpu = await resolveBackend({ backend: 'gpu.js', gpuMode: 'cpu', synchronousOnly: false });
  t.false(cpu.asynchronous);
  const opened = await cpu.open(model);
  t.true(opened instanceof GpuJsStepBackend);
  t.false(opened.asynchronous);
  opened.dispose();
  const got = await problemGradientAsync(problem, { backend: cpu.open });
  const want = problemGradient(problem, { backend: cpu.factory });
  t.deepEqual([...got.gradient], [...want.gradient], 'a synchronous gpu.js mode under the async path gives the same float32 results');
  t.is((await problemGradientAsync(problem, { backend: js.open })).value, problemGradient(problem).value);
});

test('bad choices are errors naming backend or gpuMode', async (t) => {
  await t.throwsAsync(resolveBackend({ backend: 'cuda' as never }), { message: /^backend: unknown fiber backend "cuda"/ });
  await t.throwsAsync(resolveBackend({ backend: 'gpu.js', gpuMode: 'opencl' as never }), { message: /^gpuMode: unknown gpu.js mode "opencl"/ });
  await t.throwsAsync(resolveBackend({ backend: 'gpu.js', gpuMode: 'webgpu' }), { message: /^gpuMode: webgpu answers asynchronously/ });
  await t.throwsAsync(resolveBackend({ backend: 'gpu.js', gpuMode: 'webgl2' }), { message: /^gpuMode: gpu.js mode webgl2 does not answer here/ });
});

test('simulateProblem: objective, input, output, saved spectra and grid of one forward run', (t) => {
  const run = simulateProblem(problem, { saveEvery: 5 });
  t.deepEqual(
    run.saved.map((s) => s.step),
    [0, 5, 10, 12],
  );
  t.deepEqual(run.saved[0].spectrum, run.input);
  t.deepEqual(run.saved.at(-1)!.spectrum, run.output);
  t.is(run.grid.points, domain.points);
  t.is(run.value, problemGradient(problem).value);
  t.true(relativeError(run.input, run.output) > 1e-3, 'the fiber changes the spectra');
  t.deepEqual(simulateProblem(problem).saved, []);
});

test('simulateProblem with onSave hands over the same spectra one by one and keeps none', (t) => {
  const kept = simulateProblem(problem, { saveEvery: 5 }).saved;
  const handed: { step: number; z: number; spectrum: Float64Array }[] = [];
  const run = simulateProblem(problem, { saveEvery: 5, onSave: (s) => handed.push(s) });
  t.deepEqual(run.saved, []);
  t.deepEqual(handed, kept);
  const stopAt10 = ({ step }: { step: number }) => {
    if (step === 10) throw new Error('stop at 10');
  };
  t.throws(() => simulateProblem(problem, { saveEvery: 5, onSave: stopAt10 }), { message: 'stop at 10' });
});

test('SimConfig: backend and gpuMode are checked, and a backend other than js opens through Simulation.open', async (t) => {
  const config = (extra: object) => new SimConfig({ centerWavelength: 1550, ...extra });
  t.throws(() => config({ backend: 'cuda' }), { message: /config\.backend: must be one of "auto", "js", "gpu\.js", got "cuda"/ });
  t.throws(() => config({ gpuMode: 'cpu' }), { message: /config\.gpuMode: applies with backend "gpu\.js" or "auto" only/ });
  t.throws(() => config({ backend: 'gpu.js', gpuMode: 'webgpu' }), { message: /config\.gpuMode: must be one of "cpu", "webasm"/ });
  const gpuConfig = config({ backend: 'gpu.js', gpuMode: 'cpu' });
  t.throws(() => new Simulation(domain, fiber, pulse, null, gpuConfig), { message: /config\.backend: "gpu\.js" is chosen by probing .* Simulation\.open/ });
  const want = new Simulation(domain, fiber, pulse, null, config({})).run().outputFields!;
  const got = (await Simulation.open(domain, fiber, pulse, null, gpuConfig)).run().outputFields!;
  t.true(relativeError(got, want) < 5e-6);
  t.deepEqual((await Simulation.open(domain, fiber, pulse, null, config({ backend: 'js' }))).run().outputFields, want);
});
