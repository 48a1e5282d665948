import test from 'ava';
import {
  computeCheckpointPositions,
  defaultSnapshots,
  estimateCheckpointSavings,
  getMemorySavings,
  optimalAdvances,
  replay,
  revolve,
  shouldCheckpoint,
} from '@adjoint/runtime/schedules/index';

test('defaultSnapshots is the smallest s with n <= C(s + 2, 2) (repetition number at most 2)', (t) => {
  for (let n = 0; n <= 5000; n++) {
    const s = defaultSnapshots(n);
    const capacity = (k: number) => ((k + 1) * (k + 2)) / 2;
    if (!(s >= 1 && capacity(s) >= n && (s === 1 || capacity(s - 1) < n))) t.fail(`defaultSnapshots(${n}) = ${s}`);
  }
  t.is(defaultSnapshots(0), 1);
  t.is(defaultSnapshots(4), 2);
  t.is(defaultSnapshots(1000), 44);
});

/** The states revolve stores before its first reverse, seen by replaying it. */
function firstSweepSaves(n: number, s: number): number[] {
  const saves: number[] = [];
  let turned = false;
  replay(revolve(n, s), {
    onAction(action) {
      if (action.type === 'reverse') turned = true;
      if (!turned && action.type === 'save') saves.push(action.step);
    },
  });
  return saves;
}

test('computeCheckpointPositions gives the states revolve stores in its first forward sweep', (t) => {
  // 10 steps, 3 snapshots: stretches of 4, 3 and 3 steps, reversed with 3, 2 and 1 slots (t = 15).
  t.deepEqual(computeCheckpointPositions(10, 3), [0, 4, 7]);
  t.deepEqual(computeCheckpointPositions(1, 3), []);
  t.deepEqual(computeCheckpointPositions(0, 3), []);
  for (const [n, s] of [
    [1000, 31],
    [4000, 20],
    [57, 5],
  ]) {
    const positions = computeCheckpointPositions(n, s);
    t.deepEqual(positions, firstSweepSaves(n, s));
    t.is(positions.length, s);
    t.is(positions[0], 0);
    t.true(positions.every((p, i) => i === 0 || p > positions[i - 1]));
  }
});

test('getMemorySavings: states kept against store-all, and evaluations per step from t(n, s)', (t) => {
  const stats = getMemorySavings(1000, 31);
  t.deepEqual(stats, {
    withoutCheckpointing: 999,
    withCheckpointing: 31,
    savingsPercent: 100 * (1 - 31 / 999),
    savingsRatio: 1 - 31 / 999,
    numCheckpoints: 31,
    recomputationFactor: 3.439,
  });
  t.is(stats.savingsPercent.toFixed(1), '96.9');
  for (const [n, s] of [
    [100, 10],
    [4000, 20],
    [7, 30],
  ]) {
    const counts = replay(revolve(n, s));
    const computed = getMemorySavings(n, s);
    t.is(computed.recomputationFactor, (n + counts.advances) / n);
    t.is(computed.withCheckpointing, counts.peakRam);
  }
  t.like(getMemorySavings(0, 3), { withoutCheckpointing: 0, withCheckpointing: 0, savingsPercent: 0, recomputationFactor: 1 });
  t.is(getMemorySavings(1000).numCheckpoints, 44);
});

test('estimateCheckpointSavings uses the default snapshot count', (t) => {
  const stats = estimateCheckpointSavings(1000);
  t.is(stats.numCheckpoints, 44);
  t.is(stats.recomputationFactor, (1000 + optimalAdvances(1000, 44)) / 1000);
  t.is(stats.recomputationFactor, 2.954);
  t.deepEqual(estimateCheckpointSavings(5000), getMemorySavings(5000, defaultSnapshots(5000)));
});

test('shouldCheckpoint compares the memory saved by the default schedule with the threshold', (t) => {
  t.true(shouldCheckpoint(1000));
  t.false(shouldCheckpoint(2), 'one state either way');
  t.true(shouldCheckpoint(10), '3 states instead of 9 saves two thirds');
  t.false(shouldCheckpoint(10, 0.7));
  t.true(shouldCheckpoint(10, 0));
  t.throws(() => shouldCheckpoint(10, 1.5), { message: /threshold must be a fraction from 0 to 1 \(memory saved\), got 1.5/ });
  t.throws(() => shouldCheckpoint(-1), { message: /steps must be an integer/ });
});

test('bad arguments', (t) => {
  t.throws(() => computeCheckpointPositions(10, 0), { message: /computeCheckpointPositions: numCheckpoints must be an integer >= 1/ });
  t.throws(() => getMemorySavings(10, 0), { message: /getMemorySavings: numCheckpoints must be an integer >= 1/ });
  t.throws(() => defaultSnapshots(1.5), { message: /defaultSnapshots: steps must be an integer/ });
});
