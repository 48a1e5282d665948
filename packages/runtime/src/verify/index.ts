export { taylorTest, convergenceOrders } from './taylor';
export type { TaylorOptions, TaylorResult } from './taylor';
export { DeterminismError, treeChecksum, digest } from './determinism';
export type { Digest, DeterminismOption } from './determinism';
