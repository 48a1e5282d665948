import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { GpuRk4ipStepper } from '@adjoint/runtime/fiber/gpu/rk4ip';
import { GpuStepProblem } from '@adjoint/runtime/fiber/gpu/step-problem';
import {
  axpy,
  maxAbs,
  norm,
  pulseSpectrum,
  randomPlanes,
  realDot,
  referenceStep,
  relativeError,
  singleModeProblem,
  threeModeProblem,
} from './reference';

const cases: [string, GpuStepProblem][] = [
  ['one mode with Raman and self-steepening', singleModeProblem(256)],
  ['three modes', threeModeProblem(256)],
];

for (const [name, problem] of cases) {
  test(`one RK4IP step on gpu.js (cpu mode) matches the float64 step to float32 accuracy: ${name}`, async (t) => {
    const device = GpuDevice.openSync('cpu');
    try {
      const stepper = GpuRk4ipStepper.createSync(device, problem);
      const u = pulseSpectrum(problem);
      const want = referenceStep(problem, u);
      t.true(relativeError(u, want) > 1e-2, 'the step must change the field far beyond float32 rounding');
      const error = relativeError(stepper.advanceSync(u, 1), want);
      t.true(error < 2e-6, `relative error ${error}`);
      // the async driver runs the same kernels
      t.true(relativeError(await stepper.advanceAsync(u, 1), want) < 2e-6);
    } finally {
      await device.dispose();
    }
  });

  test(`step vjp on gpu.js matches central differences of the float64 step: ${name}`, async (t) => {
    const device = GpuDevice.openSync('cpu');
    try {
      const stepper = GpuRk4ipStepper.createSync(device, problem);
      const len = problem.n * problem.modes;
      const u = pulseSpectrum(problem);
      const outBar = randomPlanes(len, 3);
      const g = stepper.pullbackSync(u, outBar);
      for (const seed of [101, 102, 103]) {
        const d = randomPlanes(len, seed, maxAbs(u));
        const eps = 1e-6;
        const fd = (realDot(outBar, referenceStep(problem, axpy(eps, d, u))) - realDot(outBar, referenceStep(problem, axpy(-eps, d, u)))) / (2 * eps);
        const ad = realDot(g, d);
        t.true(Math.abs(fd - ad) <= 1e-6 * norm(g) * norm(d), `direction ${seed}: finite difference ${fd}, vjp ${ad}`);
      }
    } finally {
      await device.dispose();
    }
  });
}

test('every component of the one-mode step vjp matches its central difference (float64 step)', async (t) => {
  const problem = singleModeProblem(64);
  const device = GpuDevice.openSync('cpu');
  try {
    const stepper = GpuRk4ipStepper.createSync(device, problem);
    const u = pulseSpectrum(problem);
    const outBar = randomPlanes(problem.n, 8);
    const g = stepper.pullbackSync(u, outBar);
    const eps = 1e-6 * maxAbs(u);
    let worst = 0;
    for (const part of ['re', 'im'] as const) {
      for (let i = 0; i < problem.n; i++) {
        const shifted = (s: number) => {
          const v = { re: u.re.slice(), im: u.im.slice() };
          v[part][i] += s;
          return realDot(outBar, referenceStep(problem, v));
        };
        const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
        worst = Math.max(worst, Math.abs(fd - g[part][i]));
      }
    }
    const scale = Math.max(...g.re.map(Math.abs), ...g.im.map(Math.abs));
    t.true(worst <= 2e-6 * scale, `worst component error ${worst} against max |ḡ| ${scale}`);
  } finally {
    await device.dispose();
  }
});

test('steps chained on the device match the same number of float64 steps', (t) => {
  const problem = threeModeProblem(256);
  const device = GpuDevice.openSync('cpu');
  const stepper = GpuRk4ipStepper.createSync(device, problem);
  let want = pulseSpectrum(problem);
  const got = stepper.advanceSync(want, 4);
  for (let i = 0; i < 4; i++) want = referenceStep(problem, want);
  t.true(relativeError(got, want) < 5e-6);
  void device.dispose();
});

test.serial('device bytes: every buffer a step allocates is in ledger("gpu"), and dispose returns them', async (t) => {
  const problem = singleModeProblem(256);
  const { n } = problem;
  const before = ledger.current('gpu');
  const device = GpuDevice.openSync('cpu');
  const stepper = GpuRk4ipStepper.createSync(device, problem);
  const field = 2 * n * 4; // one mode, one pair: a complex float32 field is 2·n·4 bytes
  // float32 tables: twiddles (n/2 complex); pair indices (2); three one-row tables of 2 offsets + 1 record (5);
  // the pairs-by-mode table of 2 offsets + 2 records, since pair (0, 0) reaches mode 0 as m and as n (8)
  const tables = 4 * (n + 2 + 3 * 5 + 8);
  const constants = 3 * field; // E, the nonlinear prefactor, the Raman spectrum
  t.is(ledger.current('gpu') - before, tables + constants, 'tables are uploaded when the stepper is made');
  stepper.advanceSync(pulseSpectrum(problem), 1);
  // upload + 10 RK stages + N: 2 FFT buffers, pair products, 2 Raman FFT buffers, Raman spectrum product, Raman mix, coupled sum, prefactor product
  const stepBuffers = 1 + 10 + 2 + 1 + 2 + 1 + 1 + 1 + 1;
  t.is(ledger.current('gpu') - before, tables + constants + stepBuffers * field);
  t.is(device.heldBytes, ledger.current('gpu') - before);
  stepper.advanceSync(pulseSpectrum(problem), 3);
  t.is(ledger.current('gpu') - before, tables + constants + stepBuffers * field, 'later steps reuse the same buffers');
  await device.dispose();
  t.is(ledger.current('gpu'), before);
});
