/**
 * Adam (Kingma & Ba 2015) on a generic objective. Each iteration costs one
 * evaluation; the step of every variable is about `learningRate` in that
 * variable's units whatever the size of its gradient, which is why callers should
 * hand it variables on comparable scales (scaling.ts does that for fiber controls).
 */
import { BestPoint, checkCount, checkPositive, checkStart, evaluateChecked, IterationInfo, maxAbs, Objective, OptimizeResult } from './types';

interface AdamOptions {
  /** Evaluations (one per iteration). */
  iterations: number;
  /** Default 0.05. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Stop once max |grad| falls to this (default 0: never). */
  gradTolerance?: number;
  onIteration?: (info: IterationInfo) => void;
}

export function adam(f: Objective, x0: ArrayLike<number>, options: AdamOptions): OptimizeResult {
  const where = 'adam';
  const x = checkStart(x0, where);
  const iterations = checkCount(options.iterations, 'iterations', where);
  const rate = checkPositive(options.learningRate ?? 0.05, 'learningRate', where);
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  for (const [key, beta] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(beta >= 0 && beta < 1)) throw new Error(`${where}: ${key} must lie in [0, 1), got ${beta}`);
  }
  const epsilon = checkPositive(options.epsilon ?? 1e-8, 'epsilon', where);
  const gradTolerance = options.gradTolerance ?? 0;

  const m = new Float64Array(x.length);
  const v = new Float64Array(x.length);
  const best = new BestPoint(x.length);
  let done = 0;
  let stopReason = `reached ${iterations} iterations`;
  let converged = false;
  for (let k = 0; k < iterations; k++) {
    const evaluation = evaluateChecked(f, x, where);
    done = k + 1;
    if (!Number.isFinite(evaluation.loss) || !evaluation.grad.every(Number.isFinite)) {
      throw new Error(`${where}: iteration ${k}: the loss or its gradient is not finite (loss ${evaluation.loss}); try a smaller learningRate`);
    }
    best.offer(x, evaluation);
    options.onIteration?.({ iteration: k, x: x.slice(), loss: evaluation.loss, grad: evaluation.grad.slice(), evaluations: done });
    if (maxAbs(evaluation.grad) <= gradTolerance) {
      stopReason = `max |gradient| ${maxAbs(evaluation.grad).toExponential(2)} <= gradTolerance`;
      converged = true;
      break;
    }
    if (k === iterations - 1) break; // a further step would go unevaluated
    const correction1 = 1 - beta1 ** (k + 1);
    const correction2 = 1 - beta2 ** (k + 1);
    for (let i = 0; i < x.length; i++) {
      const g = evaluation.grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      x[i] -= (rate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  }
  return { x: best.x, loss: best.loss, grad: best.grad, iterations: done, evaluations: done, stopReason, converged };
}
