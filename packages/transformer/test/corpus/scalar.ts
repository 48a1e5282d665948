// Straight-line scalar code: arithmetic, Math functions, compound assignment, ?:, reassignment.
import { grad, valueAndGrad } from '@adjoint/runtime';
import { def } from './case';

const SCALE = 2.5;

export function polynomial(x: number, y: number): number {
  return 3 * x ** 3 - 2 * x * y + y ** 2 / 4 + 7;
}

export function rational(x: number, y: number): number {
  return (x * y + 1) / (x * x + y * y + 1);
}

export function compound(x: number, y: number): number {
  let a = -x;
  a += y;
  a *= x;
  a -= 2 * y;
  a /= 1 + y * y;
  a **= 2;
  return a;
}

export function mathUnary(x: number): number {
  const a = Math.exp(x) + Math.log(x) + Math.sin(x) + Math.cos(x) + Math.tan(x);
  const b = Math.tanh(x) * Math.sinh(x) - Math.cosh(x) / Math.sqrt(x) + Math.abs(x - 2);
  return a * b;
}

export function mathBinary(x: number, y: number): number {
  const a = Math.pow(x, y) + Math.atan2(y, x) + Math.hypot(x, y, 1);
  const b = Math.max(x, y, 0.1) * Math.min(x * y, 3);
  return a - b;
}

export function reassignment(x: number, y: number): number {
  let t = x;
  t = t * t;
  t = Math.sin(t) + y;
  const u = t * SCALE;
  t = u * t - y;
  return u * t;
}

export function conditional(x: number, y: number): number {
  const a = x > y ? x * y : x - y;
  return a * (y > 0 ? Math.exp(y) : 1);
}

export function indexArithmetic(x: number): number {
  let s = 0;
  for (let i = 0; i < 6; i++) {
    const k = (i * 3) % 4;
    s = s + x ** (k + 1) / (i + 1);
  }
  return s;
}

export function activeExponent(x: number, y: number): number {
  return x ** y + 2 ** x + Math.pow(y, 2.5);
}

export function moreMath(x: number): number {
  return Math.atan(x) + Math.asinh(x) + Math.log1p(x) + Math.expm1(x) + Math.cbrt(x) + Math.log2(x) * Math.log10(x);
}

export function valueThenGradient(x: number, y: number): number {
  const r = Math.sqrt(x * x + y * y);
  return r * Math.cos(x * y);
}

export const dPolynomial = grad(polynomial, [0, 1]);
export const dRational = grad(rational, [0, 1]);
export const dCompound = grad(compound, [0, 1]);
export const dMathUnary = grad(mathUnary);
export const dMathBinary = grad(mathBinary, [0, 1]);
export const dReassignment = grad(reassignment, [0, 1]);
export const dConditional = grad(conditional, [0, 1]);
export const dIndexArithmetic = grad(indexArithmetic, 0);
export const dActiveExponent = grad(activeExponent, [0, 1]);
export const dMoreMath = grad(moreMath);
export const vgValueThenGradient = valueAndGrad(valueThenGradient, [0, 1]);
export const square = (x: number): number => 3 * x * x + Math.sin(x);
export const dSquare = grad(square);
export const dInline = grad((x: number, y: number) => x * Math.exp(y) - y / x, 1);

export const cases = [
  def({ name: 'polynomial', f: polynomial, df: dPolynomial, args: () => [0.7, -1.3], argnums: [0, 1] }),
  def({ name: 'rational', f: rational, df: dRational, args: () => [0.4, 1.1], argnums: [0, 1] }),
  def({ name: 'compound assignment', f: compound, df: dCompound, args: () => [0.9, 0.35], argnums: [0, 1] }),
  def({ name: 'unary Math functions', f: mathUnary, df: dMathUnary, args: () => [0.6], argnums: 0 }),
  def({ name: 'n-ary Math functions', f: mathBinary, df: dMathBinary, args: () => [1.3, 0.8], argnums: [0, 1] }),
  def({ name: 'reassignment', f: reassignment, df: dReassignment, args: () => [0.8, 0.3], argnums: [0, 1] }),
  def({ name: 'conditional expression', f: conditional, df: dConditional, args: () => [0.5, 0.9], argnums: [0, 1] }),
  def({ name: 'integer index arithmetic', f: indexArithmetic, df: dIndexArithmetic, args: () => [0.9], argnums: 0 }),
  def({ name: 'active exponent', f: activeExponent, df: dActiveExponent, args: () => [1.2, 0.7], argnums: [0, 1] }),
  def({ name: 'more Math functions', f: moreMath, df: dMoreMath, args: () => [0.45], argnums: 0 }),
  def({ name: 'valueAndGrad', f: valueThenGradient, df: vgValueThenGradient, args: () => [0.6, -0.4], argnums: [0, 1], withValue: true }),
  def({ name: 'arrow function', f: square, df: dSquare, args: () => [1.7], argnums: 0 }),
  def({ name: 'inline function', f: (x: number, y: number) => x * Math.exp(y) - y / x, df: dInline, args: () => [1.5, 0.2], argnums: 1 }),
];
