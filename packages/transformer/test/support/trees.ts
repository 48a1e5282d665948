/**
 * Independent checks of gradients: central finite differences over every scalar element
 * of the differentiated arguments (numbers, Float64Arrays, Tensors, and arrays or plain
 * objects of them), and element-wise comparison of gradient trees.
 */
import { Tensor } from '@adjoint/runtime';

type Tree = unknown;

/** The scalar elements of a tree, in a fixed traversal order. */
export function flatten(tree: Tree): number[] {
  if (typeof tree === 'number') return [tree];
  if (tree instanceof Tensor) return Array.from(tree.data);
  if (tree instanceof Float64Array || tree instanceof Float32Array) return Array.from(tree);
  if (Array.isArray(tree)) return tree.flatMap(flatten);
  if (tree && typeof tree === 'object') return Object.keys(tree).sort().flatMap((k) => flatten((tree as Record<string, Tree>)[k]));
  throw new Error(`not a value tree: ${String(tree)}`);
}

/** A tree shaped like `like` whose scalar elements are `values` (in flatten order). */
export function unflatten(like: Tree, values: readonly number[]): Tree {
  let k = 0;
  const build = (t: Tree): Tree => {
    if (typeof t === 'number') return values[k++];
    if (t instanceof Tensor) {
      const data = new Float64Array(t.data.length);
      for (let i = 0; i < data.length; i++) data[i] = values[k++];
      return new Tensor(data, t.shape, t.dtype);
    }
    if (t instanceof Float64Array || t instanceof Float32Array) {
      const data = new (t.constructor as Float64ArrayConstructor)(t.length);
      for (let i = 0; i < data.length; i++) data[i] = values[k++];
      return data;
    }
    if (Array.isArray(t)) return t.map(build);
    const o = t as Record<string, Tree>;
    const out: Record<string, Tree> = {};
    for (const key of Object.keys(o).sort()) out[key] = build(o[key]);
    return out;
  };
  return build(like);
}

export function scalar(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor) return value.item();
  throw new Error(`not a scalar: ${String(value)}`);
}

/** Central differences of a scalar function with respect to args[argnums], shaped like those arguments. */
export function finiteDifferences(f: (...args: never[]) => unknown, args: readonly Tree[], argnums: number | readonly number[], h = 1e-6): Tree {
  const gradientOf = (i: number): Tree => {
    const base = flatten(args[i]);
    const out = base.map((_, j) => {
      const at = (delta: number): number => {
        const values = [...base];
        values[j] += delta;
        const moved = [...args];
        moved[i] = unflatten(args[i], values);
        return scalar(f(...(moved as never[])));
      };
      return (at(h) - at(-h)) / (2 * h);
    });
    return unflatten(args[i], out);
  };
  return typeof argnums === 'number' ? gradientOf(argnums) : argnums.map(gradientOf);
}

/** The first element where two trees differ by more than rel·max(|a|, |b|) + abs, or undefined. */
export function firstMismatch(actual: Tree, expected: Tree, rel = 1e-6, abs = 1e-8): string | undefined {
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.length !== e.length) return `sizes differ: ${a.length} vs ${e.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - e[i]) <= rel * Math.max(Math.abs(a[i]), Math.abs(e[i])) + abs)) return `element ${i}: ${a[i]} vs ${e[i]}`;
  }
  return undefined;
}
