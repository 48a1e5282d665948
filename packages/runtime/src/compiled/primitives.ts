/**
 * DSL operations as compiler-generated code differentiates them. Operations that are
 * one primitive without parameters call the ops VJP table (vjpRules) directly; the
 * others (matmul, sum, reshape, composites, ...) are differentiated by running that
 * single call on a tape (autodiff's vjp), which applies the same rules.
 */
import { vjp } from '../autodiff/grad';
import * as ops from '../ops';
import { reshape, vjpRules } from '../ops';
import { shapeOf } from '../ops/kernels/operand';
import { full } from '../tensor/create';
import { normalizeAxes, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { Tree } from '../tree/types';
import { densify, isZero, type Accumulator, type Adjoint } from './adjoints';

/** Every function the DSL exports, by name: calls to them are differentiated. */
export const DSL_OPERATIONS: ReadonlySet<string> = new Set(Object.keys(ops).filter((k) => typeof (ops as Record<string, unknown>)[k] === 'function'));

/** Public operations that are exactly `primitive(name)(...inputs)` with no parameters. */
const PLAIN = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'where', 'neg', 'exp', 'log', 'sin', 'cos', 'tanh', 'sigmoid',
  'relu', 'sqrt', 'abs', 'square', 'complex', 'real', 'imag', 'conj', 'abs2', 'expi', 'fft', 'ifft',
] as const;

type Operand = Tensor | number;
/** The VJP of a public operation in terms of its public arguments (tensors first, then its options). */
type PublicRule = (g: Tensor, args: readonly unknown[], output: Tensor, needs: readonly boolean[]) => readonly (Tensor | number | null)[];

const reductions = (name: 'sum' | 'max' | 'min'): PublicRule => (g, [x, axis, keepdims = false], out, needs) => [
  ...vjpRules[name](g, [x as Operand], out, { axes: normalizeAxes(name, axis as number | number[] | undefined, shapeOf(x as Operand).length), keepdims }, [needs[0]]),
];

/** The public operations with a VJP rule generated code calls directly, adapted from the ops table. */
const PUBLIC_RULES: Record<string, PublicRule> = {
  ...Object.fromEntries(PLAIN.map((name) => [name, ((g, args, out, needs) => vjpRules[name](g, args as Operand[], out, undefined, needs)) as PublicRule])),
  matmul: matmulRule,
  sum: reductions('sum'),
  max: reductions('max'),
  min: reductions('min'),
  transpose: (g, [x, perm], out, needs) => {
    const ndim = shapeOf(x as Operand).length;
    const p = (perm as number[] | undefined) ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
    return vjpRules.transpose(g, [x as Operand], out, { perm: p.map((a) => normalizeAxis('transpose', a, ndim)) }, [needs[0]]);
  },
  reshape: (g, [x], out, needs) => vjpRules.reshape(g, [x as Operand], out, { shape: out.shape }, [needs[0]]),
  broadcastTo: (g, [x], out, needs) => vjpRules.broadcastTo(g, [x as Operand], out, { shape: out.shape }, [needs[0]]),
};

/** NumPy matmul: 1-D operands are taken as a row (left) or a column (right) of the 2-D product. */
function matmulRule(g: Tensor, [a, b]: readonly unknown[], out: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  const [sa, sb] = [shapeOf(a as Operand), shapeOf(b as Operand)];
  if (sa.length > 1 && sb.length > 1) return vjpRules.matmul(g, [a as Operand, b as Operand], out, undefined, needs) as (Tensor | null)[];
  const a2 = sa.length === 1 ? reshape(a as Operand, [1, sa[0]]) : (a as Operand);
  const b2 = sb.length === 1 ? reshape(b as Operand, [sb[0], 1]) : (b as Operand);
  const shape = [...out.shape];
  if (sa.length === 1) shape.splice(shape.length - (sb.length === 1 ? 0 : 1), 0, 1);
  if (sb.length === 1) shape.push(1);
  const [da, db] = vjpRules.matmul(reshape(g, shape), [a2, b2], reshape(out, shape), undefined, needs);
  return [da === null ? null : reshape(da, sa), db === null ? null : reshape(db, sb)];
}

export const DIRECT_RULES: ReadonlySet<string> = new Set(Object.keys(PUBLIC_RULES));

/** rules[name](g, args, output, needs?) → one adjoint per argument of the public call, 0 for none. */
type CompiledRule = (g: Adjoint, args: readonly unknown[], output: Tensor, needs?: readonly boolean[]) => Adjoint[];

export const rules: { readonly [name: string]: CompiledRule } = Object.fromEntries(
  Object.entries(PUBLIC_RULES).map(([name, rule]) => {
    const compiled: CompiledRule = (g, args, output, needs = args.map(() => true)) => {
      if (isZero(g)) return args.map(() => 0);
      const adjoints = rule(asTensor(g, output), args, output, needs);
      return args.map((_, i) => (needs[i] ? (adjoints[i] ?? 0) : 0));
    };
    return [name, compiled];
  }),
);

/** An adjoint in tensor form: a number adjoint of a size-1 tensor output becomes that tensor. */
function asTensor(g: Adjoint, output: Tensor): Tensor {
  if (g instanceof Tensor) return g;
  if (typeof g === 'number') return full(output.shape, g, output.isComplex ? 'complex128' : output.dtype);
  throw new TypeError(`compiled adjoint: expected a Tensor or number adjoint for an output of shape [${output.shape.join(', ')}]`);
}

/**
 * Runs one DSL call on a tape. `active[i]` marks the arguments to differentiate; the
 * others (axes, shapes, constant data) pass through. The pullback returns one adjoint
 * per argument (0 for inactive ones) and must be called once.
 */
export function tapeVjp(op: (...args: never[]) => Tree, args: readonly unknown[], active: readonly boolean[]): [Tree, (g: Adjoint) => Adjoint[]] {
  const which = active.flatMap((a, i) => (a ? [i] : []));
  const call = (...xs: unknown[]): Tree => {
    const all = [...args];
    which.forEach((i, k) => (all[i] = xs[k]));
    return op(...(all as never[]));
  };
  const [out, pullback] = vjp(call, ...which.map((i) => args[i]));
  return [
    out,
    (g) => {
      const grads = pullback(densify(g, out)) as Adjoint[];
      const all: Adjoint[] = args.map(() => 0);
      which.forEach((i, k) => (all[i] = grads[k]));
      return all;
    },
  ];
}

/**
 * acc += the adjoint of b in out = matmul(a, b), the weight gradient of a step summed over a
 * loop: for 2-D real operands aᵀ·g goes straight into the accumulator's buffer (no product
 * allocated per step); other operands go through the rule.
 */
export function addMatmulAdjoint(acc: Accumulator, g: Adjoint, [a, b]: readonly unknown[], out: Tensor): void {
  if (isZero(g)) return;
  if (g instanceof Tensor && a instanceof Tensor && b instanceof Tensor && b.ndim === 2 && b.dtype === 'float64' && acc.addTransposedProduct(a, g)) return;
  acc.add(rules.matmul(g, [a, b], out, [false, true])[1]);
}
