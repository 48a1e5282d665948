/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal & Wright, Numerical Optimization,
 * Alg. 7.4/7.5) with a backtracking Armijo line search. The budget is counted in
 * evaluations, line-search trials included, because an evaluation is what costs
 * (a whole forward and adjoint fiber propagation).
 *
 * A trial point with a non-finite loss counts as "too far" and the step shrinks;
 * a curvature pair with s·y <= 0 is skipped so the inverse-Hessian estimate
 * stays positive definite.
 */
import { BestPoint, checkCount, checkPositive, checkStart, dot, Evaluation, evaluateChecked, IterationInfo, maxAbs, Objective, OptimizeResult } from './types';

interface LbfgsOptions {
  /** Most evaluations, line-search trials included. */
  maxEvaluations: number;
  /** Curvature pairs kept (default 8). */
  memory?: number;
  /** Longest first trial step, in the variables' units, when no curvature is known yet (default 1). */
  initialStep?: number;
  /** Converged once max |grad| <= this (default 1e-8). */
  gradTolerance?: number;
  /** Converged once an accepted step lowers the loss by less than this fraction of |loss| (default 1e-12). */
  lossTolerance?: number;
  /** Armijo sufficient-decrease constant (default 1e-4). */
  armijo?: number;
  onIteration?: (info: IterationInfo) => void;
}

interface Pair {
  s: Float64Array;
  y: Float64Array;
  rho: number;
}

/** d = -H·g by the two-loop recursion over the stored pairs (oldest first). */
function direction(grad: Float64Array, pairs: readonly Pair[]): Float64Array {
  const q = grad.slice();
  const alphas = new Float64Array(pairs.length);
  for (let j = pairs.length - 1; j >= 0; j--) {
    alphas[j] = pairs[j].rho * dot(pairs[j].s, q);
    for (let i = 0; i < q.length; i++) q[i] -= alphas[j] * pairs[j].y[i];
  }
  const last = pairs[pairs.length - 1];
  const gamma = last === undefined ? 1 : dot(last.s, last.y) / dot(last.y, last.y);
  for (let i = 0; i < q.length; i++) q[i] *= gamma;
  for (let j = 0; j < pairs.length; j++) {
    const beta = pairs[j].rho * dot(pairs[j].y, q);
    for (let i = 0; i < q.length; i++) q[i] += (alphas[j] - beta) * pairs[j].s[i];
  }
  for (let i = 0; i < q.length; i++) q[i] = -q[i];
  return q;
}

export function lbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions): OptimizeResult {
  const where = 'lbfgs';
  let x = checkStart(x0, where);
  const budget = checkCount(options.maxEvaluations, 'maxEvaluations', where);
  const memory = checkCount(options.memory ?? 8, 'memory', where);
  const initialStep = checkPositive(options.initialStep ?? 1, 'initialStep', where);
  const gradTolerance = options.gradTolerance ?? 1e-8;
  const lossTolerance = options.lossTolerance ?? 1e-12;
  const armijo = options.armijo ?? 1e-4;

  let evaluations = 0;
  const evaluate = (point: Float64Array): Evaluation => {
    evaluations++;
    return evaluateChecked(f, point, where);
  };
  const best = new BestPoint(x.length);
  let current = evaluate(x);
  if (!Number.isFinite(current.loss) || !current.grad.every(Number.isFinite)) {
    throw new Error(`${where}: the loss or gradient at x0 is not finite (loss ${current.loss})`);
  }
  best.offer(x, current);
  const pairs: Pair[] = [];
  let iteration = 0;
  const report = () => options.onIteration?.({ iteration, x: x.slice(), loss: current.loss, grad: current.grad.slice(), evaluations });
  report();

  const finish = (stopReason: string, converged: boolean): OptimizeResult => ({
    x: best.x,
    loss: best.loss,
    grad: best.grad,
    iterations: iteration,
    evaluations,
    stopReason,
    converged,
  });

  for (;;) {
    const gradMax = maxAbs(current.grad);
    if (gradMax <= gradTolerance) return finish(`max |gradient| ${gradMax.toExponential(2)} <= gradTolerance`, true);
    if (evaluations >= budget) return finish(`used all ${budget} evaluations`, false);

    let d = direction(current.grad, pairs);
    let slope = dot(d, current.grad);
    if (!(slope < 0)) {
      // The curvature model stopped describing a descent direction: start it afresh.
      pairs.length = 0;
      d = direction(current.grad, pairs);
      slope = dot(d, current.grad);
    }
    let step = pairs.length === 0 ? Math.min(1, initialStep / maxAbs(d)) : 1;
    let accepted: { x: Float64Array; evaluation: Evaluation } | undefined;
    while (evaluations < budget) {
      const trial = x.map((xi, i) => xi + step * d[i]);
      const evaluation = evaluate(trial);
      const finite = Number.isFinite(evaluation.loss) && evaluation.grad.every(Number.isFinite);
      if (finite) best.offer(trial, evaluation);
      if (finite && evaluation.loss <= current.loss + armijo * step * slope) {
        accepted = { x: trial, evaluation };
        break;
      }
      step /= 2;
    }
    if (accepted === undefined) {
      return finish(evaluations >= budget ? `used all ${budget} evaluations` : 'the line search found no decrease', false);
    }

    const s = accepted.x.map((xi, i) => xi - x[i]);
    const y = accepted.evaluation.grad.map((gi, i) => gi - current.grad[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      pairs.push({ s, y, rho: 1 / sy });
      if (pairs.length > memory) pairs.shift();
    }
    const decrease = current.loss - accepted.evaluation.loss;
    x = accepted.x;
    current = accepted.evaluation;
    iteration++;
    report();
    if (decrease <= lossTolerance * Math.max(Math.abs(current.loss), Number.MIN_VALUE)) {
      return finish(`the loss changed by less than ${lossTolerance} relative`, true);
    }
  }
}
