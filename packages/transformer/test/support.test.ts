/** The runtime support generated code calls (packages/runtime/src/compiled): scalar VJPs and adjoint algebra. */
import test from 'ava';
import { add, addAt, densify, math, part, rules, zerosLike } from '@adjoint/runtime/compiled/support';
import { mathVjp, NARY_MATH, OUTPUT_READERS } from '@adjoint/runtime/compiled/math';
import { tanh, tensor, Tensor, vjpRules } from '@adjoint/runtime';
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
