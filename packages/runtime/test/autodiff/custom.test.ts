import test from 'ava';
import { customVjp, grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { add, matmul, mul, square, sub, sum, tanh, transpose } from '@adjoint/runtime/ops/index';
import { Tensor, tensor } from '@adjoint/runtime/tensor/index';
import { close, seeded } from '../ops/helpers';

/** y = tanh(x·W + b), with the adjoint written by hand on raw arrays (like a fused kernel). */
const dense = customVjp(
  (x: Tensor, layer: { W: Tensor; b: Tensor }) => {
    const y = tanh(add(matmul(x, layer.W), layer.b));
    return [y, { x, W: layer.W, y }] as const;
  },
  ({ x, W, y }, gy: Tensor) => {
    const gz = new Float64Array(y.size);
    for (let i = 0; i < y.size; i++) gz[i] = gy.data[i] * (1 - y.data[i] ** 2);
    const gzT = new Tensor(gz, y.shape);
    return [matmul(gzT, transpose(W)), { W: matmul(transpose(x), gzT), b: sum(gzT, 0) }];
  },
  'dense',
);
const plainDense = (x: Tensor, layer: { W: Tensor; b: Tensor }) => tanh(add(matmul(x, layer.W), layer.b));

const x = seeded([2, 3], 1);
const layer = { W: seeded([3, 4], 2), b: seeded([4], 3) };

test('a customVjp function gives the gradient of the same function written in the DSL', (t) => {
  const loss = (f: typeof dense) => (xx: Tensor, l: typeof layer) => sum(square(f(xx, l)));
  const [v1, [gx1, gl1]] = valueAndGrad(loss(dense), [0, 1])(x, layer);
  const [v2, [gx2, gl2]] = valueAndGrad(loss(plainDense), [0, 1])(x, layer);
  close(t, [v1.item()], [v2.item()], 1e-14);
  close(t, gx1.data, gx2.data, 1e-13);
  close(t, gl1.W.data, gl2.W.data, 1e-13);
  close(t, gl1.b.data, gl2.b.data, 1e-13);
});

test('outside a trace the function returns exactly what forward returned', (t) => {
  const y = dense(x, layer);
  t.false(y.traced);
  close(t, y.data, plainDense(x, layer).data, 0);
});

test('number and typed-array outputs become traced tensors under grad so their gradient flows', (t) => {
  // A "kernel" computing a loss natively on raw data.
  const sumSquares = customVjp(
    (v: Tensor) => {
      let s = 0;
      for (const e of v.data) s += e * e;
      return [{ loss: s, copy: Float64Array.from(v.data) }, v] as const;
    },
    (v, g) => [add(mul(2 * g.loss, v), new Tensor(g.copy, v.shape))],
  );
  const v = tensor([1, -2, 3]);
  t.is(sumSquares(v).loss, 14);
  const g = grad((w: Tensor) => add(sumSquares(w).loss as unknown as Tensor, sum(mul(sumSquares(w).copy as unknown as Tensor, 10))))(v);
  close(t, g.data, [2 + 10, -4 + 10, 6 + 10]);
});

test('null adjoints mean zero, for a whole input or part of one', (t) => {
  const f = customVjp(
    (a: Tensor, p: { u: Tensor; v: Tensor }) => [sum(mul(a, add(p.u, p.v))), null] as const,
    () => [null, { u: tensor([7, 7]), v: null }],
  );
  const [ga, gp] = grad(f, [0, 1])(tensor([1, 1]), { u: tensor([1, 2]), v: tensor([3, 4]) });
  close(t, ga.data, [0, 0]);
  close(t, gp.u.data, [7, 7]);
  close(t, gp.v.data, [0, 0]);
});

test('a wrong adjoint from backward is a clear error naming the function and the input', (t) => {
  const f = customVjp((a: Tensor) => [sum(a), null] as const, () => [tensor([1, 2, 3])], 'badKernel');
  t.throws(() => grad(f)(tensor([1, 2])), { message: 'customVjp badKernel: backward returned a Tensor of shape [3] as the adjoint of inputs[0], a Tensor of shape [2]' });
  const g = customVjp((a: Tensor) => [sum(a), null] as const, () => [] as unknown[], 'short');
  t.throws(() => grad(g)(tensor([1, 2])), { message: /customVjp short: backward must return an array of 1 adjoint/ });
});

test('customVjp steps inside a checkpointed loop: closed-over weights get summed gradients', (t) => {
  const n = 12;
  const x0 = seeded([1, 3], 4);
  const square3 = { W: seeded([3, 3], 5, -0.7, 0.7), b: seeded([3], 6) };
  const loss = (mode: 'custom' | 'plain') => (l: typeof square3) => {
    const step = (h: Tensor) => (mode === 'custom' ? dense(h, l) : plainDense(h, l));
    return sum(sub(checkpointedLoop(step, x0, n, { snapshots: 3, schedule: 'revolve' }), 0.1));
  };
  const g1 = grad(loss('custom'))(square3);
  const g2 = grad(loss('plain'))(square3);
  close(t, g1.W.data, g2.W.data, 1e-12);
  close(t, g1.b.data, g2.b.data, 1e-12);
});

test('a forward that reads a traced value from its closure is an error naming the function, not a lost gradient', (t) => {
  const scaledBy = (w: Tensor) => customVjp((v: Tensor) => [mul(v, w), null] as const, (_, g: Tensor) => [mul(g, w)], 'scaled');
  const message = /^customVjp scaled: forward read a traced value that is not among its inputs/;
  t.throws(() => grad((w: Tensor) => sum(scaledBy(w)(tensor([1, 2]))))(tensor([3, 4])), { message });
  // In a checkpointed loop step too, where the weight is captured by the step's tape.
  t.throws(() => grad((w: Tensor) => sum(checkpointedLoop((h: Tensor) => scaledBy(w)(h), tensor([1, 2]), 5, { snapshots: 2 })))(tensor([0.5, 0.5])), { message });
  // A constant closure value is fine, and outside a trace nothing is checked.
  close(t, grad((v: Tensor) => sum(scaledBy(tensor([3, 4]))(v)))(tensor([1, 2])).data, [3, 4]);
  close(t, scaledBy(tensor([3, 4]))(tensor([1, 2])).data, [3, 8]);
});
