/**
 * The array DSL's operations, and the VJP rules in the form compiler-generated adjoint code calls.
 */
import { Tensor } from '../tensor/tensor';
import { fitAdjoint } from './apply';
import { TensorLike } from './kernels/operand';
import { PrimitiveName, primitives } from './primitives';

export * from './primitives';
export * from './composite';
export type { TensorLike } from './kernels/operand';
export type { Primitive } from './apply';

/**
 * vjpRules[name](g, inputs, output, params?, needs?) → one adjoint per input, already
 * fitted to that input (broadcast axes summed away, real part for a real input, a number
 * for a number input); null means zero. `inputs` and `output` are the primitive's inputs
 * and result, `params` its non-tensor arguments as listed in PrimitiveParams (e.g. sum:
 * { axes: [1], keepdims: false } with normalized, sorted axes; omit for primitives whose
 * params are void). `needs` (default: all true) lets a rule skip adjoints nobody wants.
 * Composite operations (mean, stack, roll, 1-D matmul, ...) have no rule of their own:
 * differentiate them with autodiff's vjp(op, ...args).
 */
export type VjpRule = (
  g: Tensor,
  inputs: readonly TensorLike[],
  output: Tensor,
  params?: unknown,
  needs?: readonly boolean[],
) => (Tensor | number | null)[];

export const vjpRules = Object.fromEntries(
  (Object.keys(primitives) as PrimitiveName[]).map((name) => {
    const prim = primitives[name] as { vjp: (g: Tensor, i: readonly TensorLike[], o: Tensor, p: unknown, n: readonly boolean[]) => readonly (Tensor | null)[] };
    const rule: VjpRule = (g, inputs, output, params, needs = inputs.map(() => true)) =>
      prim.vjp(g, inputs, output, params, needs).map((a, i) => (a === null || !needs[i] ? null : fitAdjoint(name, a, inputs[i])));
    return [name, rule];
  }),
) as { readonly [K in PrimitiveName]: VjpRule };
