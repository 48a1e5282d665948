/** The runtime support generated code calls (packages/runtime/src/compiled): scalar VJPs and adjoint algebra. */
import test from 'ava';
import { accumulator, add, addAt, addMatmulAdjoint, densify, math, part, rules, zerosLike } from '@adjoint/runtime/compiled/support';
import { mathVjp, NARY_MATH, OUTPUT_READERS } from '@adjoint/runtime/compiled/math';
import { astype, matmul, randn, tanh, tensor, Tensor, vjpRules } from '@adjoint/runtime';
import { relativeError } from './harness';

test('every scalar VJP equals a central difference of its Math function', (t) => {
  const at: Record<string, number[]> = { acosh: [1.7], pow: [1.3, 0.7], atan2: [0.4, -1.1], hypot: [0.3, -1.2, 2], max: [0.2, 0.9, -0.4], min: [0.2, 0.9, -0.4] };
  for (const name of Object.keys(mathVjp)) {
    const f = (Math as unknown as Record<string, (...xs: number[]) => number>)[name];
    const xs = at[name] ?? [0.37];
    const y = f(...xs);
    const g = 1.7;
    const got = NARY_MATH.has(name)
      ? ((mathVjp as unknown as Record<string, (...a: number[]) => number[]>)[name](g, y, ...xs))
      : [(mathVjp as unknown as Record<string, (g: number, v: number) => number>)[name](g, OUTPUT_READERS.has(name) ? y : xs[0])];
    xs.forEach((_, i) => {
      const h = 1e-6;
      const up = [...xs];
      const down = [...xs];
      up[i] += h;
      down[i] -= h;
      const fd = (g * (f(...up) - f(...down))) / (2 * h);
      t.true(relativeError(got[i], fd) < 1e-7, `${name}[${i}]: ${got[i]} vs ${fd}`);
    });
  }
  t.is(math, mathVjp);
});

test('the adjoint algebra treats 0 as the zero of any shape and never mutates', (t) => {
  const a = tensor([1, 2]);
  t.is(add(0, a), a);
  t.is(add(a, 0), a);
  t.deepEqual(Array.from((add(a, a) as Tensor).data), [2, 4]);
  t.deepEqual(add([0, 1], [2, 0]), [2, 1]);
  t.deepEqual(add({ h: 1 }, { h: 2, c: 3 }), { h: 3, c: 3 });
  t.is(part(0, 1), 0);
  t.is(part([4, 5], 1), 5);
  const buffer = [1, 2, 3];
  const acc = addAt(buffer, buffer, 1, 10);
  t.deepEqual(acc, [1, 12, 3]);
  t.deepEqual(buffer, [1, 2, 3]);
  t.deepEqual(addAt(0, new Float64Array(3), 2, 5), new Float64Array([0, 0, 5]));
  t.throws(() => add(tensor([1, 2]), tensor([1, 2, 3])), { message: /shapes differ, Tensor\[2\] vs Tensor\[3\]/ });
});

test('densify fills symbolic zeros with zeros of the primal, and converts size-1 tensors and numbers', (t) => {
  const primal = { h: tensor([[1, 2]]), n: 3, xs: [new Float64Array(2)] };
  const d = densify({ n: 0 }, primal) as { h: Tensor; n: number; xs: Float64Array[] };
  t.deepEqual(d.h.shape, [1, 2]);
  t.deepEqual(Array.from(d.h.data), [0, 0]);
  t.is(d.n, 0);
  t.deepEqual(d.xs, [new Float64Array(2)]);
  t.is(densify(tensor(2.5), 1), 2.5);
  t.deepEqual(Array.from((densify(2, tensor([1])) as Tensor).data), [2]);
  t.deepEqual(zerosLike([1, { a: 2 }]), [0, { a: 0 }]);
});

test('compiled rules are the ops VJP table, with symbolic zeros and per-argument needs', (t) => {
  const x = tensor([0.3, -0.4]);
  const y = tanh(x);
  const g = tensor([1, 2]);
  const [ours] = rules.tanh(g, [x], y) as Tensor[];
  const [table] = vjpRules.tanh(g, [x], y) as Tensor[];
  t.deepEqual(Array.from(ours.data), Array.from(table.data));
  t.deepEqual(rules.tanh(0, [x], y), [0]);
  t.deepEqual(rules.mul(g, [x, 2], y, [true, false]).slice(1), [0]);
});

test('an accumulator sums in place only into a buffer it allocated, never into a term', (t) => {
  const [a, b, c] = [tensor([1, 2]), tensor([10, 20]), tensor([100, 200])];
  const acc = accumulator();
  acc.add(0);
  acc.add(a);
  acc.add(b);
  acc.add(c);
  const total = acc.value() as Tensor;
  t.deepEqual(Array.from(total.data), [111, 222]);
  t.true(total !== a && total !== b && total !== c);
  t.deepEqual([Array.from(a.data), Array.from(b.data), Array.from(c.data)], [[1, 2], [10, 20], [100, 200]], 'no term is written into');
  const numbers = accumulator();
  for (const x of [1, 2, 3]) numbers.add(x);
  t.is(numbers.value(), 6);
  const tuples = accumulator();
  for (const x of [[a, 0], [b, 1], [c, 2]]) tuples.add(x);
  const [sum, n] = tuples.value() as [Tensor, number];
  t.deepEqual([Array.from(sum.data), n], [[111, 222], 3]);
  t.deepEqual(Array.from(a.data), [1, 2], 'trees are summed without writing into their leaves');
});

test('after value(), an accumulator no longer writes into the total it handed out', (t) => {
  const acc = accumulator();
  acc.add(tensor([1]));
  acc.add(tensor([2]));
  const first = acc.value() as Tensor;
  acc.add(tensor([4]));
  t.deepEqual(Array.from(first.data), [3]);
  t.deepEqual(Array.from((acc.value() as Tensor).data), [7]);
});

test("addMatmulAdjoint sums matmul's adjoint of its right operand as the rule computes it, in place or not", (t) => {
  const close = (x: Tensor, y: Tensor): boolean => x.shape.join() === y.shape.join() && x.data.every((v, i) => Math.abs(v - y.data[i]) < 1e-12);
  const cases: [string, Tensor, Tensor][] = [
    ['2-D, one row (an RNN step)', randn([1, 5], { seed: 1 }), randn([5, 3], { seed: 2 })],
    ['2-D, a batch of rows', randn([4, 5], { seed: 3 }), randn([5, 3], { seed: 4 })],
    ['1-D left operand (through the rule)', randn([5], { seed: 5 }), randn([5, 3], { seed: 6 })],
    ['float32 weights (through the rule)', randn([2, 5], { seed: 7 }), astype(randn([5, 3], { seed: 8 }), 'float32')],
  ];
  for (const [what, a, b] of cases) {
    const out = matmul(a, b);
    const steps = [randn(out.shape, { seed: 9 }), randn(out.shape, { seed: 10 }), randn(out.shape, { seed: 11 })];
    const acc = accumulator();
    let expected: ReturnType<typeof add> = 0;
    for (const g of steps) {
      addMatmulAdjoint(acc, g, [a, b], out);
      expected = add(expected, rules.matmul(g, [a, b], out)[1]);
    }
    const total = acc.value() as Tensor;
    t.true(close(total, expected as Tensor), what);
    t.is(total.dtype, b.dtype, `${what}: the adjoint has the weights' dtype`);
  }
  const untouched = accumulator();
  addMatmulAdjoint(untouched, 0, [tensor([[1]]), tensor([[2]])], tensor([[2]]));
  t.is(untouched.value(), 0, 'a zero adjoint adds nothing');
});
