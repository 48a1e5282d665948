import test from 'ava';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { runSync } from '@adjoint/runtime/drive/index';
import { downloadField, FieldUpload } from '@adjoint/runtime/fiber/gpu/field';
import { FftPlan, uploadTwiddles } from '@adjoint/runtime/fiber/gpu/fft';
import { dft, randomPlanes, relativeError } from './reference';

const device = GpuDevice.openSync('cpu');
test.after.always(() => device.dispose());

function setUp(n: number, batch: number) {
  return runSync(
    (function* () {
      const twiddles = yield* uploadTwiddles(device, n);
      return { upload: new FieldUpload(device, `in${n}x${batch}`, n, batch), plan: new FftPlan(device, `fft${n}x${batch}`, n, batch, twiddles) };
    })(),
    'setUp',
  );
}

for (const n of [2, 256, 1024]) {
  test(`Stockham FFT of length ${n} matches fft.js (float64) to float32 accuracy, both signs, with scale`, (t) => {
    const batch = 3;
    const { upload, plan } = setUp(n, batch);
    const x = randomPlanes(n * batch, n);
    for (const [sign, scale] of [
      [1, 1],
      [-1, 1],
      [1, 1 / n],
      [-1, 0.25],
    ] as const) {
      const got = runSync(
        (function* () {
          return yield* downloadField(yield* plan.transform(yield* upload.upload(x), sign, scale));
        })(),
        'fft',
      );
      const error = relativeError(got, dft(x, n, batch, sign, scale));
      t.true(error < 1e-6, `sign ${sign}, scale ${scale}: relative error ${error}`);
    }
  });
}

test('forward then inverse FFT returns the input (round trip), batch of 2 at n = 512', (t) => {
  const n = 512;
  const { upload, plan } = setUp(n, 2);
  const inverse = runSync(
    (function* () {
      const twiddles = yield* uploadTwiddles(device, n);
      return new FftPlan(device, 'inverse', n, 2, twiddles);
    })(),
    'inverse',
  );
  const x = randomPlanes(2 * n, 99, 3);
  const back = runSync(
    (function* () {
      const spectrum = yield* plan.transform(yield* upload.upload(x), -1);
      return yield* downloadField(yield* inverse.transform(spectrum, 1, 1 / n));
    })(),
    'roundTrip',
  );
  t.true(relativeError(back, x) < 1e-6);
});

test('FFT plans reject bad lengths, wrong shapes and their own result as input', (t) => {
  t.throws(() => runSync(uploadTwiddles(device, 96), 'x'), { message: /power of two.*96/ });
  const { upload, plan } = setUp(8, 1);
  const other = setUp(16, 1);
  t.throws(() => runSync(plan.transform(runSync(other.upload.upload(randomPlanes(16, 1)), 'u'), 1), 'x'), {
    message: /\[8, 1\].*\[16, 1\]/,
  });
  // log2(8) = 3 passes: the result lands in the plan's first buffer, which the next transform writes first
  const result = runSync(plan.transform(runSync(upload.upload(randomPlanes(8, 2)), 'u'), 1), 'x');
  t.throws(() => runSync(plan.transform(result, 1), 'x'), { message: /own previous result/ });
});
