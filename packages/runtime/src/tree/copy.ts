/**
 * Copies a state for keeping: typed arrays are copied because the user's step may
 * mutate them in place after we stored them; Tensors are immutable and are shared.
 */
import { Tensor } from '../tensor/tensor';
import { mapLeaves } from './map';
import type { Leaf, Tree } from './types';

export function snapshotCopy<T extends Tree>(tree: T): T {
  return mapLeaves(tree, copyLeaf) as T;
}

function copyLeaf(leaf: Leaf): Leaf {
  if (typeof leaf === 'number' || leaf instanceof Tensor) return leaf;
  return leaf.slice();
}
