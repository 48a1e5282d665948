/**
 * Every primitive's VJP (and every composite built on them) against central finite
 * differences in float64, including broadcasting and complex operations. Complex
 * operations are differentiated through real inputs (the real and imaginary parts),
 * with a real loss weighing the real and imaginary parts of the output.
 */
import test from 'ava';
import * as o from '@adjoint/runtime/ops/index';
import { vjp } from '@adjoint/runtime/autodiff/index';
import { onesLike, Tensor, tensor } from '@adjoint/runtime/tensor/index';
import { checkGradient, seeded } from './helpers';

type Case = [string, (...xs: Tensor[]) => Tensor, Tensor[]];

const r = (shape: number[], seed: number, lo = -1, hi = 1) => seeded(shape, seed, lo, hi);
const pos = (shape: number[], seed: number) => seeded(shape, seed, 0.5, 2);
const z = (re: Tensor, im: Tensor) => o.complex(re, im);

const cases: Case[] = [
  // Elementwise binary, with broadcasting in every pattern.
  ['add same shape', o.add, [r([2, 3], 1), r([2, 3], 2)]],
  ['add row broadcast', o.add, [r([2, 3], 1), r([3], 2)]],
  ['add outer broadcast', o.add, [r([2, 1], 1), r([1, 3], 2)]],
  ['add 0-d tensor', o.add, [r([], 1), r([2, 2], 2)]],
  ['add plain number', (x) => o.add(x, 2.5), [r([3], 1)]],
  ['sub broadcast', o.sub, [r([4, 1, 3], 3), r([2, 1], 4)]],
  ['sub number first', (x) => o.sub(1, x), [r([3], 3)]],
  ['mul broadcast', o.mul, [r([2, 3], 5), r([2, 1], 6)]],
  ['div broadcast', o.div, [r([2, 3], 7), pos([3], 8)]],
  ['div number numerator', (x) => o.div(2, x), [pos([3], 8)]],
  ['pow tensor exponent', o.pow, [pos([2, 3], 9), r([3], 10)]],
  ['pow number exponent', (x) => o.pow(x, 3), [r([4], 9)]],
  ['maximum broadcast', o.maximum, [r([2, 3], 11), r([3], 12)]],
  ['minimum broadcast', o.minimum, [r([2, 3], 13), r([2, 1], 14)]],
  ['where broadcast', (a, b) => o.where(tensor([1, 0, 1]), a, b), [r([2, 3], 15), r([2, 1], 16)]],
  // Elementwise unary.
  ['neg', o.neg, [r([3], 17)]],
  ['exp', o.exp, [r([2, 2], 18)]],
  ['log', o.log, [pos([5], 19)]],
  ['sin', o.sin, [r([5], 20, -3, 3)]],
  ['cos', o.cos, [r([5], 21, -3, 3)]],
  ['tanh', o.tanh, [r([5], 22, -2, 2)]],
  ['sigmoid', o.sigmoid, [r([5], 23, -4, 4)]],
  ['relu', o.relu, [tensor([-1.5, -0.3, 0.2, 0.7, 2])]],
  ['sqrt', o.sqrt, [pos([4], 24)]],
  ['abs', o.abs, [tensor([-1.5, -0.3, 0.2, 0.7])]],
  ['square', o.square, [r([4], 25)]],
  // Linear algebra.
  ['matmul 2-D', o.matmul, [r([3, 4], 26), r([4, 2], 27)]],
  ['matmul with unrolled and remainder passes', o.matmul, [r([5, 9], 26), r([9, 6], 27)]],
  ['matmul vector-matrix', o.matmul, [r([4], 28), r([4, 3], 29)]],
  ['matmul matrix-vector', o.matmul, [r([3, 4], 30), r([4], 31)]],
  ['matmul dot', o.matmul, [r([4], 32), r([4], 33)]],
  ['matmul batched', o.matmul, [r([2, 3, 4], 34), r([2, 4, 2], 35)]],
  ['matmul batch broadcast', o.matmul, [r([1, 3, 4], 36), r([2, 1, 4, 2], 37)]],
  ['matmul batch times matrix', o.matmul, [r([2, 3, 4], 38), r([4, 2], 39)]],
  ['matmul vector times batch', o.matmul, [r([4], 40), r([2, 4, 3], 41)]],
  ['transpose default', (x) => o.transpose(x), [r([2, 3], 42)]],
  ['transpose permutation', (x) => o.transpose(x, [1, 2, 0]), [r([2, 3, 4], 43)]],
  // Reductions.
  ['sum all', (x) => o.sum(x), [r([2, 3], 44)]],
  ['sum axis', (x) => o.sum(x, 1), [r([2, 3, 2], 45)]],
  ['sum axes keepdims', (x) => o.sum(x, [0, -1], true), [r([2, 3, 2], 46)]],
  ['mean axis', (x) => o.mean(x, 0), [r([3, 2], 47)]],
  ['mean all', (x) => o.mean(x), [r([3, 2], 48)]],
  ['max all', (x) => o.max(x), [r([2, 3], 49)]],
  ['max axis keepdims', (x) => o.max(x, 1, true), [r([3, 4], 50)]],
  ['min axis', (x) => o.min(x, 0), [r([3, 4], 51)]],
  // Shaping.
  ['reshape', (x) => o.reshape(x, [3, -1]), [r([2, 3], 52)]],
  ['broadcastTo', (x) => o.broadcastTo(x, [2, 3, 4]), [r([3, 1], 53)]],
  ['slice', (x) => o.slice(x, [1, -3], [3]), [r([3, 4], 54)]],
  ['pad', (x) => o.pad(x, [[1, 0], [2, 1]]), [r([2, 2], 55)]],
  ['concat axis 1', (a, b) => o.concat([a, b], 1), [r([2, 3], 56), r([2, 1], 57)]],
  ['stack axis -1', (a, b) => o.stack([a, b], -1), [r([2, 3], 58), r([2, 3], 59)]],
  ['roll axis', (x) => o.roll(x, 2, 1), [r([2, 5], 60)]],
  ['roll flattened', (x) => o.roll(x, -1), [r([2, 3], 61)]],
  ['take one row', (x) => o.take(x, 2), [r([4, 3], 62)]],
  ['take repeated indices', (x) => o.take(x, [0, 2, 2, -1], 1), [r([2, 4], 63)]],
  ['take with a 2-D index tensor', (x) => o.take(x, tensor([[1, 0], [1, 1]])), [r([3, 2], 64)]],
  ['astype through complex', (x) => o.real(o.astype(x, 'complex128')), [r([3], 65)]],
  // Complex: built from real and imaginary parts, differentiated w.r.t. both.
  ['complex', z, [r([3], 66), r([3], 67)]],
  ['complex broadcast', z, [r([2, 3], 66), r([3], 67)]],
  ['real', (a, b) => o.real(z(a, b)), [r([3], 68), r([3], 69)]],
  ['imag', (a, b) => o.imag(z(a, b)), [r([3], 70), r([3], 71)]],
  ['conj', (a, b) => o.conj(z(a, b)), [r([3], 72), r([3], 73)]],
  ['abs2', (a, b) => o.abs2(z(a, b)), [r([3], 74), r([3], 75)]],
  ['abs complex', (a, b) => o.abs(z(a, b)), [r([3], 76), r([3], 77)]],
  ['expi', o.expi, [r([4], 78, -3, 3)]],
  ['complex add broadcast', (a, b, c) => o.add(z(a, b), c), [r([2, 3], 79), r([2, 3], 80), r([3], 81)]],
  ['complex sub', (a, b, c, d) => o.sub(z(a, b), z(c, d)), [r([3], 82), r([3], 83), r([3], 84), r([3], 85)]],
  ['complex mul', (a, b, c, d) => o.mul(z(a, b), z(c, d)), [r([2, 3], 86), r([2, 3], 87), r([3], 88), r([3], 89)]],
  ['complex times real', (a, b, c) => o.mul(z(a, b), c), [r([3], 90), r([3], 91), r([2, 3], 92)]],
  ['complex div', (a, b, c, d) => o.div(z(a, b), z(c, d)), [r([3], 93), r([3], 94), pos([3], 95), pos([3], 96)]],
  ['complex exp', (a, b) => o.exp(z(a, b)), [r([3], 97), r([3], 98, -3, 3)]],
  ['complex square', (a, b) => o.square(z(a, b)), [r([3], 99), r([3], 100)]],
  ['complex neg', (a, b) => o.neg(z(a, b)), [r([3], 101), r([3], 102)]],
  ['complex sum axis', (a, b) => o.sum(z(a, b), 0), [r([2, 3], 103), r([2, 3], 104)]],
  ['complex matmul', (a, b, c, d) => o.matmul(z(a, b), z(c, d)), [r([2, 3], 105), r([2, 3], 106), r([3, 2], 107), r([3, 2], 108)]],
  ['complex where', (a, b) => o.where(tensor([0, 1, 1]), z(a, b), 0), [r([3], 109), r([3], 110)]],
  ['complex slice/concat/take', (a, b) => o.take(o.concat([o.slice(z(a, b), [1]), z(b, a)]), [0, 3, 3]), [r([3], 111), r([3], 112)]],
  ['fft power of two', (a, b) => o.fft(z(a, b)), [r([8], 113), r([8], 114)]],
  ['fft Bluestein length 6, batched', (a, b) => o.fft(z(a, b)), [r([2, 6], 115), r([2, 6], 116)]],
  ['fft of a real input', (a) => o.fft(a), [r([5], 117)]],
  ['ifft power of two', (a, b) => o.ifft(z(a, b)), [r([4], 118), r([4], 119)]],
  ['ifft length 7', (a, b) => o.ifft(z(a, b)), [r([7], 120), r([7], 121)]],
  ['abs2 of fft (a real spectral loss)', (a, b) => o.abs2(o.fft(o.mul(z(a, b), o.expi(a)))), [r([6], 122), r([6], 123)]],
  ['complex mul outer broadcast', (a, b, c, d) => o.mul(z(a, b), z(c, d)), [r([2, 1], 124), r([2, 1], 125), r([1, 3], 126), r([1, 3], 127)]],
  ['complex div by a broadcast real', (a, b, c) => o.div(z(a, b), c), [r([2, 3], 128), r([2, 3], 129), pos([3], 130)]],
  ['real div by complex', (a, c, d) => o.div(a, z(c, d)), [r([3], 131), pos([3], 132), pos([3], 133)]],
  ['expi times a broadcast complex', (a, b, c) => o.mul(o.expi(a), z(b, c)), [r([3], 134), r([2, 3], 135), r([2, 3], 136)]],
  ['complex sum axes keepdims', (a, b) => o.sum(z(a, b), [0, 2], true), [r([2, 3, 2], 137), r([2, 3, 2], 138)]],
  ['complex transpose', (a, b) => o.transpose(z(a, b), [1, 0, 2]), [r([2, 3, 2], 139), r([2, 3, 2], 140)]],
  ['complex reshape', (a, b) => o.reshape(z(a, b), [3, 2]), [r([2, 3], 141), r([2, 3], 142)]],
  ['complex broadcastTo', (a, b) => o.broadcastTo(z(a, b), [2, 3]), [r([3], 143), r([3], 144)]],
  ['complex pad', (a, b) => o.pad(z(a, b), [[1, 2]]), [r([3], 145), r([3], 146)]],
  ['complex matmul batch broadcast', (a, b, c, d) => o.matmul(z(a, b), z(c, d)), [r([2, 1, 3, 4], 147), r([2, 1, 3, 4], 148), r([3, 4, 2], 149), r([3, 4, 2], 150)]],
  ['complex matmul vector times batch', (a, b, c, d) => o.matmul(z(a, b), z(c, d)), [r([4], 151), r([4], 152), r([2, 4, 3], 153), r([2, 4, 3], 154)]],
  ['real times complex matmul', (a, c, d) => o.matmul(a, z(c, d)), [r([2, 3], 155), r([3, 2], 156), r([3, 2], 157)]],
  ['astype complex to float64 (the real part)', (a, b) => o.astype(z(a, b), 'float64'), [r([3], 158), r([3], 159)]],
  // Complex operations on real inputs.
  ['real, imag, conj of a real input', (a) => o.add(o.add(o.real(a), o.mul(2, o.imag(a))), o.mul(3, o.conj(a))), [r([3], 160)]],
  ['abs2 of a real input', (a) => o.abs2(a), [r([3], 161)]],
  ['pow with a number base', (a) => o.pow(2, a), [r([3], 162)]],
];

for (const [name, f, inputs] of cases) {
  test(`VJP of ${name} matches central finite differences`, (t) => checkGradient(t, f, inputs));
}

/** Primitives whose kernels refuse complex128 input: no complex case can exist for them. */
const REAL_ONLY = ['pow', 'log', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'sqrt', 'maximum', 'minimum', 'max', 'min', 'expi', 'complex'];
/** Elementwise primitives of several inputs: each needs a case where an input is broadcast. */
const ELEMENTWISE_MULTI = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'where', 'complex'];

test('the cases run every primitive\'s VJP, with a complex input wherever it takes one and broadcasting for every elementwise operation of several inputs', (t) => {
  // Which VJPs actually run is observed, not inferred from the case names: each rule is wrapped while the cases are pulled back.
  const seen = new Map<string, { complex: boolean; broadcast: boolean }>();
  const table = o.primitives as Record<string, o.Primitive<unknown>>;
  const originals = new Map(Object.entries(table).map(([name, prim]) => [name, prim.vjp]));
  for (const [name, prim] of Object.entries(table)) {
    const rule = originals.get(name)!;
    prim.vjp = (g, inputs, output, params, needs) => {
      const tensors = inputs.filter((x): x is Tensor => typeof x !== 'number');
      const was = seen.get(name);
      seen.set(name, {
        complex: (was?.complex ?? false) || tensors.some((x) => x.isComplex),
        broadcast: (was?.broadcast ?? false) || tensors.some((x) => x.shape.join() !== output.shape.join()),
      });
      return rule.call(prim, g, inputs, output, params, needs);
    };
  }
  try {
    for (const [, f, inputs] of cases) {
      const [y, pullback] = vjp(f, ...inputs);
      pullback(onesLike(y));
    }
  } finally {
    for (const [name, prim] of Object.entries(table)) prim.vjp = originals.get(name)!;
  }
  const names = Object.keys(table);
  t.deepEqual(names.filter((p) => !seen.has(p)), [], 'primitives whose VJP no case ran');
  t.deepEqual(names.filter((p) => !REAL_ONLY.includes(p) && !seen.get(p)!.complex), [], 'primitives taking complex input without a complex case');
  t.deepEqual(ELEMENTWISE_MULTI.filter((p) => !seen.get(p)!.broadcast), [], 'elementwise primitives without a broadcasting case');
  const zc = o.complex(r([2, 2], 163), r([2, 2], 164));
  for (const p of REAL_ONLY) t.throws(() => (o as unknown as Record<string, (...a: unknown[]) => Tensor>)[p](zc, 1), { message: /complex128/ }, `${p} refuses complex input`);
});
