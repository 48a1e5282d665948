/**
 * A step backend that answers every operation with a Promise, as gpu.js does in
 * webgpu mode: the fiber gradient through it (FiberStepHooks under runAsync, the sweep's
 * forwardAsync/backwardAsync) must equal the synchronous gradient bit for bit; the
 * synchronous gradient (checked against central differences in gradient.test.ts) refuses it.
 */
import test from 'ava';
import { parseProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, problemGradientAsync, simulateProblem, simulateProblemAsync } from '@adjoint/runtime/fiber/simulate';
import { random, randomSymmetricOverlap } from './helpers';
import { promisingFactory, type PromisingBackend } from './promising-backend';

const problem = parseProblem({
  version: 1,
  grid: { points: 64, windowPs: 3, centerWavelengthNm: 1550 },
  fiber: {
    lengthM: 0.1,
    steps: 24,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [2, 0.005, -0.018, 1e-4] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(2, random(5)),
    raman: { model: 'lin-agrawal' },
    selfSteepening: true,
  },
  pulse: { shape: 'gaussian', fwhmFs: 120, peakPowerW: 3000, modeCoefficients: [1, 0.6], gddFs2: -200, todFs3: 0 },
  controls: ['pulse.modeCoefficients', 'pulse.gddFs2', 'fiber.n2', 'fiber.modes.1.betas', 'fiber.raman.fR'],
  objective: { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 30 },
});

const opened: PromisingBackend[] = [];
const promising = promisingFactory(opened);

for (const checkpoint of [{ schedule: 'revolve', snapshots: 4 }, { schedule: 'multistage', ram: 1, disk: 2 }] as const) {
  test.serial(`${checkpoint.schedule}: the gradient through an asynchronous backend equals the synchronous one bit for bit`, async (t) => {
    opened.length = 0;
    const sync = problemGradient(problem, { checkpoint });
    const async = await problemGradientAsync(problem, { checkpoint, backend: async (model) => promising(model) });
    t.true(opened.length === 1 && opened[0].answers > 0, 'the steps went through the asynchronous backend');
    t.true(opened[0].disposed);
    t.is(async.value, sync.value);
    t.deepEqual(async.controls, sync.controls);
    t.deepEqual([...async.gradient], [...sync.gradient]);
    t.true(async.gradient.every((g) => Number.isFinite(g)) && async.gradient.some((g) => g !== 0));
    t.deepEqual(async.counters, sync.counters);
  });
}

test.serial('problemGradientAsync over the synchronous float64 backend equals problemGradient', async (t) => {
  const checkpoint = { schedule: 'revolve', snapshots: 3 } as const;
  const sync = problemGradient(problem, { checkpoint });
  const async = await problemGradientAsync(problem, { checkpoint });
  t.is(async.value, sync.value);
  t.deepEqual([...async.gradient], [...sync.gradient]);
  t.deepEqual(async.counters, sync.counters);
});

test.serial('the synchronous gradient refuses an asynchronous backend with a clear error, and disposes of it', (t) => {
  opened.length = 0;
  t.throws(() => problemGradient(problem, { backend: promising }), {
    message: 'fiber gradient: this step backend answers asynchronously (gpu.js webgpu mode); use propagateGradientAsync or problemGradientAsync',
  });
  t.true(opened[0].disposed);
  t.is(opened[0].answers, 0);
});

test.serial('simulateProblemAsync through an asynchronous backend equals simulateProblem bit for bit; simulateProblem refuses it', async (t) => {
  opened.length = 0;
  const sync = simulateProblem(problem, { saveEvery: 7 });
  const async = await simulateProblemAsync(problem, { saveEvery: 7, backend: promising });
  t.true(opened[0].answers > 0 && opened[0].disposed);
  t.is(async.value, sync.value);
  t.deepEqual([...async.output], [...sync.output]);
  t.deepEqual(
    async.saved.map((s) => [s.step, [...s.spectrum]]),
    sync.saved.map((s) => [s.step, [...s.spectrum]]),
  );
  t.throws(() => simulateProblem(problem, { backend: promising }), { message: 'propagate answered asynchronously (with a Promise); use propagateAsync instead' });
  t.true(opened[1].disposed);
});
