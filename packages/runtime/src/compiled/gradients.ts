/** The edges of a compiled gradient: the seed adjoint of the result, and gradients shaped like the tape's. */
import { full } from '../tensor/create';
import { formatShape, Tensor } from '../tensor/tensor';
import type { Tree } from '../tree/types';
import { densify, type Adjoint } from './adjoints';

/** The adjoint 1 of a real scalar result (a number or a real Tensor of size 1), as grad requires. */
export function seed(value: unknown): number | Tensor {
  if (typeof value === 'number') return 1;
  if (value instanceof Tensor && value.size === 1 && !value.isComplex) return full(value.shape, 1, value.dtype);
  const what = value instanceof Tensor ? `a ${value.dtype} Tensor of shape ${formatShape(value.shape)}` : value === null ? 'null' : typeof value;
  throw new TypeError(`grad: the function must return a real scalar (a number or a Tensor of size 1) to be differentiated, got ${what}; use vjp for other outputs`);
}

/**
 * The gradients for `argnums` from the adjoints of all arguments, each in the form of its
 * argument (zeros where nothing flowed): one tree for a number, a tuple for an array.
 */
export function gradients(adjoints: readonly Adjoint[], args: readonly Tree[], argnums: number | readonly number[]): Tree {
  const one = (i: number): Tree => densify(adjoints[i], args[i]);
  return typeof argnums === 'number' ? one(argnums) : argnums.map(one);
}
