import test from 'ava';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { runSync } from '@adjoint/runtime/drive/index';
import { DiagonalMultiplyAdd, LinearCombination } from '@adjoint/runtime/fiber/gpu/elementwise';
import { ComplexPlanes, complexPlanes, downloadField, FieldUpload, uploadConstantField } from '@adjoint/runtime/fiber/gpu/field';
import { randomPlanes, relativeError } from './reference';

const device = GpuDevice.openSync('cpu');
test.after.always(() => device.dispose());
const n = 256;
const batch = 3;
const xs = new FieldUpload(device, 'x', n, batch);
const ys = new FieldUpload(device, 'y', n, batch);

/** a·(d ⊙ x) + b·y in float64, d of `rows` rows (1 = broadcast). */
function reference(a: number, d: ComplexPlanes, rows: number, x: ComplexPlanes, b: number, y: ComplexPlanes, conj: boolean): ComplexPlanes {
  const out = complexPlanes(n * batch);
  for (let p = 0; p < batch; p++)
    for (let j = 0; j < n; j++) {
      const i = p * n + j;
      const k = (rows === 1 ? 0 : p) * n + j;
      const dr = d.re[k];
      const di = conj ? -d.im[k] : d.im[k];
      out.re[i] = a * (dr * x.re[i] - di * x.im[i]) + b * y.re[i];
      out.im[i] = a * (dr * x.im[i] + di * x.re[i]) + b * y.im[i];
    }
  return out;
}

test('linear combination a·x + b·y matches float64', (t) => {
  const lc = new LinearCombination(device, 'lc', n, batch);
  const x = randomPlanes(n * batch, 1);
  const y = randomPlanes(n * batch, 2);
  const got = runSync(
    (function* () {
      return yield* downloadField(yield* lc.run(0.3, yield* xs.upload(x), -1.7, yield* ys.upload(y)));
    })(),
    'lc',
  );
  const want = complexPlanes(n * batch);
  for (let i = 0; i < want.re.length; i++) {
    want.re[i] = 0.3 * x.re[i] - 1.7 * y.re[i];
    want.im[i] = 0.3 * x.im[i] - 1.7 * y.im[i];
  }
  t.true(relativeError(got, want) < 1e-6);
  t.throws(() => runSync(lc.run(1, runSync(new FieldUpload(device, 'z', n, 1).upload(randomPlanes(n, 3)), 'u'), 1, runSync(ys.upload(y), 'u')), 'x'), {
    message: /lc: expected a field of shape \[256, 3\], got \[256, 1\]/,
  });
});

for (const rows of [1, batch]) {
  for (const conj of [false, true]) {
    test(`diagonal multiply-add with a ${rows}-row table${conj ? ', conjugated' : ''} matches float64`, (t) => {
      const d = randomPlanes(n * rows, 10 + rows, 2);
      const x = randomPlanes(n * batch, 11);
      const y = randomPlanes(n * batch, 12);
      const got = runSync(
        (function* () {
          const table = yield* uploadConstantField(device, `d${rows}${conj}`, d, n, rows);
          const op = new DiagonalMultiplyAdd(device, `dma${rows}${conj}`, table, batch);
          return yield* downloadField(yield* op.run(0.7, yield* xs.upload(x), 2.5, yield* ys.upload(y), conj));
        })(),
        'dma',
      );
      t.true(relativeError(got, reference(0.7, d, rows, x, 2.5, y, conj)) < 1e-6);
    });
  }
}
