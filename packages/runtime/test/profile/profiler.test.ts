/**
 * CheckpointProfiler reports what the engine did, counted as it happened: checkpoints,
 * advances (= the schedule's), taped units, peak bytes in snapshots and tapes (ledger),
 * and what store-all would hold (each step's tape bytes summed) — which the test checks
 * against an independent measurement: the peak of the same loss unrolled on one tape.
 */
import test from 'ava';
import { grad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { add, matmul, sum, square, tanh, take } from '@adjoint/runtime/ops/index';
import { CheckpointProfiler, formatCheckpointReport } from '@adjoint/runtime/profile/index';
import { checkpoint } from '@adjoint/runtime/remat/index';
import { makeSchedule, optimalAdvances, replay } from '@adjoint/runtime/schedules/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { seeded } from '../ops/helpers';

const H = 16;
const n = 40;
const s = 5;
const W = seeded([H, H], 1, -0.4, 0.4);
const xs = seeded([n, H], 2);
const h0 = seeded([H], 3);
const step = (m: Tensor) => (h: Tensor, i: number) => tanh(add(matmul(h, m), take(xs, i)));

function unrolledTapePeak(): number {
  const window = ledger.openWindow(['tapes']);
  const base = ledger.current('tapes');
  try {
    grad((m: Tensor) => {
      let h = h0;
      for (let i = 0; i < n; i++) h = step(m)(h, i);
      return sum(square(h));
    })(W);
    return window.peak('tapes') - base;
  } finally {
    window.close();
  }
}

test.serial('a revolve gradient: counts from the engine, store-all bytes equal to the unrolled tape', (t) => {
  const profiler = new CheckpointProfiler().start();
  grad((m: Tensor) => sum(square(checkpointedLoop(step(m), h0, n, { schedule: 'revolve', snapshots: s }))))(W);
  const report = profiler.stop();
  const plan = replay(makeSchedule('revolve', n, { snapshots: s }));
  t.is(report.advances, optimalAdvances(n, s));
  t.is(report.snapshotsSaved, plan.saves.ram);
  t.is(report.checkpoints, plan.saves.ram);
  t.is(report.tapedUnits, n);
  // A stored state is h: 8H bytes (the RNG state travels beside it, outside the snapshot).
  t.is(report.peakSnapshotBytes, plan.peakRam * 8 * H);
  // Each step tapes matmul, add and tanh (take reads a constant): 3 vectors of H numbers.
  t.is(report.storeAllBytes, n * 3 * 8 * H);
  // Unrolled, the tape also holds square(h_n) and the sum.
  t.is(unrolledTapePeak(), report.storeAllBytes + 8 * H + 8);
  t.true(report.peakBytes < report.storeAllBytes / 3, `peak ${report.peakBytes} B vs store-all ${report.storeAllBytes} B`);
  t.is(report.memorySaved, report.storeAllBytes - report.peakBytes);
  t.true(report.peakBytes >= report.peakSnapshotBytes && report.peakBytes >= report.peakTapeBytes);
  t.deepEqual(profiler.stop(), report, 'stop() again returns the same report');
  t.is(formatCheckpointReport(report)[0], `checkpoints: ${plan.saves.ram} (${plan.saves.ram} stored states, 0 checkpointed calls)`);
});

test.serial('the static API (the seed\'s): startTracking, checkpointCount, memorySaved, stopTracking', (t) => {
  CheckpointProfiler.startTracking();
  t.true(CheckpointProfiler.isTracking());
  const layer = checkpoint((h: Tensor, m: Tensor) => tanh(matmul(h, m)));
  grad((m: Tensor) => sum(layer(layer(h0, m), m)))(W);
  t.is(CheckpointProfiler.checkpointCount(), 2);
  const live = CheckpointProfiler.report();
  t.is(live.recomputations, 2);
  t.is(live.tapedUnits, 2);
  t.is(live.storeAllBytes, 2 * 2 * 8 * H, 'each recomputation taped matmul and tanh');
  const final = CheckpointProfiler.stopTracking();
  t.false(CheckpointProfiler.isTracking());
  t.is(CheckpointProfiler.memorySaved(), final.memorySaved);
  t.is(final.checkpointedCalls, 2);
});

test.serial('nothing is counted while no profiler runs, and misuse is explained', (t) => {
  const profiler = new CheckpointProfiler();
  t.throws(() => profiler.report(), { message: 'CheckpointProfiler.report(): the profiler never started' });
  profiler.start();
  t.throws(() => profiler.start(), { message: 'CheckpointProfiler.start(): already running; stop() it first' });
  const first = profiler.stop();
  grad((m: Tensor) => sum(checkpointedLoop(step(m), h0, 10, { snapshots: 2 })))(W);
  t.deepEqual(profiler.report(), first);
  t.is(ledger.openWindowCount(), 0, 'no ledger window left open');
});
