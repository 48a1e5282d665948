/**
 * checkpointSequential(fns, segments, input): a chain of functions cut into segments,
 * each run under checkpoint (PyTorch's checkpoint_sequential). Segment sizes differ by
 * at most one and every function runs: leftovers are spread over the first segments,
 * never dropped. The last segment is not checkpointed: the backward pass starts there,
 * so recomputing it would redo work whose results are needed at once.
 */
import type { Tree } from '../tree/types';
import { checkpoint, type CheckpointOptions } from './checkpoint';
import { checkFunction } from './inputs';

/** One link of the chain: takes the previous output. */
export type ChainFn = (input: never) => Tree;

export function checkpointSequential<R extends Tree = Tree>(fns: readonly ChainFn[], segments: number, input: Tree, options: CheckpointOptions = {}): R {
  const where = 'checkpointSequential';
  if (!Array.isArray(fns)) throw new TypeError(`${where}: fns must be an array of functions, got ${typeof fns}`);
  fns.forEach((f, i) => checkFunction(f, `fns[${i}]`, where));
  if (fns.length === 0) return input as R;
  if (!Number.isInteger(segments) || segments < 1 || segments > fns.length) {
    throw new RangeError(`${where}: segments must be an integer from 1 to the number of functions (${fns.length}), got ${String(segments)}`);
  }
  let x = input;
  let start = 0;
  for (let s = 0; s < segments; s++) {
    const size = Math.floor(fns.length / segments) + (s < fns.length % segments ? 1 : 0);
    const chain = fns.slice(start, start + size) as readonly ((x: Tree) => Tree)[];
    start += size;
    const run = (y: Tree): Tree => chain.reduce((acc, f) => f(acc), y);
    x = s === segments - 1 ? run(x) : checkpoint(run, { ...options, name: options.name ?? `segment ${s}` })(x);
  }
  return x as R;
}
