/**
 * THE PRIMITIVE TABLE: every differentiable primitive's forward and VJP, one entry each.
 *
 * A VJP rule reads `vjp: (g, inputs, output, params, needs) => adjoints`:
 *  - g: the adjoint of the output (same shape as the output);
 *  - inputs: the primitive's inputs as passed (Tensors or plain numbers);
 *  - output: the forward result; params: the primitive's non-tensor arguments;
 *  - needs[i]: whether input i wants an adjoint (rules may return null when it does not);
 *  - returns one adjoint per input, null meaning zero. A rule may return an adjoint in
 *    the broadcast shape of the output and in a wider dtype; fitAdjoint (ops/apply.ts)
 *    sums the broadcast axes away and converts the dtype uniformly for every rule.
 * Rules are written with the public ops; they run with recording off.
 *
 * Complex convention (PyTorch's conjugate Wirtinger one, for a real loss L): the adjoint
 * of a complex z = x + iy is  z̄ = ∂L/∂x + i·∂L/∂y, so gradient descent is z -= lr·z̄.
 * For a holomorphic y = f(z) this gives z̄ = ȳ·conj(f'(z)); for a complex linear map
 * y = A·z it gives z̄ = Aᴴ·ȳ (hence fft's adjoint is n·ifft). JAX returns the conjugate of
 * this for complex inputs. For a real input of a complex operation the adjoint is the
 * real part. Real parameters get the same gradient under either convention.
 *
 * Compiler-generated adjoints use the fitted form of these rules: `vjpRules` in ops/index.ts.
 */
import { zerosLike } from '../tensor/create';
import { DType, formatShape, Tensor } from '../tensor/tensor';
import { broadcastShapes, normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape';
import { checkDType } from '../tensor/dtype';
import { apply, Primitive } from './apply';
import * as k from './kernels/arith';
import { whereKernel } from './kernels/elementwise';
import { fftKernel } from './kernels/fft';
import { broadcastKernel, concatKernel, padKernel, scatterAddKernel, sliceKernel, takeKernel, transposeKernel } from './kernels/layout';
import { matmulKernel } from './kernels/matmul';
import { cast, resultDType, shapeOf, TensorLike } from './kernels/operand';
import { reduceKernel } from './kernels/reduce';

export interface PrimitiveParams {
  add: void; sub: void; mul: void; div: void; neg: void; pow: void;
  exp: void; log: void; sin: void; cos: void; tanh: void; sigmoid: void; relu: void;
  sqrt: void; abs: void; square: void; maximum: void; minimum: void; where: void;
  complex: void; real: void; imag: void; conj: void; abs2: void; expi: void; fft: void; ifft: void;
  matmul: void;
  transpose: { perm: readonly number[] };
  reshape: { shape: readonly number[] };
  broadcastTo: { shape: readonly number[] };
  astype: { dtype: DType };
  sum: { axes: readonly number[]; keepdims: boolean };
  max: { axes: readonly number[]; keepdims: boolean };
  min: { axes: readonly number[]; keepdims: boolean };
  slice: { begin: readonly number[]; end: readonly number[] };
  pad: { before: readonly number[]; after: readonly number[] };
  concat: { axis: number };
  take: { indices: Int32Array; indexShape: readonly number[]; axis: number };
}

export type PrimitiveName = keyof PrimitiveParams;

/** Numbers reach shape-level kernels as 0-d float64 tensors. */
const one = (x: TensorLike): Tensor => (typeof x === 'number' ? new Tensor(new Float64Array([x]), []) : x);
const isComplex = (x: TensorLike) => typeof x !== 'number' && x.isComplex;

/** The shape `x` had before `axes` were reduced away (size 1 on those axes). */
const keptShape = (x: TensorLike, axes: readonly number[]) => shapeOf(x).map((d, i) => (axes.includes(i) ? 1 : d));

/** Share of the adjoint an elementwise max/min sends to `a`: 1 where it won, 1/2 on ties. */
const share = (wins: Tensor, ties: Tensor) => add(wins, mul(0.5, ties));

export const primitives: { readonly [K in PrimitiveName]: Primitive<PrimitiveParams[K]> } = {
  add: { forward: ([a, b]) => k.addKernel(a, b), vjp: (g) => [g, g] },
  sub: { forward: ([a, b]) => k.subKernel(a, b), vjp: (g) => [g, neg(g)] },
  mul: { forward: ([a, b]) => k.mulKernel(a, b), vjp: (g, [a, b]) => [mul(g, conj(b)), mul(g, conj(a))] },
  div: {
    forward: ([a, b]) => k.divKernel(a, b),
    vjp: (g, [, b], y, _, needs) => [div(g, conj(b)), needs[1] ? neg(mul(g, conj(div(y, b)))) : null],
  },
  neg: { forward: ([x]) => k.negKernel(x), vjp: (g) => [neg(g)] },
  pow: {
    forward: ([a, b]) => k.powKernel(a, b),
    vjp: (g, [a, b], y, _, needs) => [
      needs[0] ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
      needs[1] ? mul(g, mul(y, log(a))) : null,
    ],
  },
  exp: { forward: ([x]) => k.expKernel(x), vjp: (g, _, y) => [mul(g, conj(y))] },
  log: { forward: ([x]) => k.logKernel(x), vjp: (g, [x]) => [div(g, x)] },
  sin: { forward: ([x]) => k.sinKernel(x), vjp: (g, [x]) => [mul(g, cos(x))] },
  cos: { forward: ([x]) => k.cosKernel(x), vjp: (g, [x]) => [neg(mul(g, sin(x)))] },
  tanh: { forward: ([x]) => k.tanhKernel(x), vjp: (g, _, y) => [mul(g, sub(1, square(y)))] },
  sigmoid: { forward: ([x]) => k.sigmoidKernel(x), vjp: (g, _, y) => [mul(g, mul(y, sub(1, y)))] },
  relu: { forward: ([x]) => k.reluKernel(x), vjp: (g, [x]) => [mul(g, k.greaterKernel(x, 0))] },
  sqrt: { forward: ([x]) => k.sqrtKernel(x), vjp: (g, _, y) => [div(g, mul(2, y))] },
  // |z| for complex z: z̄ = g·z/|z| (0 at z = 0, like the real subgradient sign(0) = 0).
  abs: {
    forward: ([x]) => k.absKernel(x),
    vjp: (g, [x], y) => [isComplex(x) ? mul(g, div(x, where(y, y, 1))) : mul(g, k.signKernel(x))],
  },
  square: { forward: ([x]) => k.squareKernel(x), vjp: (g, [x]) => [mul(g, conj(mul(2, x)))] },
  maximum: {
    forward: ([a, b]) => k.maximumKernel(a, b),
    vjp: (g, [a, b]) => [mul(g, share(k.greaterKernel(a, b), k.equalKernel(a, b))), mul(g, share(k.lessKernel(a, b), k.equalKernel(a, b)))],
  },
  minimum: {
    forward: ([a, b]) => k.minimumKernel(a, b),
    vjp: (g, [a, b]) => [mul(g, share(k.lessKernel(a, b), k.equalKernel(a, b))), mul(g, share(k.greaterKernel(a, b), k.equalKernel(a, b)))],
  },
  // The condition is piecewise constant: it never gets an adjoint.
  where: { forward: ([c, a, b]) => whereKernel(c, a, b), vjp: (g, [c]) => [null, where(c, g, 0), where(c, 0, g)] },

  complex: { forward: ([re, im]) => k.complexKernel(re, im), vjp: (g) => [real(g), imag(g)] },
  real: { forward: ([z]) => (isComplex(z) ? k.realKernel(z) : one(z)), vjp: (g) => [g] },
  imag: { forward: ([z]) => (isComplex(z) ? k.imagKernel(z) : zerosLike(one(z))), vjp: (g) => [complex(0, g)] },
  conj: { forward: ([z]) => (isComplex(z) ? k.conjKernel(z) : one(z)), vjp: (g) => [conj(g)] },
  abs2: { forward: ([z]) => k.abs2Kernel(z), vjp: (g, [z]) => [mul(g, mul(2, z))] },
  expi: { forward: ([x]) => k.expiKernel(x), vjp: (g, _, y) => [imag(mul(conj(y), g))] },
  fft: { forward: ([x]) => fftKernel(toComplex(x), false), vjp: (g) => [mul(ifft(g), lastDim(g))] },
  ifft: { forward: ([x]) => fftKernel(toComplex(x), true), vjp: (g) => [div(fft(g), lastDim(g))] },

  matmul: {
    forward: ([a, b]) => matmulKernel('matmul', one(a), one(b)),
    vjp: (g, [a, b], _, __, needs) => [
      needs[0] ? matmulKernel('matmul', g, one(b), false, true) : null,
      needs[1] ? matmulKernel('matmul', one(a), g, true, false) : null,
    ],
  },
  transpose: {
    forward: ([x], { perm }) => transposeKernel(one(x), perm),
    vjp: (g, _, __, { perm }) => [transpose(g, inversePermutation(perm))],
  },
  reshape: {
    forward: ([x], { shape }) => new Tensor(one(x)._data, shape, one(x).dtype),
    vjp: (g, [x]) => [reshape(g, shapeOf(x))],
  },
  broadcastTo: { forward: ([x], { shape }) => broadcastKernel(one(x), shape), vjp: (g) => [g] },
  astype: { forward: ([x], { dtype }) => cast(one(x), dtype), vjp: (g) => [g] },

  sum: {
    forward: ([x], { axes, keepdims }) => reduceKernel(one(x), axes, 'sum', keepdims),
    vjp: (g, [x], _, { axes }) => [broadcastTo(reshape(g, keptShape(x, axes)), shapeOf(x))],
  },
  // Ties share the adjoint equally, as in JAX.
  max: {
    forward: ([x], { axes, keepdims }) => reduceKernel(one(x), axes, 'max', keepdims),
    vjp: (g, [x], y, { axes }) => [extremumVjp(g, one(x), y, axes)],
  },
  min: {
    forward: ([x], { axes, keepdims }) => reduceKernel(one(x), axes, 'min', keepdims),
    vjp: (g, [x], y, { axes }) => [extremumVjp(g, one(x), y, axes)],
  },

  slice: {
    forward: ([x], { begin, end }) => sliceKernel(one(x), begin, end),
    vjp: (g, [x], _, { begin, end }) => [pad(g, begin.map((b, i) => [b, shapeOf(x)[i] - end[i]]))],
  },
  pad: {
    forward: ([x], { before, after }) => padKernel(one(x), before, after),
    vjp: (g, [x], _, { before }) => [slice(g, before, before.map((b, i) => b + shapeOf(x)[i]))],
  },
  concat: {
    forward: (xs, { axis }) => concatKernel(xs.map(one), axis),
    vjp: (g, xs, _, { axis }) => {
      let start = 0;
      return xs.map((x) => {
        const begin = g.shape.map((__, i) => (i === axis ? start : 0));
        start += one(x).shape[axis];
        return slice(g, begin, g.shape.map((d, i) => (i === axis ? start : d)));
      });
    },
  },
  take: {
    forward: ([x], { indices, indexShape, axis }) => takeKernel(one(x), indices, indexShape, axis),
    vjp: (g, [x], _, { indices, axis }) => [scatterAddKernel(g, indices, shapeOf(x), axis)],
  },
};

function extremumVjp(g: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const kept = keptShape(x, axes);
  const hits = k.equalKernel(x, reshape(y, kept));
  return mul(reshape(g, kept), div(hits, reduceKernel(hits, axes, 'sum', true)));
}

function toComplex(x: TensorLike): Tensor {
  return cast(one(x), 'complex128');
}

function lastDim(x: Tensor): number {
  return x.shape[x.ndim - 1];
}

function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

// ---------------------------------------------------------------------------------------
// Public operations: argument checking and defaults, then the primitive.

function run<K extends PrimitiveName>(name: K, inputs: readonly TensorLike[], params: PrimitiveParams[K]): Tensor {
  return apply(name, primitives[name] as Primitive<PrimitiveParams[K]>, inputs, params);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => run('add', [a, b], undefined);
export const sub = (a: TensorLike, b: TensorLike): Tensor => run('sub', [a, b], undefined);
export const mul = (a: TensorLike, b: TensorLike): Tensor => run('mul', [a, b], undefined);
export const div = (a: TensorLike, b: TensorLike): Tensor => run('div', [a, b], undefined);
/** Real powers a^b (NaN for a negative base with a non-integer exponent). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => run('pow', [a, b], undefined);
/** Elementwise maximum; NaN wins. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => run('maximum', [a, b], undefined);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => run('minimum', [a, b], undefined);
/** a where cond is non-zero, else b (all three broadcast). */
export const where = (cond: TensorLike, a: TensorLike, b: TensorLike): Tensor => run('where', [cond, a, b], undefined);
export const neg = (x: TensorLike): Tensor => run('neg', [x], undefined);
export const exp = (x: TensorLike): Tensor => run('exp', [x], undefined);
export const log = (x: TensorLike): Tensor => run('log', [x], undefined);
export const sin = (x: TensorLike): Tensor => run('sin', [x], undefined);
export const cos = (x: TensorLike): Tensor => run('cos', [x], undefined);
export const tanh = (x: TensorLike): Tensor => run('tanh', [x], undefined);
export const sigmoid = (x: TensorLike): Tensor => run('sigmoid', [x], undefined);
export const relu = (x: TensorLike): Tensor => run('relu', [x], undefined);
export const sqrt = (x: TensorLike): Tensor => run('sqrt', [x], undefined);
/** |x|; for complex x the modulus (a real tensor). */
export const abs = (x: TensorLike): Tensor => run('abs', [x], undefined);
export const square = (x: TensorLike): Tensor => run('square', [x], undefined);

/** The complex tensor re + i·im from two real ones (broadcast). */
export const complex = (re: TensorLike, im: TensorLike): Tensor => run('complex', [re, im], undefined);
export const real = (z: TensorLike): Tensor => run('real', [z], undefined);
export const imag = (z: TensorLike): Tensor => run('imag', [z], undefined);
export const conj = (z: TensorLike): Tensor => run('conj', [z], undefined);
/** |z|² = re² + im², real. */
export const abs2 = (z: TensorLike): Tensor => run('abs2', [z], undefined);
/** exp(i·θ) = cos θ + i·sin θ for real θ. */
export const expi = (theta: TensorLike): Tensor => run('expi', [theta], undefined);
/** DFT along the last axis: X_k = Σ_j x_j·exp(-2πi·jk/n) (NumPy's convention); real input is promoted. */
export const fft = (x: TensorLike): Tensor => run('fft', [x], undefined);
/** Inverse DFT along the last axis, with the 1/n factor. */
export const ifft = (x: TensorLike): Tensor => run('ifft', [x], undefined);

/**
 * Matrix product with NumPy's rules: 1-D operands are vectors (a dot product for two),
 * rank >= 3 operands are stacks of matrices whose leading axes broadcast.
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const [sa, sb] = [shapeOf(a), shapeOf(b)];
  if (sa.length === 0 || sb.length === 0) {
    throw new Error(`matmul: shapes ${formatShape(sa)} and ${formatShape(sb)}: operands must have at least one axis (use mul for scalars)`);
  }
  const [ka, kb] = [sa[sa.length - 1], sb.length === 1 ? sb[0] : sb[sb.length - 2]];
  if (ka !== kb) throw new Error(`matmul: shapes ${formatShape(sa)} and ${formatShape(sb)} do not match: inner dimensions ${ka} and ${kb} differ`);
  // Checked here, where the operands' own shapes are known: the kernel sees only the batch axes.
  const [batchA, batchB] = [sa.slice(0, -2), sb.slice(0, -2)];
  try {
    broadcastShapes('matmul', [batchA, batchB]);
  } catch {
    throw new Error(`matmul: shapes ${formatShape(sa)} and ${formatShape(sb)} do not match: batch axes ${formatShape(batchA)} and ${formatShape(batchB)} cannot be broadcast together`);
  }
  const a2 = sa.length === 1 ? reshape(a, [1, sa[0]]) : a;
  const b2 = sb.length === 1 ? reshape(b, [sb[0], 1]) : b;
  const c = run('matmul', [a2, b2], undefined);
  if (sa.length > 1 && sb.length > 1) return c;
  const shape = [...c.shape];
  if (sb.length === 1) shape.pop();
  if (sa.length === 1) shape.splice(shape.length - (sb.length === 1 ? 1 : 2), 1);
  return reshape(c, shape);
}

/** Permutes axes; by default reverses them (NumPy). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const ndim = shapeOf(x).length;
  const p = perm ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  const normalized = p.map((a) => normalizeAxis('transpose', a, ndim));
  if (p.length !== ndim || new Set(normalized).size !== ndim) {
    throw new Error(`transpose: ${JSON.stringify(perm)} is not a permutation of the ${ndim} axes of a tensor of shape ${formatShape(shapeOf(x))}`);
  }
  return run('transpose', [x], { perm: normalized });
}

/** The same data in a new shape (one entry may be -1: inferred). Shares the buffer. */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const from = shapeOf(x);
  const size = sizeOf(from);
  const known = shape.filter((d) => d !== -1);
  const bad = shape.some((d) => !Number.isInteger(d) || d < -1) || shape.length - known.length > 1;
  const rest = size / sizeOf(known);
  const target = shape.map((d) => (d === -1 ? rest : d));
  if (bad || !Number.isInteger(rest) || sizeOf(target) !== size) {
    throw new Error(`reshape: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`);
  }
  return run('reshape', [x], { shape: target });
}

/** x repeated along broadcast axes to `shape` (NumPy broadcast_to). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const from = shapeOf(x);
  const out = broadcastShapes('broadcastTo', [from, shape]);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new Error(`broadcastTo: shape ${formatShape(from)} cannot be broadcast to ${formatShape(shape)}`);
  }
  return run('broadcastTo', [x], { shape: [...shape] });
}

export function astype(x: TensorLike, dtype: DType): Tensor {
  return run('astype', [x], { dtype: checkDType(dtype, 'astype') });
}

type Axis = number | readonly number[];

function reduction(name: 'sum' | 'max' | 'min', x: TensorLike, axis: Axis | undefined, keepdims: boolean): Tensor {
  return run(name, [x], { axes: normalizeAxes(name, axis, shapeOf(x).length), keepdims });
}

/** Sum over `axis` (one axis, several, or all when omitted). */
export const sum = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('sum', x, axis, keepdims);
/** Largest element over `axis` (all axes when omitted); NaN wins. */
export const max = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('max', x, axis, keepdims);
export const min = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('min', x, axis, keepdims);

/** x[begin:end] per axis; negative bounds count from the end, bounds are clamped, missing axes are whole. */
export function slice(x: TensorLike, begin: readonly number[], end?: readonly number[]): Tensor {
  const shape = shapeOf(x);
  if (begin.length > shape.length || (end && end.length > shape.length)) {
    throw new Error(`slice: bounds ${formatShape(begin)}..${formatShape(end ?? [])} have more axes than the shape ${formatShape(shape)}`);
  }
  const clamp = (v: number, d: number) => Math.min(d, Math.max(0, v < 0 ? v + d : v));
  const b = shape.map((d, i) => clamp(begin[i] ?? 0, d));
  const e = shape.map((d, i) => Math.max(b[i], clamp(end?.[i] ?? d, d)));
  return run('slice', [x], { begin: b, end: e });
}

/** Zero padding: widths[i] = [before, after] for axis i (missing axes unpadded). */
export function pad(x: TensorLike, widths: readonly (readonly [number, number])[]): Tensor {
  const shape = shapeOf(x);
  if (widths.length > shape.length || widths.flat().some((w) => !Number.isInteger(w) || w < 0)) {
    throw new Error(`pad: widths ${JSON.stringify(widths)} must be [before, after] non-negative integers for at most the ${shape.length} axes of ${formatShape(shape)}`);
  }
  return run('pad', [x], { before: shape.map((_, i) => widths[i]?.[0] ?? 0), after: shape.map((_, i) => widths[i]?.[1] ?? 0) });
}

/** Joins tensors along an existing axis; every other axis must agree. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('concat: needs at least one tensor');
  const shapes = xs.map(shapeOf);
  const ndim = shapes[0].length;
  const ax = normalizeAxis('concat', axis, ndim);
  const dtype = resultDType(xs);
  const mismatch = shapes.some((s) => s.length !== ndim || s.some((d, i) => i !== ax && d !== shapes[0][i]));
  if (ndim === 0 || mismatch) {
    throw new Error(`concat: shapes ${shapes.map(formatShape).join(' and ')} cannot be joined along axis ${axis}`);
  }
  return run('concat', xs.map((x) => (typeof x === 'number' || x.dtype === dtype ? x : astype(x, dtype))), { axis: ax });
}

/**
 * Gathers along `axis` (default 0). A number index removes the axis (take(xs, t) is the
 * t-th row); an array of indices puts its shape in place of the axis. Negative indices count from the end.
 */
export function take(x: TensorLike, indices: number | readonly number[] | Int32Array | Tensor, axis = 0): Tensor {
  const shape = shapeOf(x);
  const ax = normalizeAxis('take', axis, shape.length);
  const n = shape[ax];
  const list = typeof indices === 'number' ? [indices] : indices instanceof Tensor ? indices._data : indices;
  const resolved = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!Number.isInteger(v) || v < -n || v >= n) throw new Error(`take: index ${v} is out of range for axis ${axis} of length ${n} (shape ${formatShape(shape)})`);
    resolved[i] = v < 0 ? v + n : v;
  }
  const indexShape = typeof indices === 'number' ? [] : indices instanceof Tensor ? [...indices.shape] : [list.length];
  return run('take', [x], { indices: resolved, indexShape, axis: ax });
}
