/**
 * Leaves crossing into and out of a trace: differentiated inputs become traced
 * tensors, results lose their trace, and adjoints take the form of their primal leaf.
 */
import { alloc } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { mapLeaves } from '../tree/map';
import type { Leaf, Tree } from '../tree/types';
import type { Tape } from './tape';

/** The value of x without its trace (the same data); other leaves unchanged. */
export function untraced<L extends Leaf>(x: L): L {
  if (x instanceof Tensor && x._trace !== undefined) return new Tensor(x._data, x.shape, x.dtype) as L;
  return x;
}

/**
 * The tree's values with no gradient flowing through them: inside grad, the result is
 * a constant. Outside any trace it returns equal values.
 */
export function stopGradient<T extends Tree>(tree: T): T {
  return mapLeaves(tree, untraced, 'stopGradient') as T;
}

/** A number or typed array as a tensor (numbers are 0-d, typed arrays 1-D sharing their data). */
export function leafTensor(x: Leaf): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return new Tensor(new Float64Array([x]), []);
  return new Tensor(x, [x.length]);
}

/**
 * A leaf of the tape standing for the primal leaf x. A typed array stands as a 1-D
 * tensor, which has no length or elements: code that reads them would get undefined
 * and loop zero times, a silent zero gradient, so those reads throw instead.
 */
export function traceLeaf(tape: Tape, x: Leaf): Tensor {
  const traced = tape.leaf(leafTensor(x));
  return ArrayBuffer.isView(x) ? refuseElementReads(traced, `${x.constructor.name}(${x.length})`) : traced;
}

function refuseElementReads(tensor: Tensor, what: string): Tensor {
  const refuse = (key: string): never => {
    throw new TypeError(
      `A differentiated ${what} is a traced Tensor under the runtime tape, so reading its .${key === 'length' ? 'length' : `[${key}]`} ` +
        'would be native arithmetic the tape cannot follow: use DSL ops (take, slice, sum, mul, ...) on it, ' +
        'or build this code with the @adjoint/transformer plugin, which differentiates element-wise loops',
    );
  };
  return new Proxy(tensor, {
    get(target, key, receiver) {
      if (typeof key === 'string' && (key === 'length' || /^\d+$/.test(key))) refuse(key);
      return Reflect.get(target, key, receiver);
    },
    set(target, key, value, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) refuse(key);
      return Reflect.set(target, key, value, receiver);
    },
  });
}

/** An adjoint (undefined: zero) in the form of its primal leaf: number, typed array or tensor. */
export function adjointAs(primal: Leaf, adjoint: Tensor | undefined): Leaf {
  if (typeof primal === 'number') return adjoint === undefined ? 0 : adjoint._data[0];
  if (primal instanceof Tensor) return adjoint ?? new Tensor(alloc(primal.dtype, primal.size), primal.shape, primal.dtype);
  const out = new (primal.constructor as Float64ArrayConstructor)(primal.length);
  if (adjoint !== undefined) out.set(adjoint._data);
  return out;
}
