/**
 * A tree as its structure plus its leaves in a fixed order (depth first, object
 * keys sorted), and back: the form serialization and leaf-wise maps work on.
 */
import { childPath } from './path';
import { assertStructure, Structure, structureOf } from './structure';
import type { Leaf, Tree } from './types';

export interface FlatTree {
  readonly structure: Structure;
  readonly leaves: Leaf[];
}

export function flatten(tree: Tree, root = 'state'): FlatTree {
  const structure = structureOf(tree, root);
  const leaves: Leaf[] = [];
  collectLeaves(structure, tree, leaves);
  return { structure, leaves };
}

function collectLeaves(s: Structure, tree: Tree, out: Leaf[]): void {
  if (s.kind === 'array') {
    const items = tree as readonly Tree[];
    for (let i = 0; i < s.items.length; i++) collectLeaves(s.items[i], items[i], out);
  } else if (s.kind === 'object') {
    const fields = tree as { readonly [key: string]: Tree };
    for (let i = 0; i < s.keys.length; i++) collectLeaves(s.values[i], fields[s.keys[i]], out);
  } else {
    out.push(tree as Leaf);
  }
}

/** Rebuilds the tree of `structure` from leaves in flatten's order; each leaf must fit its place. */
export function unflatten(structure: Structure, leaves: readonly Leaf[]): Tree {
  const cursor = { next: 0 };
  const tree = build(structure, leaves, cursor, 'state');
  if (cursor.next !== leaves.length) {
    throw new RangeError(`unflatten: the structure has ${cursor.next} leaves but ${leaves.length} were given`);
  }
  return tree;
}

function build(s: Structure, leaves: readonly Leaf[], cursor: { next: number }, path: string): Tree {
  if (s.kind === 'array') return s.items.map((item, i) => build(item, leaves, cursor, childPath(path, i)));
  if (s.kind === 'object') {
    const out: { [key: string]: Tree } = {};
    for (let i = 0; i < s.keys.length; i++) out[s.keys[i]] = build(s.values[i], leaves, cursor, childPath(path, s.keys[i]));
    return out;
  }
  if (cursor.next >= leaves.length) throw new RangeError(`unflatten: too few leaves (${leaves.length}) for the structure`);
  const leaf = leaves[cursor.next++];
  assertStructure(s, leaf, path, 'unflatten');
  return leaf;
}
