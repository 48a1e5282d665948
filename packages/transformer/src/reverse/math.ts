/** The Math functions with adjoints: the runtime's scalar VJP table decides which they are. */
import { mathVjp, NARY_MATH, OUTPUT_READERS } from '@adjoint/runtime/compiled/math';

export const MATH_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(mathVjp));

/** n-ary entries return one adjoint per argument; unary ones return the adjoint itself. */
export function isNaryMath(name: string): boolean {
  return NARY_MATH.has(name);
}

/** Whether a unary entry takes the output (exp: g·y) rather than the argument (sin: g·cos x). */
export function readsOutput(name: string): boolean {
  return OUTPUT_READERS.has(name);
}
