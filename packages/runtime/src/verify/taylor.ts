/**
 * The Taylor test (dolfin-adjoint's verification of adjoints). For a direction dm and
 * step sizes h, h/2, h/4, ...:
 *   |J(m + h·dm) − J(m)|            shrinks at order 1 (it does for any gradient),
 *   |J(m + h·dm) − J(m) − h·dJ·dm|  shrinks at order 2 only if dJ is the true gradient.
 * The convergence orders log2(r_k / r_k+1) are about 2 for a right gradient and about 1
 * for a wrong one. Orders fall below 2 when the remainder reaches rounding noise
 * (h too small) or when J is not smooth enough there (h too large): adjust h.
 */
import { valueAndGrad } from '../autodiff/grad';
import { Xoshiro128 } from '../random/index';
import { Tensor } from '../tensor/tensor';
import { flatten } from '../tree/flatten';
import { mapLeaves, zipLeaves } from '../tree/map';
import { assertStructure, structureOf } from '../tree/structure';
import type { Leaf, Tree } from '../tree/types';

export interface TaylorOptions {
  /** The gradient to test, shaped like x (default: reverse mode, valueAndGrad(f)(x)). */
  gradient?: Tree;
  /** The largest step size (default 0.01); each further one is half the one before. */
  h?: number;
  /** How many step sizes (default 5, giving 4 orders; at least 2). */
  evaluations?: number;
  /** Seed of the random direction used when dx is not given (default 0). */
  seed?: number;
  /** true prints the lines with console.log; a function receives them instead. */
  print?: boolean | ((line: string) => void);
}

export interface TaylorResult {
  readonly hs: readonly number[];
  /** |J(m + h·dm) − J(m)| for each h. */
  readonly residuals: readonly number[];
  /** |J(m + h·dm) − J(m) − h·dJ·dm| for each h. */
  readonly remainders: readonly number[];
  /** Convergence orders of the residuals (about 1). */
  readonly ordersWithoutGradient: readonly number[];
  /** Convergence orders of the remainders: about 2 when the gradient is right, about 1 when it is wrong. */
  readonly orders: readonly number[];
  readonly minOrder: number;
  /** The report, dolfin-adjoint style. */
  readonly lines: readonly string[];
}

export function taylorTest<X extends Tree>(f: (x: X) => number | Tensor, x: X, dx?: X, options: TaylorOptions = {}): TaylorResult {
  const where = 'taylorTest';
  if (typeof f !== 'function') throw new TypeError(`${where}: f must be a function, got ${typeof f}`);
  const structure = structureOf(x, 'x');
  const direction = dx ?? (randomDirection(x, options.seed ?? 0) as X);
  assertStructure(structure, direction, 'dx', `${where}: the direction dx must have the structure of x`);
  const { h = 0.01, evaluations = 5 } = options;
  if (!(typeof h === 'number' && h > 0 && Number.isFinite(h))) throw new RangeError(`${where}: options.h must be a positive step size, got ${String(h)}`);
  if (!Number.isInteger(evaluations) || evaluations < 2) throw new RangeError(`${where}: options.evaluations must be an integer >= 2, got ${String(evaluations)}`);

  let j0: number;
  let gradient: Tree;
  if (options.gradient === undefined) {
    const [value, g] = valueAndGrad(f)(x);
    j0 = scalar(value, where);
    gradient = g as Tree;
  } else {
    assertStructure(structure, options.gradient, 'gradient', `${where}: options.gradient must have the structure of x`);
    j0 = scalar(f(x), where);
    gradient = options.gradient;
  }
  const slope = dot(gradient, direction);

  const hs = Array.from({ length: evaluations }, (_, k) => h / 2 ** k);
  const residuals: number[] = [];
  const remainders: number[] = [];
  for (const step of hs) {
    const jh = scalar(f(axpy(x, step, direction) as X), where);
    residuals.push(Math.abs(jh - j0));
    remainders.push(Math.abs(jh - j0 - step * slope));
  }
  const orders = convergenceOrders(remainders);
  const ordersWithoutGradient = convergenceOrders(residuals);
  const lines = [
    `Taylor remainders without gradient information: ${list(residuals)}`,
    `Convergence orders for Taylor remainder without adjoint information (should all be 1): ${list(ordersWithoutGradient)}`,
    `Taylor remainders with gradient information: ${list(remainders)}`,
    `Convergence orders for Taylor remainder with adjoint information (should all be 2): ${list(orders)}`,
  ];
  const print = options.print === true ? (line: string) => console.log(line) : typeof options.print === 'function' ? options.print : undefined;
  for (const line of lines) print?.(line);
  return { hs, residuals, remainders, ordersWithoutGradient, orders, minOrder: Math.min(...orders), lines };
}

/** log2(r_k / r_k+1): the order at which r shrinks as h halves. */
export function convergenceOrders(remainders: readonly number[]): number[] {
  return remainders.slice(1).map((r, k) => Math.log2(remainders[k] / r));
}

function list(values: readonly number[]): string {
  return `[${values.map((v) => v.toPrecision(6)).join(', ')}]`;
}

function scalar(value: unknown, where: string): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor && value.size === 1 && !value.isComplex) return value.item();
  throw new TypeError(`${where}: f must return a real scalar (a number or a Tensor of size 1)`);
}

/** Values of one leaf as a flat array of numbers (complex tensors as interleaved pairs). */
function values(leaf: Leaf): ArrayLike<number> {
  if (typeof leaf === 'number') return [leaf];
  return leaf instanceof Tensor ? leaf._data : leaf;
}

/** Σ g·dx over every number: the directional derivative (for complex leaves too, with z̄ = ∂/∂x + i·∂/∂y). */
function dot(g: Tree, dx: Tree): number {
  const gs = flatten(g, 'gradient').leaves;
  const ds = flatten(dx, 'dx').leaves;
  let sum = 0;
  gs.forEach((leaf, k) => {
    const a = values(leaf);
    const b = values(ds[k]);
    for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  });
  return sum;
}

/** x + h·dx, leaf by leaf, as new values. */
function axpy(x: Tree, h: number, dx: Tree): Tree {
  return zipLeaves(x, dx, (a, b) => {
    if (typeof a === 'number') return a + h * (b as number);
    const data = values(a) as Float64Array | Float32Array;
    const d = values(b);
    const out = new (data.constructor as Float64ArrayConstructor)(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] + h * d[i];
    return a instanceof Tensor ? new Tensor(out, a.shape, a.dtype) : out;
  }, 'x');
}

/** Uniform values in [-1, 1) of x's structure, from a seeded generator (the global RNG is not touched). */
function randomDirection(x: Tree, seed: number): Tree {
  const rng = new Xoshiro128(seed);
  return mapLeaves(x, (leaf) => {
    if (typeof leaf === 'number') return 2 * rng.uniform() - 1;
    const data = values(leaf) as Float64Array | Float32Array;
    const out = new (data.constructor as Float64ArrayConstructor)(data.length);
    for (let i = 0; i < out.length; i++) out[i] = 2 * rng.uniform() - 1;
    return leaf instanceof Tensor ? new Tensor(out, leaf.shape, leaf.dtype) : out;
  }, 'x');
}
