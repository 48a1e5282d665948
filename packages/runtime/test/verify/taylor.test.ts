/**
 * taylorTest: the remainder with the gradient shrinks at order 2 when the gradient is
 * right and at order 1 when it is wrong (a perturbed gradient, or a customVjp with a
 * wrong backward); the remainder without it shrinks at order 1.
 */
import test from 'ava';
import { customVjp, grad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { add, cos, exp, matmul, mul, sin, sum, tanh } from '@adjoint/runtime/ops/index';
import { Tensor, tensor } from '@adjoint/runtime/tensor/index';
import { convergenceOrders, taylorTest } from '@adjoint/runtime/verify/index';
import { seeded } from '../ops/helpers';

const x = seeded([20], 1);
const f = (v: Tensor) => sum(mul(sin(v), v));

const near = (orders: readonly number[], want: number, tol: number) => orders.every((o) => Math.abs(o - want) < tol);
/** Order 1 is approached as h shrinks (the h² term still shows at the largest h). */
const firstOrder = (orders: readonly number[]) => orders.every((o) => o > 0.8 && o < 1.3) && Math.abs(orders[orders.length - 1] - 1) < 0.05;

test('a right gradient converges at order 2, the plain residual at order 1', (t) => {
  const r = taylorTest(f, x);
  t.is(r.orders.length, 4);
  t.true(near(r.orders, 2, 0.1), `orders ${r.orders}`);
  t.true(firstOrder(r.ordersWithoutGradient), `orders ${r.ordersWithoutGradient}`);
  t.is(r.minOrder, Math.min(...r.orders));
  t.deepEqual(r.hs, [0.01, 0.005, 0.0025, 0.00125, 0.000625]);
});

test('a wrong gradient converges at order 1', (t) => {
  const wrong = grad(f)(x);
  const bad = new Tensor(wrong.data.map((g, i) => (i === 3 ? g * 1.1 : g)), wrong.shape);
  const r = taylorTest(f, x, undefined, { gradient: bad });
  t.true(firstOrder(r.orders), `orders ${r.orders}`);
});

test('a customVjp with a wrong adjoint fails the test; the right one passes', (t) => {
  const sinWith = (derivative: (v: Tensor) => Tensor) =>
    customVjp((v: Tensor) => [sin(v), v] as const, (v: Tensor, g: Tensor) => [mul(g, derivative(v))], 'sin');
  const right = sinWith(cos);
  const wrong = sinWith(sin); // the classic slip: sin' written as sin
  t.true(taylorTest((v: Tensor) => sum(mul(right(v), v)), x).minOrder > 1.9);
  const r = taylorTest((v: Tensor) => sum(mul(wrong(v), v)), x);
  t.true(firstOrder(r.orders), `orders ${r.orders}`);
});

test('numbers and value trees, through a checkpointed loop, with a given direction', (t) => {
  const loss = (p: { w: number; h: Tensor }) =>
    sum(checkpointedLoop((h: Tensor) => tanh(add(mul(h, p.w), 0.1)), p.h, 15, { snapshots: 3 }));
  const p = { w: 0.8, h: seeded([5], 2) };
  const r = taylorTest(loss, p, { w: 1, h: seeded([5], 3) });
  t.true(near(r.orders, 2, 0.1), `orders ${r.orders}`);
  t.true(taylorTest((w: number) => mul(exp(w), 3), 0.5).minOrder > 1.95);
  const m = seeded([4, 4], 4);
  t.true(taylorTest((a: Tensor) => sum(tanh(matmul(a, a))), m, undefined, { seed: 7 }).minOrder > 1.9);
});

test('prints the dolfin-adjoint lines to a function and returns them', (t) => {
  const lines: string[] = [];
  const r = taylorTest(f, x, undefined, { print: (l) => lines.push(l), evaluations: 3 });
  t.deepEqual(lines, r.lines);
  t.is(r.orders.length, 2);
  t.regex(lines[3], /^Convergence orders for Taylor remainder with adjoint information \(should all be 2\): \[2\.0\d*, 2\.0\d*\]$/);
  t.deepEqual(convergenceOrders([1, 0.25, 0.0625]), [2, 2]);
});

test('bad arguments name the problem', (t) => {
  t.throws(() => taylorTest(f, x, seeded([3], 1)), { message: /the direction dx must have the structure of x: dx: expected Tensor<float64>\[20\], got Tensor<float64>\[3\]/ });
  t.throws(() => taylorTest((v: Tensor) => v, x), { message: /must return a real scalar/ });
  t.throws(() => taylorTest(f, x, undefined, { h: 0 }), { message: 'taylorTest: options.h must be a positive step size, got 0' });
  t.throws(() => taylorTest(f, x, undefined, { evaluations: 1 }), { message: 'taylorTest: options.evaluations must be an integer >= 2, got 1' });
  t.throws(() => taylorTest(f, 'x' as never), { message: /x: expected a value tree/ });
  t.throws(() => taylorTest(f, tensor([1, 2]), undefined, { gradient: [1, 2] }), { message: /options\.gradient must have the structure of x/ });
});
