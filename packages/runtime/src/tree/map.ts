/** Leaf-wise maps over value trees, and the two adjoint helpers built on them. */
import { alloc } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { childPath } from './path';
import { assertStructure, isLeaf, isPlainObject, notATreeError, structureOf } from './structure';
import type { Leaf, Tree } from './types';

/** A tree of the same structure whose leaves are fn(leaf); arrays and objects are rebuilt, never shared. */
export function mapLeaves(tree: Tree, fn: (leaf: Leaf) => Leaf, root = 'state'): Tree {
  return mapAt(tree, fn, root);
}

function mapAt(value: unknown, fn: (leaf: Leaf) => Leaf, path: string): Tree {
  if (isLeaf(value)) return fn(value);
  if (Array.isArray(value)) return value.map((item, i) => mapAt(item, fn, childPath(path, i)));
  if (isPlainObject(value)) {
    const out: { [key: string]: Tree } = {};
    for (const key of Object.keys(value)) out[key] = mapAt(value[key], fn, childPath(path, key));
    return out;
  }
  throw notATreeError(value, path);
}

/** Combines two trees of one structure leaf by leaf; a structure mismatch names its path and both shapes. */
export function zipLeaves(a: Tree, b: Tree, fn: (x: Leaf, y: Leaf) => Leaf, root = 'state'): Tree {
  assertStructure(structureOf(a, root), b, root, 'zipLeaves: the trees differ');
  return zipAt(a, b, fn);
}

function zipAt(a: Tree, b: Tree, fn: (x: Leaf, y: Leaf) => Leaf): Tree {
  if (isLeaf(a)) return fn(a, b as Leaf);
  if (Array.isArray(a)) {
    const bs = b as readonly Tree[];
    return a.map((item: Tree, i: number) => zipAt(item, bs[i], fn));
  }
  const as = a as { readonly [key: string]: Tree };
  const bs = b as { readonly [key: string]: Tree };
  const out: { [key: string]: Tree } = {};
  for (const key of Object.keys(as)) out[key] = zipAt(as[key], bs[key], fn);
  return out;
}

/** The zero adjoint of a tree: same structure, every number 0 (typed arrays and tensors freshly allocated). */
export function zerosLike<T extends Tree>(tree: T): T {
  return mapLeaves(tree, zeroLeaf) as T;
}

function zeroLeaf(leaf: Leaf): Leaf {
  if (typeof leaf === 'number') return 0;
  if (leaf instanceof Tensor) return new Tensor(alloc(leaf.dtype, leaf.size), leaf.shape, leaf.dtype);
  return new (leaf.constructor as Float64ArrayConstructor)(leaf.length);
}

/** a + b leaf by leaf, as new values (adjoints accumulate this way); both must have one structure. */
export function addTrees<T extends Tree>(a: T, b: T): T {
  return zipLeaves(a, b, addLeaves, 'adjoint') as T;
}

function addLeaves(x: Leaf, y: Leaf): Leaf {
  if (typeof x === 'number') return x + (y as number);
  if (x instanceof Tensor) return new Tensor(addArrays(x._data, (y as Tensor)._data), x.shape, x.dtype);
  return addArrays(x, y as Float64Array | Float32Array);
}

function addArrays<A extends Float64Array | Float32Array>(x: A, y: Float64Array | Float32Array): A {
  const out = new (x.constructor as Float64ArrayConstructor)(x.length) as A;
  for (let i = 0; i < x.length; i++) out[i] = x[i] + y[i];
  return out;
}
