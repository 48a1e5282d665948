/**
 * How a primitive runs: compute the result from raw values, and if a tape is
 * recording and an input is traced, append the primitive's VJP to the tape.
 */
import { Entry, noteUntracedUse, recordingTape } from '../autodiff/tape';
import { sameShape } from '../tensor/shape';
import { formatShape, Tensor } from '../tensor/tensor';
import { cast, checkOperands, shapeOf, TensorLike } from './kernels/operand';
import { reduceKernel } from './kernels/reduce';

/**
 * A differentiable operation. `vjp` maps the adjoint g of the output to the adjoints
 * of the inputs (null: zero, or not needed). It may return adjoints in the output's
 * broadcast shape and dtype: fitAdjoint sums broadcast axes and converts the dtype.
 * `needs[i]` says whether input i wants its adjoint; rules may skip costly unneeded ones.
 */
export interface Primitive<P> {
  forward(inputs: readonly TensorLike[], params: P): Tensor;
  vjp(g: Tensor, inputs: readonly TensorLike[], output: Tensor, params: P, needs: readonly boolean[]): readonly (Tensor | null)[];
}

export function apply<P>(name: string, prim: Primitive<P>, inputs: readonly TensorLike[], params: P): Tensor {
  checkOperands(name, inputs);
  const out = prim.forward(inputs, params);
  const tape = recordingTape();
  if (tape === null) {
    noteUntracedUse(inputs);
    return out;
  }
  const needs = inputs.map((x) => typeof x !== 'number' && tape.slot(x) >= 0);
  if (!needs.includes(true)) return out;
  for (const x of inputs) if (typeof x !== 'number') tape.know(x._data);
  const entry = (outIds: readonly number[]): Entry => ({
    outIds,
    pull([g], acc) {
      const adjoints = prim.vjp(g!, inputs, out, params, needs);
      adjoints.forEach((a, i) => {
        if (needs[i] && a !== null) acc(inputs[i] as Tensor, fitAdjoint(name, a, inputs[i]) as Tensor);
      });
    },
  });
  return tape.record([out], entry)[0];
}

/**
 * Brings an adjoint to the shape and dtype of the input it belongs to: sums it over
 * the axes broadcasting added or stretched, keeps the real part for a real input,
 * and returns a number for a number input.
 */
export function fitAdjoint(op: string, a: Tensor, x: TensorLike): Tensor | number {
  const shape = shapeOf(x);
  let r = a;
  if (!sameShape(r.shape, shape)) {
    const lead = r.ndim - shape.length;
    const axes: number[] = [];
    let fits = lead >= 0;
    for (let i = 0; i < r.ndim && fits; i++) {
      if (i < lead || (shape[i - lead] === 1 && r.shape[i] !== 1)) axes.push(i);
      else fits = r.shape[i] === shape[i - lead];
    }
    if (!fits) {
      throw new Error(`internal: the VJP of ${op} gave an adjoint of shape ${formatShape(a.shape)} for an input of shape ${formatShape(shape)}`);
    }
    r = reduceKernel(r, axes, 'sum', false);
    r = new Tensor(r._data, shape, r.dtype);
  }
  if (typeof x === 'number') return r._data[0]; // the real part, for complex r
  return cast(r, x.dtype);
}
