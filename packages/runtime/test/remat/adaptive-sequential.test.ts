/**
 * adaptiveCheckpoint measures what a call keeps (exact tape bytes) and checkpoints only
 * above the threshold; checkpointSequential checkpoints all segments but the last, runs
 * every function, and gives the plain gradient.
 */
import test from 'ava';
import { grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { exp, matmul, mul, sin, sum, tanh } from '@adjoint/runtime/ops/index';
import { adaptiveCheckpoint, checkpointSequential } from '@adjoint/runtime/remat/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { close, seeded } from '../ops/helpers';

const N = 500;
const x = seeded([N], 1);

function layer(calls: { n: number }) {
  return (a: Tensor) => {
    calls.n++;
    return exp(tanh(sin(a))); // keeps 3·8N bytes when taped
  };
}

for (const [threshold, checkpointed] of [[2 * 8 * N, true], [3 * 8 * N, false]] as const) {
  test(`adaptiveCheckpoint with threshold ${threshold} B: ${checkpointed ? 'checkpoints' : 'tapes as usual'} a call keeping ${3 * 8 * N} B`, (t) => {
    const calls = { n: 0 };
    const f = adaptiveCheckpoint(layer(calls), threshold);
    const base = ledger.current('tapes');
    let held = 0;
    const loss = (a: Tensor) => {
      const y = f(f(a)); // two calls with one shape: one measurement
      held = ledger.current('tapes') - base;
      return sum(y);
    };
    const [value, g] = valueAndGrad(loss)(x);
    const [want, gWant] = valueAndGrad((a: Tensor) => sum(layer({ n: 0 })(layer({ n: 0 })(a))))(x);
    t.is(value.item(), want.item());
    close(t, g.data, gWant.data, 1e-15);
    t.is(f.keptBytes(x), 3 * 8 * N, 'measured exactly');
    t.is(adaptiveCheckpoint(layer({ n: 0 }), 0).keptBytes(x), 3 * 8 * N, 'also when first asked outside differentiation');
    // The probe runs once (per shape); then each call runs once, plus once more in the backward pass if checkpointed.
    t.is(calls.n, 1 + (checkpointed ? 4 : 2));
    t.is(held, checkpointed ? 2 * 8 * N : 6 * 8 * N);
    t.is(ledger.current('tapes'), base);
  });
}

test('adaptiveCheckpoint outside differentiation calls fn once and measures nothing', (t) => {
  const calls = { n: 0 };
  adaptiveCheckpoint(layer(calls), 0)(x);
  t.is(calls.n, 1);
  t.throws(() => adaptiveCheckpoint(layer(calls), -1), { message: 'adaptiveCheckpoint: thresholdBytes must be a number of bytes >= 0, got -1' });
});

test('checkpointSequential: 7 functions in 3 segments (3, 2, 2), the last one not checkpointed', (t) => {
  const calls = Array.from({ length: 7 }, () => 0);
  const W = seeded([8, 8], 2, -0.4, 0.4);
  const fns = calls.map((_, k) => (h: Tensor) => {
    calls[k]++;
    return tanh(mul(matmul(h, W), 1 + k / 10));
  });
  const h0 = seeded([8], 3);
  const base = ledger.current('tapes');
  let held = 0;
  const g = grad((h: Tensor) => {
    const y = checkpointSequential<Tensor>(fns, 3, h);
    held = ledger.current('tapes') - base;
    return sum(y);
  })(h0);
  t.deepEqual(calls, [2, 2, 2, 2, 2, 1, 1]);
  let plainHeld = 0;
  const want = grad((h: Tensor) => {
    const y = fns.reduce((acc, f) => f(acc), h);
    plainHeld = ledger.current('tapes') - base;
    return sum(y);
  })(h0);
  close(t, g.data, want.data, 1e-14);
  // Each function tapes matmul, mul and tanh (3·64 B). Checkpointed: the two segment outputs and the last segment's 2 functions.
  t.is(plainHeld, 7 * 3 * 64);
  t.is(held, 2 * 64 + 2 * 3 * 64);
});

test('checkpointSequential rejects a bad segment count and passes an empty chain through', (t) => {
  const f = (h: Tensor) => h;
  t.throws(() => checkpointSequential([f, f], 3, x), { message: 'checkpointSequential: segments must be an integer from 1 to the number of functions (2), got 3' });
  t.throws(() => checkpointSequential([f, 'g' as never], 1, x), { message: 'checkpointSequential: fns[1] must be a function, got string' });
  t.is(checkpointSequential([], 1, x), x);
});
