/**
 * The algebra of adjoint values in compiler-generated code. An adjoint has the shape
 * of its primal value tree, except that the number 0 stands for "zero of any shape":
 * generated code starts every adjoint at 0 and never needs the primal's shape until a
 * gradient leaves it (densify). Containers are never mutated, so an adjoint may be
 * shared between variables without one accumulation leaking into another.
 */
import { add as addTensors } from '../ops';
import { full, zerosLike as zerosTensor } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
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
    return addTensors(a, b);
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
