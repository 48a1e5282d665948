import test from 'ava';
import { grad, stopGradient, valueAndGrad, vjp } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { abs2, add, complex, exp, matmul, max, mul, relu, sin, sub, sum, tanh } from '@adjoint/runtime/ops/index';
import { Tensor, tensor, zeros } from '@adjoint/runtime/tensor/index';
import { close } from '../ops/helpers';

test('grad of a function of a number returns a number', (t) => {
  t.is(grad((x: number) => mul(x, mul(x, x)))(2), 12);
  t.is(grad((x: number) => sin(x))(0), 1);
});

test('valueAndGrad returns the untraced value and the gradient of a tensor argument', (t) => {
  const x = tensor([1, 2, 3]);
  const [value, g] = valueAndGrad((v: Tensor) => sum(exp(v)))(x);
  t.false(value.traced);
  close(t, [value.item()], [Math.exp(1) + Math.exp(2) + Math.exp(3)]);
  close(t, g.data, [Math.exp(1), Math.exp(2), Math.exp(3)]);
  t.deepEqual(g.shape, [3]);
});

test('argnums selects arguments; an array gives a tuple; other arguments are passed through untouched', (t) => {
  const f = (a: Tensor, label: string, b: number) => sum(mul(a, b));
  const x = tensor([1, 2]);
  close(t, grad(f)(x, 'ignored', 3).data, [3, 3]);
  const [ga, gb] = grad(f, [0, 2])(x, 'ignored', 3);
  close(t, ga.data, [3, 3]);
  t.is(gb, 3);
});

test('gradients of value trees keep the tree structure and the leaf kinds', (t) => {
  const params = { w: tensor([[1, 2], [3, 4]]), b: [0.5, new Float64Array([1, -1])], scale: 2 };
  // Under grad, number and typed-array leaves arrive as traced tensors.
  const f = (p: typeof params) => mul(p.scale, sum(add(matmul(tensor([1, 1]), p.w), add(p.b[0] as unknown as Tensor, p.b[1] as unknown as Tensor))));
  const g = grad(f)(params);
  close(t, g.w.data, [2, 2, 2, 2]);
  t.is(g.b[0], 4);
  t.true(g.b[1] instanceof Float64Array);
  close(t, g.b[1] as Float64Array, [2, 2]);
  t.is(g.scale, (1 + 3 + 0.5 + 1) + (2 + 4 + 0.5 - 1));
});

test('an argument the output does not depend on gets a zero gradient of its shape; a constant output gives zeros', (t) => {
  const g = grad((a: Tensor, b: Tensor) => sum(a), [0, 1])(tensor([1, 2]), tensor([[1, 2, 3]]));
  close(t, g[1].data, [0, 0, 0]);
  t.deepEqual(g[1].shape, [1, 3]);
  t.is(grad((x: number) => 5)(3), 0);
});

test('stopGradient blocks the gradient and returns the same values', (t) => {
  const g = grad((x: Tensor) => sum(mul(x, stopGradient(x))))(tensor([1, 2, 3]));
  close(t, g.data, [1, 2, 3]);
  const tree = stopGradient({ a: tensor([1]), b: [2] });
  t.deepEqual(tree.a.data, new Float64Array([1]));
  t.is(tree.b[0], 2);
});

test('float32 arguments get float32 gradients', (t) => {
  const x = tensor([1, 2, 3], undefined, 'float32');
  const g = grad((v: Tensor) => sum(mul(v, v)))(x);
  t.is(g.dtype, 'float32');
  close(t, g.data, [2, 4, 6]);
});

test('the gradient with respect to a complex input is ∂L/∂x + i·∂L/∂y (PyTorch convention)', (t) => {
  const z = complex(tensor([3, 1]), tensor([4, -2]));
  const g = grad((v: Tensor) => sum(abs2(v)))(z);
  t.is(g.dtype, 'complex128');
  close(t, g.data, [6, 8, 2, -4]); // 2z
});

test('vjp returns the output and a pullback for every argument', (t) => {
  const [out, pullback] = vjp((a: Tensor, b: Tensor) => ({ s: mul(a, b), d: sub(a, b) }), tensor([1, 2]), tensor([3, 4]));
  close(t, out.s.data, [3, 8]);
  t.false(out.s.traced);
  const [ga, gb] = pullback({ s: tensor([1, 1]), d: tensor([10, 0]) });
  close(t, ga.data, [3 + 10, 4]);
  close(t, gb.data, [1 - 10, 2]);
  t.throws(() => pullback({ s: tensor([1, 1]), d: tensor([1, 1]) }), { message: /already called/ });
});

test('vjp differentiates numbers and value trees, giving adjoints of the same kinds', (t) => {
  const [out, pullback] = vjp((k: number, p: { w: Tensor; c: number[] }) => mul(mul(p.w, k), p.c[0]), 2, { w: tensor([1, 2]), c: [3] });
  close(t, out.data, [6, 12]);
  const [gk, gp] = pullback(tensor([1, 10]));
  t.is(gk, 3 * (1 + 20));
  close(t, gp.w.data, [6, 60]);
  t.is(gp.c[0], 2 * (1 + 20));
  t.throws(() => vjp((a: Tensor, label: string) => a, tensor([1]), 'x'), {
    message: /^vjp: cannot differentiate with respect to args\[1\] \(string\): .*vjp differentiates every argument: let f close over the others/,
  });
});

test('vjp rejects an adjoint of the wrong structure, naming the place', (t) => {
  const [, pullback] = vjp((a: Tensor) => mul(a, 2), tensor([1, 2]));
  t.throws(() => pullback(tensor([1, 2, 3])), { message: /vjp: the adjoint must have the structure of the output.*Tensor<float64>\[2\].*Tensor<float64>\[3\]/ });
});

test('native arithmetic on a traced value is an error that points to the DSL and the compiler plugin', (t) => {
  const error = t.throws(() => grad((x: number) => mul(x * 2, 1))(3));
  t.regex(error!.message, /Native arithmetic/);
  t.regex(error!.message, /mul/);
  t.regex(error!.message, /@adjoint\/transformer/);
  t.throws(() => grad((x: Tensor) => sum(tensor([x.item()])))(tensor([1])), { message: /item\(\) on a traced Tensor/ });
  t.throws(() => grad((x: Tensor) => sum(new Tensor(x.data, [1])))(tensor([1])), { message: /Cannot read \.data of a traced Tensor/ });
  t.throws(() => grad((x: number) => (x > 0 ? mul(x, 1) : tensor(0)))(1), { message: /Native arithmetic/ });
  // Inside a checkpointed loop: on a closed-over weight (read by plain advances) and on the state (taped steps).
  t.throws(() => grad((w: Tensor) => sum(checkpointedLoop((h: Tensor) => mul(h, (w as unknown as number) * 2), tensor([1]), 6, { snapshots: 2 })))(tensor([2])), { message: /^Native arithmetic/ });
  t.throws(() => grad((w: Tensor) => sum(checkpointedLoop((h: Tensor) => mul(w, (h as unknown as number) * 2), tensor([1]), 6, { snapshots: 2 })))(tensor([2])), { message: /^Native arithmetic/ });
});

test('outside a trace, a size-1 tensor converts to a number, larger ones refuse', (t) => {
  t.is(+tensor([2.5]) * 2, 5);
  t.throws(() => +tensor([1, 2]), { message: /shape \[2\] to a number/ });
  t.is(`${tensor([1, 2])}`, 'Tensor(float64 [2] [1,2])');
});

test('a shape mismatch names the operation and both shapes, also under grad', (t) => {
  t.throws(() => add(tensor([1, 2, 3]), tensor([1, 2])), { message: 'add: shapes [3] and [2] cannot be broadcast together (axis -1: 3 vs 2)' });
  t.throws(() => grad((x: Tensor) => sum(mul(x, tensor([[1, 2], [3, 4], [5, 6]]))))(tensor([1, 2, 3])), { message: /mul: shapes \[3\] and \[3, 2\]/ });
  t.throws(() => matmul(tensor([[1, 2, 3]]), tensor([[1, 2]])), { message: /matmul: shapes \[1, 3\] and \[1, 2\] do not match/ });
  t.throws(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5])), {
    message: 'matmul: shapes [2, 3, 4] and [3, 4, 5] do not match: batch axes [2] and [3] cannot be broadcast together',
  });
});

test('differentiating with respect to a non-numeric argument is a clear error naming it', (t) => {
  t.throws(() => grad((s: string) => 1 as unknown as Tensor)('text'), { message: /cannot differentiate with respect to args\[0\] \(string\)/ });
  t.throws(() => grad((p: { w: Tensor; name: string }) => sum(p.w))({ w: tensor([1]), name: 'layer' }), { message: /args\[0\]\.name \(string\)/ });
  t.throws(() => grad((a: Tensor, b: Tensor) => sum(a), 2)(tensor([1]), tensor([2])), { message: /argnums 2 is out of range/ });
  t.throws(() => grad((a: Tensor) => a)(tensor([1, 2])), { message: /must return a real scalar.*shape \[2\]/ });
});

test('NaN inputs propagate to values and gradients without throwing', (t) => {
  const [value, g] = valueAndGrad((x: Tensor) => sum(mul(x, tanh(x))))(tensor([1, NaN, 2]));
  t.true(Number.isNaN(value.item()));
  t.false(Number.isNaN(g.data[0]));
  t.true(Number.isNaN(g.data[1]));
  const [m, gm] = valueAndGrad((x: Tensor) => max(x))(tensor([1, NaN]));
  t.true(Number.isNaN(m.item()));
  t.true(Number.isNaN(gm.data[1]));
  t.notThrows(() => grad((x: Tensor) => sum(relu(x)))(tensor([NaN])));
});

test('grad inside grad over the outer traced values is refused as higher-order differentiation', (t) => {
  const inner = (w: Tensor) => grad((x: Tensor) => sum(mul(x, w)))(tensor([1, 2]));
  t.throws(() => grad((w: Tensor) => sum(inner(w)))(tensor([3, 4])), { message: /higher-order differentiation is not supported/ });
  // An inner grad that does not touch the outer trace is fine.
  const g = grad((w: Tensor) => sum(mul(w, grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2])))))(tensor([3, 4]));
  close(t, g.data, [2, 4]);
});

test('grad inside a differentiated loop step over the closed-over weights is refused, and the error says why', (t) => {
  const loss = (w: Tensor) =>
    sum(checkpointedLoop((h: Tensor) => mul(h, grad((x: Tensor) => sum(mul(sin(x), w)))(h)), tensor([1, 2]), 5, { snapshots: 2 }));
  t.throws(() => grad(loss)(tensor([0.5, 0.3])), { message: /higher-order differentiation, which is not supported/ });
});

test('every tape returns its bytes to the ledger', (t) => {
  const before = ledger.current('tapes');
  const window = ledger.openWindow(['tapes']);
  grad((x: Tensor) => sum(tanh(mul(x, x))))(tensor(new Float64Array(1000)));
  t.is(window.peak('tapes') - before, 2 * 8000 + 8, 'the tape held its intermediate results: x², tanh(x²), the sum');
  window.close();
  t.is(ledger.current('tapes'), before);
  t.throws(() => grad((x: number): number => {
    throw new Error(`boom ${typeof x}`);
  })(1));
  t.is(ledger.current('tapes'), before);
});

test('a differentiated typed array is refused where code reads its length or elements, never a silent zero gradient', (t) => {
  const sumOfSquares = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return s;
  };
  t.throws(() => grad(sumOfSquares)(new Float64Array([0.3, -1.2, 2.5])), { message: /Float64Array\(3\) .* \.length .*@adjoint\/transformer/ });
  t.throws(() => grad((x: Float64Array) => x[0])(new Float64Array([1, 2])), { message: /Float64Array\(2\) .* \.\[0\]/ });
  // Through DSL ops it is differentiated, and the gradient comes back as a typed array.
  const g = grad((x: Float64Array) => sum(mul(x, x)))(new Float64Array([0.3, -1.2, 2.5]));
  t.true(g instanceof Float64Array);
  close(t, g, [0.6, -2.4, 5]);
});
