/**
 * The algebra of adjoint values in compiler-generated code. An adjoint has the shape
 * of its primal value tree, except that the number 0 stands for "zero of any shape":
 * generated code starts every adjoint at 0 and never needs the primal's shape until a
 * gradient leaves it (densify). Containers are never mutated, so an adjoint may be
 * shared between variables without one accumulation leaking into another.
 */
import { add as addTensors } from '../ops';
import { full, zerosLike as zerosTensor } from '../tensor/create';
import { Tensor, type Storage } from '../tensor/tensor';
import type { Tree } from '../tree/types';

/** An adjoint value: a value tree, with 0 allowed anywhere as the zero of that subtree. */
export type Adjoint = Tree;

/** The symbolic zero (null and undefined are what VJP tables return for "no adjoint"). */
export function isZero(a: unknown): boolean {
  return a === 0 || a === undefined || a === null;
}

function describe(a: unknown): string {
  if (a instanceof Tensor) return `Tensor[${a.shape.join(', ')}]`;
  if (ArrayBuffer.isView(a)) return `${a.constructor.name}(${(a as Float64Array).length})`;
  if (Array.isArray(a)) return `array(${a.length})`;
  return typeof a;
}

/** a + b for adjoints of the same primal. */
export function add(a: Adjoint, b: Adjoint): Adjoint {
  if (isZero(a)) return b;
  if (isZero(b)) return a;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
      throw new Error(`adjoint add: shapes differ, ${describe(a)} vs ${describe(b)}`);
    }
    return a.dtype === b.dtype ? sumOfLayout(a, b) : addTensors(a, b);
  }
  // a 0-d result used in native arithmetic gets number adjoints next to tensor ones
  if ((a instanceof Tensor && typeof b === 'number') || (typeof a === 'number' && b instanceof Tensor)) return addTensors(a, b);
  if (isTypedArray(a) && isTypedArray(b)) return addArrays(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(`adjoint add: tuple lengths differ, ${describe(a)} vs ${describe(b)}`);
    return a.map((x, i) => add(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const out: Record<string, Adjoint> = { ...a };
    for (const key of Object.keys(b)) out[key] = key in out ? add(out[key], b[key]) : b[key];
    return out;
  }
  throw new Error(`adjoint add: cannot add ${describe(a)} and ${describe(b)}`);
}

/**
 * The adjoint of a variable that generated code only ever adds into and reads once at
 * the end (a parameter that is never reassigned, whose adjoint sums one term per loop
 * step). Once it holds a buffer it allocated itself (the sum of the first two terms, or
 * the first matmul term), it adds in place into that buffer, which nothing else sees
 * before value(): one allocation for a whole loop instead of one or two per step.
 */
export class Accumulator {
  private sum: Adjoint = 0;
  /** Whether `sum` is a tensor or typed array this accumulator allocated (and may write into). */
  private owned = false;

  add(term: Adjoint): void {
    if (isZero(term)) return;
    if (this.owned && addInPlace(this.sum, term)) return;
    const next = add(this.sum, term);
    this.owned = next !== this.sum && next !== term && (next instanceof Tensor || isTypedArray(next));
    this.sum = next;
  }

  /**
   * Adds aᵀ·g (the adjoint of b in out = a·b) for real 2-D float64 a [k, m] and g [k, n],
   * straight into its own [m, n] buffer, with no product allocated; false (nothing done)
   * when the operands or the sum so far are of another form.
   */
  addTransposedProduct(a: Tensor, g: Tensor): boolean {
    if (a.dtype !== 'float64' || g.dtype !== 'float64' || a.ndim !== 2 || g.ndim !== 2 || a.shape[0] !== g.shape[0]) return false;
    const [k, m] = a.shape;
    const n = g.shape[1];
    const own = this.ownBuffer([m, n]);
    if (!own) return false;
    const ad = a._data;
    const gd = g._data;
    for (let p = 0; p < k; p++) {
      for (let i = 0; i < m; i++) {
        const x = ad[p * m + i];
        if (x === 0) continue;
        const row = i * n;
        const gp = p * n;
        for (let j = 0; j < n; j++) own[row + j] += x * gd[gp + j];
      }
    }
    return true;
  }

  /** The data of the sum as a float64 [rows, cols] tensor this accumulator owns (made so from zero or a copy); undefined if the sum is of another form. */
  private ownBuffer([rows, cols]: readonly [number, number]): Storage | undefined {
    const sum = this.sum;
    const fits = sum instanceof Tensor && sum.dtype === 'float64' && sum.ndim === 2 && sum.shape[0] === rows && sum.shape[1] === cols;
    if (this.owned) return fits ? sum._data : undefined;
    if (!fits && !isZero(sum)) return undefined;
    const owned = new Tensor(fits ? sum._data.slice() : new Float64Array(rows * cols), [rows, cols]);
    this.sum = owned;
    this.owned = true;
    return owned._data;
  }

  /** The total; the accumulator never writes into it again. */
  value(): Adjoint {
    this.owned = false;
    return this.sum;
  }
}

export function accumulator(): Accumulator {
  return new Accumulator();
}

/** sum += term for a tensor or typed array of one layout; false (nothing done) otherwise. */
function addInPlace(sum: Adjoint, term: Adjoint): boolean {
  if (sum instanceof Tensor && term instanceof Tensor) {
    if (sum.dtype !== term.dtype || sum.shape.length !== term.shape.length || sum.shape.some((n, i) => n !== term.shape[i])) return false;
    return addInto(sum._data, term._data);
  }
  return isTypedArray(sum) && isTypedArray(term) && sum.constructor === term.constructor && addInto(sum, term);
}

function addInto(s: Storage, d: Storage): boolean {
  if (s.length !== d.length) return false;
  for (let i = 0; i < s.length; i++) s[i] += d[i];
  return true;
}

/** a + b for tensors of one shape and dtype: a plain loop, with none of the DSL's broadcasting and promotion. */
function sumOfLayout(a: Tensor, b: Tensor): Tensor {
  const out = a._data.slice();
  addInto(out, b._data);
  return new Tensor(out, a.shape, a.dtype);
}

/** The adjoint of component `key` of a tuple or object whose adjoint is `a`. */
export function part(a: Adjoint, key: number | string): Adjoint {
  if (isZero(a)) return 0;
  if (isTypedArray(a)) return a[key as number];
  const value = (a as Record<string | number, Adjoint>)[key];
  return value === undefined ? 0 : value;
}

/**
 * `a` plus `g` in component `key`: the adjoint of a read `y = primal[key]`. The primal
 * gives the container's form when `a` is still the zero.
 */
export function addAt(a: Adjoint, primal: Tree, key: number | string, g: Adjoint): Adjoint {
  if (isZero(g)) return a;
  if (isTypedArray(primal)) {
    const out = isZero(a) ? new (primal.constructor as Float64ArrayConstructor)(primal.length) : (a as Float64Array).slice();
    out[key as number] += g as number;
    return out;
  }
  if (Array.isArray(primal)) {
    const out: Adjoint[] = isZero(a) ? new Array<Adjoint>(primal.length).fill(0) : [...(a as readonly Adjoint[])];
    out[key as number] = add(out[key as number], g);
    return out;
  }
  if (isRecord(primal)) {
    const out: Record<string, Adjoint> = isZero(a) ? {} : { ...(a as Record<string, Adjoint>) };
    out[key] = key in out ? add(out[key], g) : g;
    return out;
  }
  throw new Error(`adjoint addAt: ${describe(primal)} has no component ${String(key)}`);
}

/** The adjoint with every symbolic zero replaced by a zero of the primal's shape. */
export function densify(a: Adjoint, primal: Tree): Adjoint {
  // a size-1 tensor and a number convert into each other (native arithmetic on 0-d results)
  if (typeof primal === 'number') return isZero(a) ? 0 : a instanceof Tensor && a.size === 1 ? a.item() : a;
  if (primal instanceof Tensor) return isZero(a) ? zerosLike(primal) : typeof a === 'number' ? full(primal.shape, a, primal.dtype) : a;
  if (isTypedArray(primal)) return isZero(a) ? zerosLike(primal) : a;
  if (Array.isArray(primal)) return primal.map((p, i) => densify(part(a, i), p));
  if (isRecord(primal)) {
    const out: Record<string, Adjoint> = {};
    for (const key of Object.keys(primal)) out[key] = densify(part(a, key), primal[key]);
    return out;
  }
  throw new Error(`adjoint densify: unsupported value ${describe(primal)}`);
}

/** A tree of zeros shaped like `primal`. */
export function zerosLike(primal: Tree): Tree {
  if (typeof primal === 'number') return 0;
  if (primal instanceof Tensor) return zerosTensor(primal);
  if (isTypedArray(primal)) return new (primal.constructor as Float64ArrayConstructor)(primal.length);
  return densify(0, primal);
}

function isTypedArray(a: unknown): a is Float64Array | Float32Array {
  return a instanceof Float64Array || a instanceof Float32Array;
}

function isRecord(a: unknown): a is { readonly [key: string]: Adjoint } {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && !ArrayBuffer.isView(a) && !(a instanceof Tensor);
}

function addArrays<T extends Float64Array | Float32Array>(a: T, b: Float64Array | Float32Array): T {
  if (a.length !== b.length) throw new Error(`adjoint add: lengths differ, ${describe(a)} vs ${describe(b)}`);
  const out = a.slice() as T;
  for (let i = 0; i < out.length; i++) out[i] += b[i];
  return out;
}
