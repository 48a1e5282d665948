/** Forward values of the operations against direct reference computations. */
import test from 'ava';
import * as o from '@adjoint/runtime/ops/index';
import { arange, onesLike, Tensor, tensor } from '@adjoint/runtime/tensor/index';
import { close, seeded } from './helpers';

test('broadcasting follows NumPy: trailing axes align, size-1 axes stretch', (t) => {
  const a = seeded([4, 1, 3], 1);
  const b = seeded([2, 1], 2);
  const c = o.sub(a, b);
  t.deepEqual(c.shape, [4, 2, 3]);
  const want: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) want.push(a.data[i * 3 + k] - b.data[j]);
  close(t, c.data, want, 0);
  close(t, o.mul(tensor([1, 2]), 3).data, [3, 6], 0);
  t.deepEqual(o.add(2, 3).shape, []);
});

test('dtype promotion: numbers are weak, float32 stays float32, complex wins', (t) => {
  const f32 = tensor([1, 2], undefined, 'float32');
  t.is(o.mul(f32, 2).dtype, 'float32');
  t.is(o.add(f32, tensor([1, 2])).dtype, 'float64');
  t.is(o.add(f32, o.complex(1, 1)).dtype, 'complex128');
  t.is(o.sum(f32).dtype, 'float32');
});

test('elementwise functions match Math', (t) => {
  const x = seeded([7], 3, 0.1, 2);
  const fns: [(v: Tensor) => Tensor, (v: number) => number][] = [
    [o.exp, Math.exp], [o.log, Math.log], [o.sin, Math.sin], [o.cos, Math.cos], [o.tanh, Math.tanh],
    [o.sqrt, Math.sqrt], [o.neg, (v) => -v], [o.square, (v) => v * v], [o.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
  ];
  for (const [f, ref] of fns) close(t, f(x).data, [...x.data].map(ref), 1e-15);
  close(t, o.relu(tensor([-1, 0, 2])).data, [0, 0, 2], 0);
  close(t, o.abs(tensor([-1, 2])).data, [1, 2], 0);
  close(t, o.pow(tensor([2, 3]), tensor([3, 0.5])).data, [8, Math.sqrt(3)], 1e-15);
  close(t, o.maximum(tensor([1, 5]), 3).data, [3, 5], 0);
  close(t, o.minimum(tensor([1, 5]), 3).data, [1, 3], 0);
  close(t, o.where(tensor([1, 0]), tensor([1, 2]), tensor([9])).data, [1, 9], 0);
  close(t, o.greater(tensor([1, 2, 3]), 2).data, [0, 0, 1], 0);
  close(t, o.equal(tensor([1, 2]), tensor([1, 3])).data, [1, 0], 0);
  t.is(o.sigmoid(tensor([-1000])).data[0], 0, 'sigmoid does not overflow');
});

test('complex arithmetic', (t) => {
  const a = o.complex(tensor([1, 2]), tensor([3, -1]));
  const b = o.complex(tensor([0.5, -2]), tensor([2, 1]));
  const ref = (f: (ar: number, ai: number, br: number, bi: number) => [number, number]) =>
    [0, 1].flatMap((i) => f(a.data[2 * i], a.data[2 * i + 1], b.data[2 * i], b.data[2 * i + 1]));
  close(t, o.mul(a, b).data, ref((ar, ai, br, bi) => [ar * br - ai * bi, ar * bi + ai * br]), 1e-15);
  const d = (br: number, bi: number) => br * br + bi * bi;
  close(t, o.div(a, b).data, ref((ar, ai, br, bi) => [(ar * br + ai * bi) / d(br, bi), (ai * br - ar * bi) / d(br, bi)]), 1e-15);
  close(t, o.exp(a).data, ref((ar, ai) => [Math.exp(ar) * Math.cos(ai), Math.exp(ar) * Math.sin(ai)]), 1e-15);
  close(t, o.abs(a).data, [Math.hypot(1, 3), Math.hypot(2, 1)], 1e-15);
  close(t, o.abs2(a).data, [10, 5], 1e-15);
  close(t, o.conj(a).data, [1, -3, 2, 1], 0);
  close(t, o.real(a).data, [1, 2], 0);
  close(t, o.imag(a).data, [3, -1], 0);
  close(t, o.expi(tensor([0, Math.PI / 2])).data, [1, 0, Math.cos(Math.PI / 2), 1], 1e-16);
  close(t, o.mul(a, 2).data, [2, 6, 4, -2], 0);
  t.throws(() => o.log(a), { message: 'log: complex128 input is not supported' });
  t.throws(() => o.max(a), { message: /max: complex128 input is not ordered/ });
  t.throws(() => o.ifft(2), { message: 'ifft: needs at least one axis (got a 0-d tensor)' });
});

function naiveDft(re: number[], im: number[], inverse: boolean): number[] {
  const n = re.length;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = ((inverse ? 2 : -2) * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
      si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
    }
    out.push(inverse ? sr / n : sr, inverse ? si / n : si);
  }
  return out;
}

for (const n of [1, 2, 3, 5, 8, 12, 16, 17, 100, 128]) {
  test(`fft and ifft of length ${n} match the direct DFT sum, and invert each other`, (t) => {
    const re = seeded([2, n], n);
    const im = seeded([2, n], n + 1000);
    const z = o.complex(re, im);
    const f = o.fft(z);
    const fi = o.ifft(z);
    for (let r = 0; r < 2; r++) {
      const rowRe = [...re.data.slice(r * n, (r + 1) * n)];
      const rowIm = [...im.data.slice(r * n, (r + 1) * n)];
      close(t, f.data.slice(2 * r * n, 2 * (r + 1) * n), naiveDft(rowRe, rowIm, false), 1e-12 * n);
      close(t, fi.data.slice(2 * r * n, 2 * (r + 1) * n), naiveDft(rowRe, rowIm, true), 1e-12);
    }
    close(t, o.ifft(f).data, z.data, 1e-13);
  });
}

test('matmul matches the triple loop, for 2-D, vectors and broadcast batches', (t) => {
  const naive = (a: Tensor, b: Tensor) => {
    const [m, k] = a.shape;
    const n = b.shape[1];
    const out: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
      out.push(s);
    }
    return out;
  };
  for (const [m, k, n] of [[1, 512, 7], [5, 9, 3], [6, 4, 13], [3, 1, 2]]) {
    const a = seeded([m, k], m + k);
    const b = seeded([k, n], k + n);
    close(t, o.matmul(a, b).data, naive(a, b), 1e-13, `${m}x${k}x${n}`);
  }
  const a = seeded([2, 1, 3, 4], 1);
  const b = seeded([5, 4, 2], 2);
  const c = o.matmul(a, b);
  t.deepEqual(c.shape, [2, 5, 3, 2]);
  const a1 = o.take(o.take(a, 1), 0);
  const b3 = o.take(b, 3);
  close(t, o.take(o.take(c, 1), 3).data, naive(a1, b3), 1e-14);
  t.deepEqual(o.matmul(tensor([1, 2]), tensor([3, 4])).shape, []);
  t.is(o.matmul(tensor([1, 2]), tensor([3, 4])).item(), 11);
  t.deepEqual(o.matmul(tensor([1, 2]), seeded([3, 2, 4], 1)).shape, [3, 4]);
  t.deepEqual(o.matmul(seeded([3, 2, 4], 1), tensor([1, 2, 3, 4])).shape, [3, 2]);
});

test('reductions over all axes, one axis, several axes, with keepdims', (t) => {
  const x = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
  t.is(o.sum(x).item(), 78);
  t.deepEqual(o.sum(x, 1).toArray(), [[9, 12], [27, 30]]);
  t.deepEqual(o.sum(x, [0, 2], true).toArray(), [[[1 + 2 + 7 + 8], [3 + 4 + 9 + 10], [5 + 6 + 11 + 12]]]);
  t.deepEqual(o.mean(x, -1).toArray(), [[1.5, 3.5, 5.5], [7.5, 9.5, 11.5]]);
  t.deepEqual(o.max(x, 0).toArray(), [[7, 8], [9, 10], [11, 12]]);
  t.deepEqual(o.min(x, [1, 2]).toArray(), [1, 7]);
  t.true(Number.isNaN(o.max(tensor([1, NaN, 3])).item()));
  t.throws(() => o.sum(x, 3), { message: 'sum: axis 3 is out of range for a tensor with 3 dimensions' });
  t.throws(() => o.sum(x, [1, -2]), { message: /repeats an axis/ });
});

test('shaping: reshape, transpose, slice, pad, concat, stack, roll, take, broadcastTo', (t) => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  t.deepEqual(o.reshape(x, [3, -1]).toArray(), [[1, 2], [3, 4], [5, 6]]);
  t.throws(() => o.reshape(x, [4, -1]), { message: 'reshape: cannot reshape a tensor of shape [2, 3] (6 elements) into [4, -1]' });
  t.deepEqual(o.transpose(x).toArray(), [[1, 4], [2, 5], [3, 6]]);
  t.deepEqual(o.transpose(o.reshape(arange(24), [2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3]);
  t.deepEqual(o.slice(x, [0, 1], [2, 3]).toArray(), [[2, 3], [5, 6]]);
  t.deepEqual(o.slice(x, [-1]).toArray(), [[4, 5, 6]]);
  t.deepEqual(o.pad(tensor([1, 2]), [[1, 2]]).toArray(), [0, 1, 2, 0, 0]);
  t.deepEqual(o.concat([x, tensor([[7, 8, 9]])]).toArray(), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  t.throws(() => o.concat([x, tensor([[7, 8]])]), { message: 'concat: shapes [2, 3] and [1, 2] cannot be joined along axis 0' });
  t.deepEqual(o.stack([tensor([1, 2]), tensor([3, 4])]).toArray(), [[1, 2], [3, 4]]);
  t.deepEqual(o.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [[1, 3], [2, 4]]);
  t.deepEqual(o.roll(tensor([1, 2, 3, 4]), 1).toArray(), [4, 1, 2, 3]);
  t.deepEqual(o.roll(x, -1, 1).toArray(), [[2, 3, 1], [5, 6, 4]]);
  t.deepEqual(o.roll(x, 1).toArray(), [[6, 1, 2], [3, 4, 5]]);
  t.deepEqual(o.take(x, 1).toArray(), [4, 5, 6]);
  t.deepEqual(o.take(x, [2, 0, -1], 1).toArray(), [[3, 1, 3], [6, 4, 6]]);
  t.throws(() => o.take(x, 2), { message: 'take: index 2 is out of range for axis 0 of length 2 (shape [2, 3])' });
  t.deepEqual(o.broadcastTo(tensor([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]]);
  t.throws(() => o.broadcastTo(tensor([1, 2]), [3]), { message: /broadcastTo: shapes \[2\] and \[3\] cannot be broadcast/ });
  t.is(o.astype(x, 'float32').dtype, 'float32');
});

test('operations reject non-tensor arguments with a clear error', (t) => {
  t.throws(() => o.add([1, 2] as never, 1), { message: 'add: argument 0 is an array; expected a Tensor or a number (wrap data with tensor(...))' });
  t.throws(() => o.exp(undefined as never), { message: /exp: argument 0 is a undefined/ });
});

test('operations never modify their inputs', (t) => {
  const a = tensor([1, 2, 3]);
  const b = tensor([4, 5, 6]);
  for (const f of [o.add, o.mul, o.sub, o.div, o.maximum]) f(a, b);
  o.reshape(a, [3, 1]);
  o.roll(a, 1);
  t.deepEqual([...a.data, ...b.data], [1, 2, 3, 4, 5, 6]);
});

test('vjpRules give fitted adjoints for compiler-generated code', (t) => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([10, 20, 30]);
  const y = o.mul(a, b);
  const [ga, gb] = o.vjpRules.mul(onesLike(y), [a, b], y);
  close(t, (ga as Tensor).data, [10, 20, 30, 10, 20, 30], 0);
  close(t, (gb as Tensor).data, [5, 7, 9], 0);
  const s = o.sum(a, [1]);
  const [gs] = o.vjpRules.sum(tensor([1, 2]), [a], s, { axes: [1], keepdims: false });
  t.deepEqual((gs as Tensor).toArray(), [[1, 1, 1], [2, 2, 2]]);
  const [gx, gn] = o.vjpRules.mul(tensor(3), [tensor(2), 5], tensor(10));
  t.is(gn, 6, 'a number input gets a number adjoint');
  t.is((gx as Tensor).item(), 15);
  t.deepEqual(o.vjpRules.pow(tensor(1), [tensor(2), tensor(3)], tensor(8), undefined, [true, false])[1], null, 'an unneeded adjoint is skipped');
});
