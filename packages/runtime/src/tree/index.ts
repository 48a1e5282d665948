export type { Leaf, Tree } from './types';
export type { Structure, StructureMismatch } from './structure';
export type { FlatTree } from './flatten';
export { childPath } from './path';
export {
  StructureError,
  structureOf,
  findMismatch,
  assertStructure,
  describeStructure,
  describeValue,
  isLeaf,
  isPlainObject,
} from './structure';
export { flatten, unflatten } from './flatten';
export { treeBytes } from './bytes';
export { snapshotCopy } from './copy';
export { mapLeaves, zipLeaves, zerosLike, addTrees } from './map';
export { crc32 } from './checksum';
export { serializeTree, deserializeTree, TreeDecodeError } from './serialize';
