/**
 * Recomputation is deterministic: the sweep replays the global RNG with every state it
 * holds, checkpoint(fn) replays it for its recomputation, and determinismCheck turns a
 * step or function that recomputes something else (Math.random, outside state) into an
 * error naming the step index or the function.
 */
import test from 'ava';
import { grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop, checkpointedWhile } from '@adjoint/runtime/checkpoint/loop';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { add, matmul, mul, sum, tanh } from '@adjoint/runtime/ops/index';
import { getRngState, rand, randn, setRngState } from '@adjoint/runtime/random/index';
import { checkpoint } from '@adjoint/runtime/remat/index';
import { makeSchedule } from '@adjoint/runtime/schedules/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { DeterminismError } from '@adjoint/runtime/verify/index';
import { close, seeded } from '../ops/helpers';

const H = 6;
const W = seeded([H, H], 1, -0.5, 0.5);
const h0 = seeded([H], 2);
const START = [11, 22, 33, 44] as const;

/** A noisy RNN: each step adds noise drawn by `noise`. */
function loss(noise: () => Tensor, n: number, options: Parameters<typeof checkpointedLoop>[3]) {
  return (m: Tensor) => sum(checkpointedLoop((h: Tensor) => tanh(add(matmul(h, m), mul(0.2, noise()))), h0, n, options));
}

const mathRandom = () => new Tensor(Float64Array.from({ length: H }, () => Math.random()), [H]);

test('a step drawing from Math.random is caught when recomputed', (t) => {
  const base = ledger.counts();
  const e = t.throws(() => grad(loss(mathRandom, 20, { snapshots: 3, determinismCheck: true }))(W), { instanceOf: DeterminismError });
  t.regex(e!.message, /^determinism check failed: the step at loop index \d+ gave a different result when recomputed: its values changed \(CRC-32 0x[0-9a-f]{8} first, 0x[0-9a-f]{8} recomputed\)\. .*Math\.random/);
  t.deepEqual(ledger.counts(), base, 'snapshots and tapes were freed');
});

test('the error names the step that diverged', (t) => {
  let evaluations = 0;
  const impure = (h: Tensor, i: number) => {
    if (i === 4) evaluations++;
    return tanh(add(h, i === 4 ? evaluations : 0)); // reads state that changes between calls, at index 4 only
  };
  const e = t.throws(() => grad((x: Tensor) => sum(checkpointedLoop(impure, x, 9, { snapshots: 2, determinismCheck: true })))(h0), { instanceOf: DeterminismError });
  t.is(e!.what, 'the step at loop index 4');
  // Without the check the same loop silently gives a gradient of another function.
  evaluations = 0;
  t.notThrows(() => grad((x: Tensor) => sum(checkpointedLoop(impure, x, 9, { snapshots: 2 })))(h0));
});

test('a step drawing from the runtime RNG replays exactly: the check passes and the gradient matches finite differences', (t) => {
  const n = 25;
  const f = (m: Tensor) => {
    setRngState(START); // every evaluation draws the same noise
    return loss(() => randn([H]), n, { snapshots: 4, determinismCheck: true })(m);
  };
  const g = grad(f)(W);
  const probe = (j: number, d: number) => {
    const v = new Float64Array(W.data);
    v[j] += d;
    return f(new Tensor(v, W.shape)).item();
  };
  for (const j of [0, 7, 20, 35]) t.true(Math.abs(g.data[j] - (probe(j, 1e-6) - probe(j, -1e-6)) / 2e-6) < 1e-8, `W[${j}]`);
});

test('differentiated and plain runs draw the same numbers and leave the generator in the same place', (t) => {
  const n = 30;
  setRngState(START);
  const plain = loss(() => rand([H]), n, {})(W).item();
  const after = getRngState();
  for (const schedule of ['revolve', 'uniform', 'store-all'] as const) {
    setRngState(START);
    const [value] = valueAndGrad(loss(() => rand([H]), n, { schedule, snapshots: schedule === 'store-all' ? undefined : 3 }))(W);
    t.is(value.item(), plain, schedule);
    t.deepEqual(getRngState(), after, `${schedule}: the generator is where the plain loop leaves it`);
  }
});

test('a while-loop drawing in its step replays the plain loop exactly; a condition that draws is an error', (t) => {
  const n = 14;
  const loss = (mode: 'while' | 'unrolled', cond: (h: Tensor, i: number) => boolean) => (m: Tensor) => {
    const step = (h: Tensor) => tanh(add(matmul(h, m), mul(0.2, randn([H]))));
    let h = h0;
    if (mode === 'while') h = checkpointedWhile(cond, step, h0, { snapshots: 3 });
    else for (let i = 0; cond(h, i); i++) h = step(h);
    return sum(h);
  };
  const cond = (_h: Tensor, i: number) => i < n;
  setRngState(START);
  const plain = loss('while', cond)(W).item();
  const after = getRngState();
  setRngState(START);
  const [value, g] = valueAndGrad(loss('while', cond))(W);
  t.is(value.item(), plain);
  t.deepEqual(getRngState(), after, 'the generator is where the plain loop leaves it');
  setRngState(START);
  close(t, g.data, grad(loss('unrolled', cond))(W).data, 1e-12);

  // Recomputation never asks the condition again, so its draws could not be replayed.
  const base = ledger.counts();
  const drawing = (_h: Tensor, i: number) => rand([1]).data[0] < 2 && i < n;
  t.throws(() => grad(loss('while', drawing))(W), { message: /^the loop condition at loop index 0 drew random numbers: .*draw them inside the step instead$/ });
  t.deepEqual(ledger.counts(), base, 'snapshots and tapes were freed');
});

test('createSweep replays the RNG for any hooks (compiled adjoints too): recomputed steps draw what the forward sweep drew', (t) => {
  const n = 12;
  const step = (x: Float64Array) => x.map((v) => 0.9 * v + rand([1]).data[0]);
  const hooks = {
    step,
    stepVjp: (x: Float64Array) => [step(x), (g: Float64Array) => g.map((v) => 0.9 * v)] as const,
  };
  setRngState(START);
  let plain = new Float64Array([1, 2]);
  for (let i = 0; i < n; i++) plain = step(plain);
  const after = getRngState();
  setRngState(START);
  const sweep = createSweep(hooks, new Float64Array([1, 2]), makeSchedule('revolve', n, { snapshots: 3 }), { determinismCheck: true });
  t.deepEqual(sweep.forward(), plain);
  t.deepEqual(getRngState(), after, 'forward() leaves the generator where the plain loop does');
  const adjoint = sweep.backward(new Float64Array([1, 1]));
  close(t, adjoint, [0.9 ** n, 0.9 ** n]);
  t.deepEqual(getRngState(), after, 'backward() does not move it');
  t.true(sweep.counters.advances > n - 1, 'steps were recomputed');
});

test('createSweep with determinismCheck catches hooks that recompute differently', (t) => {
  const step = (x: Float64Array) => x.map((v) => v + Math.random());
  const sweep = createSweep({ step, stepVjp: (x) => [step(x), (g) => g] }, new Float64Array(3), makeSchedule('revolve', 10, { snapshots: 2 }), { determinismCheck: true });
  sweep.forward();
  t.throws(() => sweep.backward(new Float64Array(3)), { instanceOf: DeterminismError, message: /the step at loop index \d+/ });
  t.throws(() => createSweep({ step, stepVjp: (x) => [step(x), (g) => g] }, new Float64Array(3), makeSchedule('revolve', 10), { determinismCheck: 1 as never }), {
    message: 'createSweep: options.determinismCheck must be a boolean, got number',
  });
  t.throws(() => checkpointedLoop(step, new Float64Array(3), 3, { determinismCheck: 'on' as never }), {
    message: 'checkpointedLoop: options.determinismCheck must be a boolean, got string',
  });
});

test('checkpoint(fn) with determinismCheck: Math.random is caught naming the function; the runtime RNG replays', (t) => {
  const shaky = checkpoint(function dropout(a: Tensor) {
    return mul(a, Math.random());
  }, { determinismCheck: true });
  t.throws(() => grad((a: Tensor) => sum(shaky(a)))(h0), { instanceOf: DeterminismError, message: /checkpointed function 'dropout' gave a different result/ });
  const steady = checkpoint((a: Tensor) => mul(a, rand([H])), { determinismCheck: true });
  setRngState(START);
  const g = grad((a: Tensor) => sum(steady(a)))(h0);
  setRngState(START);
  close(t, g.data, rand([H]).data, 0, 'the gradient is the mask drawn in the forward pass');
});
