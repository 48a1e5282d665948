/** What the generic optimizers (adam.ts, lbfgs.ts) need from a problem and what they give back. */

export interface Evaluation {
  readonly loss: number;
  /** d(loss)/dx, same length as x. */
  readonly grad: Float64Array;
}

/** The function to minimise. It must not keep or modify `x`. */
export type Objective = (x: Float64Array) => Evaluation;

export interface IterationInfo {
  /** 0-based. */
  readonly iteration: number;
  /** The point whose loss and gradient are given (a copy the callback may keep). */
  readonly x: Float64Array;
  readonly loss: number;
  readonly grad: Float64Array;
  /** Objective evaluations so far, this one included. */
  readonly evaluations: number;
}

export interface OptimizeResult {
  /** The best point evaluated: the lowest loss seen, never an unevaluated guess. */
  readonly x: Float64Array;
  readonly loss: number;
  readonly grad: Float64Array;
  readonly iterations: number;
  readonly evaluations: number;
  /** Why it stopped, in words. */
  readonly stopReason: string;
  readonly converged: boolean;
}

/** Keeps the best (lowest-loss) point evaluated so far. */
export class BestPoint {
  x: Float64Array;
  loss = Infinity;
  grad: Float64Array;

  constructor(dimension: number) {
    this.x = new Float64Array(dimension);
    this.grad = new Float64Array(dimension);
  }

  offer(x: Float64Array, evaluation: Evaluation): void {
    if (evaluation.loss < this.loss) {
      this.loss = evaluation.loss;
      this.x = x.slice();
      this.grad = evaluation.grad.slice();
    }
  }
}

/** Evaluates f at x and rejects answers the optimizers cannot use, naming what is wrong. */
export function evaluateChecked(f: Objective, x: Float64Array, where: string): Evaluation {
  const evaluation = f(x.slice());
  if (evaluation.grad.length !== x.length) {
    throw new Error(`${where}: the objective returned a gradient of length ${evaluation.grad.length} for ${x.length} variables`);
  }
  return evaluation;
}

export function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const value of v) m = Math.max(m, Math.abs(value));
  return m;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function checkStart(x0: ArrayLike<number>, where: string): Float64Array {
  const x = Float64Array.from(x0);
  if (x.length === 0) throw new Error(`${where}: x0 must have at least one variable`);
  x.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`${where}: x0[${i}] must be a finite number, got ${v}`);
  });
  return x;
}

export function checkCount(value: number, key: string, where: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${where}: ${key} must be a positive integer, got ${value}`);
  return value;
}

export function checkPositive(value: number, key: string, where: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${where}: ${key} must be a positive number, got ${value}`);
  return value;
}
