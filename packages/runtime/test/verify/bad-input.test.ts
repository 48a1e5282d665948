/**
 * Bad input under differentiation (test/autodiff covers non-numeric arguments and NaN
 * through plain operations): a step that changes the state's shape, snapshots >= steps,
 * and NaN through checkpointed loops and functions.
 */
import test from 'ava';
import { grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { add, concat, matmul, mul, sum, tanh } from '@adjoint/runtime/ops/index';
import { CheckpointProfiler } from '@adjoint/runtime/profile/index';
import { checkpoint } from '@adjoint/runtime/remat/index';
import { makeSchedule, replay } from '@adjoint/runtime/schedules/index';
import { Tensor, tensor } from '@adjoint/runtime/tensor/index';
import { StructureError } from '@adjoint/runtime/tree/structure';
import { close, seeded } from '../ops/helpers';

const W = seeded([4, 4], 1, -0.5, 0.5);
const h0 = seeded([4], 2);
const rnn = (m: Tensor) => (h: Tensor) => tanh(add(matmul(h, m), 0.1));

test('a step that changes the state\'s shape under grad: error naming the loop index and both shapes; nothing left held', (t) => {
  const base = ledger.counts();
  const grows = (m: Tensor) => (h: Tensor, i: number) => (i === 5 ? concat([h, h]) : rnn(m)(h));
  const e = t.throws(() => grad((m: Tensor) => sum(checkpointedLoop(grows(m), h0, 8, { snapshots: 3 })))(W), { instanceOf: StructureError });
  t.regex(e!.message, /the step at loop index 5 returned a state whose structure differs from the initial state: .*expected Tensor<float64>\[4\], got Tensor<float64>\[8\]/);
  t.deepEqual(ledger.counts(), base);
});

test('snapshots >= steps degrades to store-all: the same step evaluations, states held and gradient', (t) => {
  const n = 10;
  t.deepEqual(replay(makeSchedule('revolve', n, { snapshots: 50 })).advances, replay(makeSchedule('store-all', n)).advances);
  const run = (options: { schedule: 'revolve'; snapshots: number } | { schedule: 'store-all' }) => {
    const profiler = new CheckpointProfiler().start();
    const g = grad((m: Tensor) => sum(checkpointedLoop(rnn(m), h0, n, options)))(W);
    return { g, report: profiler.stop() };
  };
  const big = run({ schedule: 'revolve', snapshots: 50 });
  const all = run({ schedule: 'store-all' });
  t.is(big.report.advances, n - 1);
  t.is(big.report.advances, all.report.advances);
  t.is(big.report.peakSnapshotBytes, all.report.peakSnapshotBytes);
  t.deepEqual([...big.g.data], [...all.g.data]);
});

test('NaN inputs propagate through checkpointed loops and functions without throwing', (t) => {
  const x = tensor([0.5, NaN, -0.2, 0.1]);
  const [value, g] = valueAndGrad((h: Tensor) => sum(checkpointedLoop((s: Tensor) => tanh(mul(s, 0.9)), h, 12, { snapshots: 3 })))(x);
  t.true(Number.isNaN(value.item()));
  t.true(Number.isNaN(g.data[1]));
  t.false(Number.isNaN(g.data[0]), 'the loop is elementwise: other entries keep finite gradients');
  const gc = grad((h: Tensor) => sum(checkpoint((s: Tensor) => tanh(s), { determinismCheck: true })(h)))(x);
  t.true(Number.isNaN(gc.data[1]), 'NaN recomputes to the same bits: the determinism check passes');
  close(t, [gc.data[0]], [1 - Math.tanh(0.5) ** 2]);
});
