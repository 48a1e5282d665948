/**
 * Every primitive's VJP (and every composite built on them) against central finite
 * differences in float64, including broadcasting and complex operations. Complex
 * operations are differentiated through real inputs (the real and imaginary parts),
 * with a real loss weighing the real and imaginary parts of the output.
 */
import test from 'ava';
import * as o from '@adjoint/runtime/ops/index';
import { Tensor, tensor } from '@adjoint/runtime/tensor/index';
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
];

for (const [name, f, inputs] of cases) {
  test(`VJP of ${name} matches central finite differences`, (t) => checkGradient(t, f, inputs));
}

test('every primitive of the table is covered by a finite-difference case above', (t) => {
  const covered = cases.map(([name]) => name.split(' ')[0]);
  const missing = Object.keys(o.primitives).filter((p) => !covered.includes(p) && !cases.some(([n]) => n.includes(p)));
  t.deepEqual(missing, []);
});
