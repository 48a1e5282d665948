/**
 * DSL operations as compiler-generated code differentiates them. Operations that are
 * one primitive without parameters call the ops VJP table (vjpRules) directly; the
 * others (matmul, sum, reshape, composites, ...) are differentiated by running that
 * single call on a tape (autodiff's vjp), which applies the same rules.
 */
import { vjp } from '../autodiff/grad';
import * as ops from '../ops';
import { vjpRules } from '../ops';
import { full } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import type { Tree } from '../tree/types';
import { densify, isZero, type Adjoint } from './adjoints';

/** Every function the DSL exports, by name: calls to them are differentiated. */
export const DSL_OPERATIONS: ReadonlySet<string> = new Set(Object.keys(ops).filter((k) => typeof (ops as Record<string, unknown>)[k] === 'function'));

/** Public operations that are exactly `primitive(name)(...inputs)` with no parameters. */
const RULE_OPERATIONS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'where', 'neg', 'exp', 'log', 'sin', 'cos', 'tanh', 'sigmoid',
  'relu', 'sqrt', 'abs', 'square', 'complex', 'real', 'imag', 'conj', 'abs2', 'expi', 'fft', 'ifft',
] as const;

export const DIRECT_RULES: ReadonlySet<string> = new Set(RULE_OPERATIONS);

type Operand = Tensor | number;
/** rules[name](g, inputs, output, needs?) → one adjoint per input, 0 for none. */
export type CompiledRule = (g: Adjoint, inputs: readonly Operand[], output: Tensor, needs?: readonly boolean[]) => Adjoint[];

export const rules: { readonly [K in (typeof RULE_OPERATIONS)[number]]: CompiledRule } = Object.fromEntries(
  RULE_OPERATIONS.map((name) => {
    const rule: CompiledRule = (g, inputs, output, needs) => {
      if (isZero(g)) return inputs.map(() => 0);
      return vjpRules[name](asTensor(g, output), inputs, output, undefined, needs).map((a) => a ?? 0);
    };
    return [name, rule];
  }),
) as { readonly [K in (typeof RULE_OPERATIONS)[number]]: CompiledRule };

/** An adjoint in tensor form: a number adjoint of a size-1 tensor output becomes that tensor. */
function asTensor(g: Adjoint, output: Tensor): Tensor {
  if (g instanceof Tensor) return g;
  if (typeof g === 'number') return full(output.shape, g, output.isComplex ? 'complex128' : output.dtype);
  throw new TypeError(`compiled adjoint: expected a Tensor or number adjoint for an output of shape [${output.shape.join(', ')}]`);
}

/**
 * Runs one DSL call on a tape. `active[i]` marks the arguments to differentiate; the
 * others (axes, shapes, constant data) pass through. The pullback returns one adjoint
 * per argument (0 for inactive ones) and must be called once.
 */
export function tapeVjp(op: (...args: never[]) => Tree, args: readonly unknown[], active: readonly boolean[]): [Tree, (g: Adjoint) => Adjoint[]] {
  const which = active.flatMap((a, i) => (a ? [i] : []));
  const call = (...xs: unknown[]): Tree => {
    const all = [...args];
    which.forEach((i, k) => (all[i] = xs[k]));
    return op(...(all as never[]));
  };
  const [out, pullback] = vjp(call, ...which.map((i) => args[i]));
  return [
    out,
    (g) => {
      const grads = pullback(densify(g, out)) as Adjoint[];
      const all: Adjoint[] = args.map(() => 0);
      which.forEach((i, k) => (all[i] = grads[k]));
      return all;
    },
  ];
}
