import test from 'ava';
import { adam } from '../../src/fiber/optimize/adam';
import { lbfgs } from '../../src/fiber/optimize/lbfgs';
import type { Objective } from '../../src/fiber/optimize/types';

/** f = Σ_i (i+1)²·(x_i - i)²/2, minimum 0 at x_i = i; condition number n². */
function quadratic(n: number, counter = { calls: 0 }): Objective {
  return (x) => {
    counter.calls++;
    let loss = 0;
    const grad = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = (i + 1) ** 2;
      loss += (w * (x[i] - i) ** 2) / 2;
      grad[i] = w * (x[i] - i);
    }
    return { loss, grad };
  };
}

/** The n-dimensional Rosenbrock function, minimum 0 at (1, ..., 1). */
function rosenbrock(counter = { calls: 0 }): Objective {
  return (x) => {
    counter.calls++;
    let loss = 0;
    const grad = new Float64Array(x.length);
    for (let i = 0; i < x.length - 1; i++) {
      const a = x[i + 1] - x[i] ** 2;
      const b = 1 - x[i];
      loss += 100 * a * a + b * b;
      grad[i] += -400 * x[i] * a - 2 * b;
      grad[i + 1] += 200 * a;
    }
    return { loss, grad };
  };
}

test('adam converges on a quadratic and spends exactly one evaluation per iteration', (t) => {
  const counter = { calls: 0 };
  const result = adam(quadratic(4, counter), [5, -5, 5, -5], { iterations: 3000, learningRate: 0.05 });
  t.is(counter.calls, 3000);
  t.is(result.evaluations, 3000);
  result.x.forEach((xi, i) => t.true(Math.abs(xi - i) < 1e-3, `x[${i}] = ${xi}`));
  t.true(result.loss < 1e-5);
});

test('adam returns the best point it evaluated, with that point\'s loss and gradient', (t) => {
  const seen: { x: Float64Array; loss: number }[] = [];
  // A large rate makes Adam oscillate, so its last iterate is not its best.
  const result = adam(quadratic(2), [3, 3], { iterations: 40, learningRate: 1, onIteration: (info) => seen.push({ x: info.x, loss: info.loss }) });
  const best = seen.reduce((a, b) => (b.loss < a.loss ? b : a));
  t.is(result.loss, best.loss);
  t.deepEqual(Array.from(result.x), Array.from(best.x));
  t.deepEqual(Array.from(result.grad), Array.from(quadratic(2)(result.x).grad));
});

test('adam stops at the gradient tolerance and rejects non-finite losses and bad options by name', (t) => {
  const result = adam(quadratic(1), [0], { iterations: 10, gradTolerance: 1 });
  t.true(result.converged);
  t.is(result.evaluations, 1);
  const nan: Objective = (x) => ({ loss: NaN, grad: new Float64Array(x.length) });
  t.throws(() => adam(nan, [1], { iterations: 3 }), { message: /iteration 0: the loss or its gradient is not finite/ });
  t.throws(() => adam(quadratic(1), [NaN], { iterations: 3 }), { message: /x0\[0\] must be a finite number/ });
  t.throws(() => adam(quadratic(1), [0], { iterations: 0 }), { message: /iterations must be a positive integer/ });
  t.throws(() => adam(quadratic(1), [0], { iterations: 2, learningRate: -1 }), { message: /learningRate must be a positive number/ });
  t.throws(() => adam(quadratic(1), [0], { iterations: 2, beta1: 1 }), { message: /beta1 must lie in \[0, 1\)/ });
  t.throws(() => adam(() => ({ loss: 0, grad: new Float64Array(3) }), [0], { iterations: 2 }), { message: /gradient of length 3 for 1 variables/ });
});

test('lbfgs minimises the 2-D Rosenbrock function to 1e-8 within its evaluation budget', (t) => {
  const counter = { calls: 0 };
  const result = lbfgs(rosenbrock(counter), [-1.2, 1], { maxEvaluations: 200, gradTolerance: 1e-10 });
  t.true(result.converged, result.stopReason);
  t.true(counter.calls <= 200);
  t.is(result.evaluations, counter.calls);
  t.true(Math.abs(result.x[0] - 1) < 1e-8 && Math.abs(result.x[1] - 1) < 1e-8, `x = ${Array.from(result.x)}`);
});

test('lbfgs minimises the 10-D Rosenbrock function', (t) => {
  const start = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
  const result = lbfgs(rosenbrock(), start, { maxEvaluations: 1000, gradTolerance: 1e-9 });
  t.true(result.converged, result.stopReason);
  for (const xi of result.x) t.true(Math.abs(xi - 1) < 1e-6, `x = ${Array.from(result.x)}`);
});

test('lbfgs solves an ill-conditioned quadratic in far fewer evaluations than its dimension squared', (t) => {
  const counter = { calls: 0 };
  const n = 20; // condition number 400
  const result = lbfgs(quadratic(n, counter), new Float64Array(n), { maxEvaluations: 400, gradTolerance: 1e-8 });
  t.true(result.converged, result.stopReason);
  t.true(counter.calls < 150, `${counter.calls} evaluations`);
  result.x.forEach((xi, i) => t.true(Math.abs(xi - i) < 1e-7, `x[${i}] = ${xi}`));
});

test('lbfgs shrinks steps that reach non-finite losses and never exceeds the budget', (t) => {
  // (x-3)⁴/4, undefined from x = 4 on; the first trial step from x = -1 lands at x = 19.
  const outside = { calls: 0 };
  const f: Objective = (x) => {
    if (x[0] >= 4) outside.calls++;
    return { loss: x[0] < 4 ? (x[0] - 3) ** 4 / 4 : NaN, grad: Float64Array.of((x[0] - 3) ** 3) };
  };
  const result = lbfgs(f, [-1], { maxEvaluations: 200, initialStep: 20, gradTolerance: 1e-9 });
  t.true(outside.calls >= 1);
  t.true(result.converged, result.stopReason);
  t.true(Math.abs(result.x[0] - 3) < 1e-2, `x = ${result.x[0]}`);
  const tight = lbfgs(rosenbrock(), [-1.2, 1], { maxEvaluations: 7 });
  t.false(tight.converged);
  t.is(tight.evaluations, 7);
  t.regex(tight.stopReason, /used all 7 evaluations/);
});
