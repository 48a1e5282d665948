/**
 * Vector-Jacobian products of the scalar Math functions, used by compiler-generated
 * adjoint code. Unary entries take the output's adjoint `g` and one value, the output y
 * for OUTPUT_READERS and the argument x for the others, and return the argument's
 * adjoint. n-ary entries take g, y and the arguments, and return one adjoint per
 * argument. Where a derivative does not exist (abs at 0, ties of max and min) the entry
 * returns a valid subgradient; where it is infinite it returns the IEEE value (sqrt at 0
 * gives Infinity) rather than hiding it.
 */
export const mathVjp = {
  exp: (g: number, y: number): number => g * y,
  expm1: (g: number, y: number): number => g * (y + 1),
  sqrt: (g: number, y: number): number => g / (2 * y),
  cbrt: (g: number, y: number): number => g / (3 * y * y),
  tan: (g: number, y: number): number => g * (1 + y * y),
  tanh: (g: number, y: number): number => g * (1 - y * y),
  log: (g: number, x: number): number => g / x,
  log1p: (g: number, x: number): number => g / (1 + x),
  log2: (g: number, x: number): number => g / (x * Math.LN2),
  log10: (g: number, x: number): number => g / (x * Math.LN10),
  sin: (g: number, x: number): number => g * Math.cos(x),
  cos: (g: number, x: number): number => -g * Math.sin(x),
  asin: (g: number, x: number): number => g / Math.sqrt(1 - x * x),
  acos: (g: number, x: number): number => -g / Math.sqrt(1 - x * x),
  atan: (g: number, x: number): number => g / (1 + x * x),
  sinh: (g: number, x: number): number => g * Math.cosh(x),
  cosh: (g: number, x: number): number => g * Math.sinh(x),
  asinh: (g: number, x: number): number => g / Math.sqrt(x * x + 1),
  acosh: (g: number, x: number): number => g / Math.sqrt(x * x - 1),
  atanh: (g: number, x: number): number => g / (1 - x * x),
  abs: (g: number, x: number): number => g * Math.sign(x),

  pow(g: number, y: number, a: number, b: number): [number, number] {
    // a^b with b = 0 is constant in a (also at a = 0, where b·a^(b-1) would be 0·Inf).
    const da = b === 0 ? 0 : g * b * Math.pow(a, b - 1);
    // d/db a^b = a^b·ln a; at a = 0 (b > 0) the limit is 0, for a < 0 it does not exist (NaN).
    const db = a === 0 && b > 0 ? 0 : g * y * Math.log(a);
    return [da, db];
  },
  atan2(g: number, _y: number, a: number, b: number): [number, number] {
    const r2 = a * a + b * b;
    return [(g * b) / r2, (-g * a) / r2];
  },
  hypot(g: number, y: number, ...xs: number[]): number[] {
    return xs.map((x) => (y === 0 ? 0 : (g * x) / y));
  },
  /** The whole adjoint goes to the first argument that attains the maximum. */
  max(g: number, y: number, ...xs: number[]): number[] {
    const winner = xs.indexOf(y);
    return xs.map((_, i) => (i === winner ? g : 0));
  },
  min(g: number, y: number, ...xs: number[]): number[] {
    const winner = xs.indexOf(y);
    return xs.map((_, i) => (i === winner ? g : 0));
  },
};

/** Unary entries whose second parameter is the output y (the others take the argument x). */
export const OUTPUT_READERS: ReadonlySet<string> = new Set(['exp', 'expm1', 'sqrt', 'cbrt', 'tan', 'tanh']);

/** Entries taking several arguments and returning one adjoint per argument. */
export const NARY_MATH: ReadonlySet<string> = new Set(['pow', 'atan2', 'hypot', 'max', 'min']);
