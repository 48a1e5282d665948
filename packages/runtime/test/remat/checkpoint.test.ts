/**
 * checkpoint(fn): the gradient equals the un-checkpointed one (and finite differences),
 * the tape holds only the outputs between forward and backward (exact ledger bytes),
 * fn runs once forward and once more in the backward pass, random draws replay, several
 * outputs work, and a closed-over traced value is refused rather than silently ignored.
 */
import test from 'ava';
import { grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { add, exp, matmul, mul, sin, sum, tanh } from '@adjoint/runtime/ops/index';
import { getRngState, randn, setRngState } from '@adjoint/runtime/random/index';
import { checkpoint, CheckpointGroup } from '@adjoint/runtime/remat/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { close, seeded } from '../ops/helpers';

const N = 1000;
const x = seeded([N], 1);
const w = seeded([N], 2);

/** Three intermediates of N numbers each: mul, tanh, exp; returns a tuple and an object. */
function block(calls: { n: number }) {
  return (a: Tensor, b: Tensor) => {
    calls.n++;
    const y = tanh(mul(a, b));
    const z = exp(y);
    return [z, { s: sum(z) }] as const;
  };
}

function loss(f: ReturnType<typeof block>, held: { bytes: number }, base: number) {
  return (a: Tensor, b: Tensor) => {
    const [z, { s }] = f(a, b);
    held.bytes = ledger.current('tapes') - base; // what waits for the backward pass
    return add(sum(mul(z, sin(b))), s);
  };
}

test('gradients equal the un-checkpointed ones; the tape keeps only the outputs; fn runs twice', (t) => {
  const base = ledger.current('tapes');
  const plainCalls = { n: 0 };
  const plainHeld = { bytes: 0 };
  const [v0, g0] = valueAndGrad(loss(block(plainCalls), plainHeld, base), [0, 1])(x, w);
  const calls = { n: 0 };
  const held = { bytes: 0 };
  const [v1, g1] = valueAndGrad(loss(checkpoint(block(calls)), held, base), [0, 1])(x, w);
  t.is(v1.item(), v0.item());
  close(t, g1[0].data, g0[0].data, 1e-15, 'd/da');
  close(t, g1[1].data, g0[1].data, 1e-15, 'd/db');
  t.is(plainCalls.n, 1);
  t.is(calls.n, 2, 'one forward evaluation, one recomputation');
  t.is(plainHeld.bytes, 3 * 8 * N + 8, 'un-checkpointed: mul, tanh, exp and the sum');
  t.is(held.bytes, 8 * N + 8, 'checkpointed: only the outputs z and s');
  t.is(ledger.current('tapes'), base, 'every tape returned its bytes');
});

test('the checkpointed gradient matches central finite differences', (t) => {
  const f = (a: Tensor) => sum(checkpoint((u: Tensor, k: number) => tanh(mul(u, k)))(a, 1.5));
  const a = seeded([5], 3);
  const g = grad(f)(a);
  for (let j = 0; j < 5; j++) {
    const at = (d: number) => {
      const v = new Float64Array(a.data);
      v[j] += d;
      return f(new Tensor(v, [5])).item();
    };
    t.true(Math.abs(g.data[j] - (at(1e-6) - at(-1e-6)) / 2e-6) < 1e-8);
  }
});

test('outside differentiation a checkpointed function is just the function', (t) => {
  const calls = { n: 0 };
  const [z, { s }] = checkpoint(block(calls))(x, w);
  const [z0, { s: s0 }] = block({ n: 0 })(x, w);
  t.deepEqual([...z.data], [...z0.data]);
  t.is(s.item(), s0.item());
  t.is(calls.n, 1);
});

test('random draws inside the function replay in the recomputation; the generator ends where the plain run leaves it', (t) => {
  const noisy = (a: Tensor) => tanh(add(a, mul(0.3, randn([N]))));
  const f = (fn: (a: Tensor) => Tensor) => (a: Tensor) => {
    const y = fn(a);
    const after = randn([3]); // a draw after the function: must not see the recomputation's draws
    return add(sum(mul(y, y)), sum(after));
  };
  const start = [5, 6, 7, 8] as const;
  setRngState(start);
  const [v0, g0] = valueAndGrad(f(noisy))(x);
  const end0 = getRngState();
  setRngState(start);
  const [v1, g1] = valueAndGrad(f(checkpoint(noisy, { determinismCheck: true })))(x);
  t.is(v1.item(), v0.item());
  close(t, g1.data, g0.data, 1e-15);
  t.deepEqual(getRngState(), end0);
});

test('non-tensor arguments pass through as constants and get no adjoint', (t) => {
  const fn = checkpoint((a: Tensor, opts: { scale: number; label: string }, k: number) => mul(a, opts.scale * k));
  const g = grad((a: Tensor) => sum(fn(a, { scale: 2, label: 'x' }, 3)))(seeded([4], 5));
  close(t, g.data, [6, 6, 6, 6]);
});

test('a traced value read from the closure is refused, naming the function', (t) => {
  const W = seeded([4, 4], 6);
  t.throws(() => grad((m: Tensor) => sum(checkpoint(function layer(h: Tensor) {
    return tanh(matmul(h, m));
  })(seeded([4], 7))))(W), { message: /checkpoint\(layer\): the function read a traced value that is not among its arguments/ });
  // Passed as an argument it works.
  const g = grad((m: Tensor) => sum(checkpoint((h: Tensor, mm: Tensor) => tanh(matmul(h, mm)))(seeded([4], 7), m)))(W);
  const want = grad((m: Tensor) => sum(tanh(matmul(seeded([4], 7), m))))(W);
  close(t, g.data, want.data, 1e-15);
});

test('checkpoint inside a checkpointed loop step gives the unrolled gradient', (t) => {
  const n = 12;
  const cell = checkpoint((h: Tensor, m: Tensor) => tanh(add(matmul(h, m), 0.1)));
  const loss = (ckpt: boolean) => (m: Tensor, h0: Tensor) => {
    if (ckpt) return sum(checkpointedLoop((h: Tensor) => cell(h, m), h0, n, { snapshots: 3 }));
    let h = h0;
    for (let i = 0; i < n; i++) h = tanh(add(matmul(h, m), 0.1));
    return sum(h);
  };
  const W = seeded([6, 6], 8, -0.5, 0.5);
  const h0 = seeded([6], 9);
  const g = grad(loss(true), [0, 1])(W, h0);
  const want = grad(loss(false), [0, 1])(W, h0);
  close(t, [...g[0].data, ...g[1].data], [...want[0].data, ...want[1].data], 1e-12);
});

test('CheckpointGroup: several outputs per function, counters shared by the group', (t) => {
  const group = new CheckpointGroup({ name: 'block' });
  const f = (a: Tensor, b: Tensor) => {
    const [p, q] = group.checkpointFn([a, b], (u: Tensor, v: Tensor) => [mul(u, v), add(u, v)] as const);
    const { r } = group.checkpointFn([p, q], (u: Tensor, v: Tensor) => ({ r: tanh(mul(u, v)) }));
    return sum(r);
  };
  const g = grad(f, [0, 1])(x, w);
  const want = grad((a: Tensor, b: Tensor) => sum(tanh(mul(mul(a, b), add(a, b)))), [0, 1])(x, w);
  close(t, [...g[0].data, ...g[1].data], [...want[0].data, ...want[1].data], 1e-14);
  t.deepEqual(group.counters, { calls: 2, recomputations: 2 });
});

test('bad arguments name the problem', (t) => {
  t.throws(() => checkpoint('f' as never), { message: 'checkpoint: fn must be a function, got string' });
  t.throws(() => checkpoint((a: Tensor) => a, { policy: 'x' } as never), { message: "checkpoint: unknown option 'policy'; allowed: name, determinismCheck" });
  t.throws(() => checkpoint((a: Tensor) => a, { determinismCheck: 'yes' } as never), { message: 'checkpoint(function): options.determinismCheck must be a boolean, got string' });
  t.throws(() => new CheckpointGroup({ segments: 2 } as never), { message: "CheckpointGroup: unknown option 'segments'; allowed: name, determinismCheck" });
});

test('thousands of checkpointed calls in a chain: no deep recursion, the unrolled gradient', (t) => {
  const cell = checkpoint((h: Tensor) => tanh(mul(h, 0.999)));
  const chain = (f: (h: Tensor) => Tensor) => (h: Tensor) => {
    for (let i = 0; i < 3000; i++) h = f(h);
    return sum(h);
  };
  const g = grad(chain(cell))(seeded([3], 11));
  const want = grad(chain((h) => tanh(mul(h, 0.999))))(seeded([3], 11));
  close(t, g.data, want.data, 1e-12);
});
