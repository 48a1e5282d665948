import test from 'ava';
import type { StepBackend } from '@adjoint/runtime/fiber/backend';
import { Rk4ipAdjoint } from '@adjoint/runtime/fiber/adjoint';
import { runAsync, runSync, settle, type Op } from '@adjoint/runtime/drive/index';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { type FiberModel } from '@adjoint/runtime/fiber/model';
import type { FiberSpec } from '@adjoint/runtime/fiber/problem';
import { Rk4ipStep } from '@adjoint/runtime/fiber/rk4ip';
import { evaluateObjective } from '@adjoint/runtime/fiber/objective';
import { propagate, propagateGradient } from '@adjoint/runtime/fiber/simulate';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { gpuJsBackend, GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { random, randomArray, setUp, threeCoupledModes } from '../fiber/helpers';

const grid = { points: 256, windowPs: 2, centerWavelengthNm: 1550 };
const pulse = { fwhmFs: 100, peakPowerW: 2000, gddFs2: 300 };
const singleMode: FiberSpec = {
  lengthM: 0.02,
  steps: 5,
  modes: [{ betas: [0, 0, -0.02, 1e-4] }],
  gamma: 0.01,
  raman: { model: 'blow-wood' },
  selfSteepening: true,
};
const threeModes = threeCoupledModes(5);

/** max |a − b| / max |b| over interleaved arrays. */
function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return diff / size;
}

/** One taped step and its adjoint through the solver's own algorithms, on any backend. */
function* stepAndAdjoint<F, T>(backend: StepBackend<F, T>, input: Float64Array, outputAdjoint: Float64Array): Op<[Float64Array, Float64Array]> {
  const tapes = [backend.tape(), backend.tape(), backend.tape(), backend.tape()] as const;
  const [x, y, yBar, xBar] = [backend.field(), backend.field(), backend.field(), backend.field()];
  yield backend.uploadInto(x, input);
  yield backend.uploadInto(yBar, outputAdjoint);
  yield* new Rk4ipStep(backend).run(x, y, tapes);
  yield* new Rk4ipAdjoint(backend).run(tapes, yBar, xBar);
  return [yield* settle(backend.download(y)), yield* settle(backend.download(xBar))];
}

for (const [name, fiber] of [
  ['one mode, Blow-Wood Raman, self-steepening', singleMode],
  ['three modes (n2 + symmetric overlap), Lin-Agrawal Raman', threeModes],
] as const) {
  test(`gpu.js backend (cpu mode) agrees with the float64 backend on a step and its adjoint: ${name}`, async (t) => {
    const { model, spectrum0 } = setUp(grid, fiber, { ...pulse, modeCoefficients: fiber.modes.map((_, p) => 1 / (p + 1)) });
    const outputAdjoint = randomArray(spectrum0.length, random(11));
    const reference = new Float64Backend(model);
    const gpu = GpuJsStepBackend.openSync(model);
    try {
      const [y, xBar] = runSync(stepAndAdjoint(reference, spectrum0, outputAdjoint), 'float64');
      const [yGpu, xBarGpu] = runSync(stepAndAdjoint(gpu, spectrum0, outputAdjoint), 'gpu.js');
      t.true(relativeError(spectrum0, y) > 1e-3, 'the step changes the field far beyond float32 rounding');
      const stepError = relativeError(yGpu, y);
      const adjointError = relativeError(xBarGpu, xBar);
      t.true(stepError < 2e-6, `step: relative error ${stepError}`);
      t.true(adjointError < 2e-6, `adjoint: relative error ${adjointError}`);
      // the asynchronous driver runs the same sequence (webgpu.test.ts builds it on WebGPU)
      const [yAsync, xBarAsync] = await runAsync(stepAndAdjoint(gpu, spectrum0, outputAdjoint));
      t.deepEqual([yAsync, xBarAsync], [yGpu, xBarGpu]);
    } finally {
      reference.dispose();
      gpu.dispose();
    }
  });
}

test('propagation and the checkpointed gradient agree with the float64 backend', (t) => {
  const { model, spectrum0 } = setUp(grid, singleMode, pulse);
  const backend = gpuJsBackend({ mode: 'cpu' });
  const forward = relativeError(propagate(model, spectrum0, { backend }).spectrum, propagate(model, spectrum0).spectrum);
  t.true(forward < 5e-6, `output spectra: relative error ${forward}`);
  const objective = (output: Float64Array) => evaluateObjective({ kind: 'bandEnergyFraction', bandNm: [1560, 1700] }, output, model.grid);
  const want = propagateGradient(model, spectrum0, objective);
  const got = propagateGradient(model, spectrum0, objective, { backend });
  t.true(Math.abs(got.value - want.value) < 1e-6 * Math.abs(want.value));
  t.true(relativeError(got.spectrumAdjoint, want.spectrumAdjoint) < 1e-5);
});

function withBackend(model: FiberModel, body: (b: GpuJsStepBackend) => void): void {
  const b = GpuJsStepBackend.openSync(model);
  try {
    body(b);
  } finally {
    b.dispose();
  }
}

test('combine: in place, any number of terms, and zero work fields', (t) => {
  const { model } = setUp(grid, singleMode, pulse);
  withBackend(model, (b) => {
    const rand = random(5);
    const [x, y, z] = [0, 1, 2].map(() => randomArray(2 * grid.points, rand));
    const [fx, fy, fz] = [x, y, z].map((v) => {
      const f = b.field();
      b.uploadInto(f, v);
      return f;
    });
    const zero = b.field();
    t.deepEqual(b.download(zero), new Float64Array(2 * grid.points));
    b.combine(fx, [
      [2, fx],
      [-1, fy],
    ]);
    const want = x.map((v, i) => 2 * v - y[i]);
    t.true(relativeError(b.download(fx), want) < 1e-6);
    b.combine(fx, [[0.5, fx]]);
    t.true(relativeError(b.download(fx), want.map((v) => v / 2)) < 1e-6);
    const sum = b.field();
    b.combine(sum, [
      [1, fx],
      [1, fy],
      [3, fz],
      [1, zero],
    ]);
    t.true(relativeError(b.download(sum), want.map((v, i) => v / 2 + y[i] + 3 * z[i])) < 1e-6);
    t.deepEqual(b.download(fy), Float64Array.from(y, Math.fround), 'inputs are left alone');
  });
});

test('uploadInto: the data stay in their field through later uploads and operations elsewhere', (t) => {
  const { model } = setUp(grid, singleMode, pulse);
  withBackend(model, (b) => {
    const rand = random(9);
    const [first, second] = [b.field(), b.field()];
    const data = randomArray(2 * grid.points, rand);
    b.uploadInto(first, data);
    for (let i = 0; i < 3; i++) b.uploadInto(second, randomArray(2 * grid.points, rand));
    b.halfStep(second, b.field(), false);
    t.deepEqual(b.download(first), Float64Array.from(data, Math.fround));
    b.uploadInto(first, new Float64Array(2 * grid.points));
    t.deepEqual(b.download(first), new Float64Array(2 * grid.points), 'a field takes a new upload');
    t.throws(() => b.uploadInto(first, new Float64Array(3)), { message: /uploadInto: expected 512 numbers/ });
  });
});

test.serial('bytesHeld is what the backend put in ledger("gpu"), all of it released by dispose', (t) => {
  const { model, spectrum0 } = setUp(grid, singleMode, pulse);
  const before = ledger.current('gpu');
  const b = GpuJsStepBackend.openSync(model);
  const tapes = [b.tape(), b.tape(), b.tape(), b.tape()] as const;
  const [input, out] = [b.field(), b.field()];
  b.uploadInto(input, spectrum0);
  runSync(new Rk4ipStep(b).run(input, out, tapes), 'step');
  t.true(b.bytesHeld > 0);
  t.is(ledger.current('gpu') - before, b.bytesHeld);
  t.true(tapes.every((tape) => tape.point !== null), 'every tape holds its evaluation');
  b.dispose();
  t.is(ledger.current('gpu'), before);
  t.throws(() => b.field(), { message: /used after dispose/ });
});

test('openSync refuses webgpu and unknown modes with the reason', (t) => {
  const { model } = setUp(grid, singleMode, pulse);
  t.throws(() => GpuJsStepBackend.openSync(model, { mode: 'webgpu' }), { message: /webgpu answers asynchronously; open it with GpuJsStepBackend\.open/ });
  t.throws(() => GpuJsStepBackend.openSync(model, { mode: 'vulkan' as never }), { message: /mode: unknown gpu.js mode "vulkan"/ });
});
