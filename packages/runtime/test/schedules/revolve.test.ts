import test from 'ava';
import { optimalAdvances, repetitionNumber, replay, revolve } from '@adjoint/runtime/schedules/index';
import { advanceTable } from './reference';

const t = advanceTable(300, 20);

test('revolve over all n <= 300, s <= 20: valid, optimal t(n, s) by the recurrence, no step advanced more than r times', (t2) => {
  let schedules = 0;
  for (let n = 0; n <= 300; n++) {
    for (let s = 1; s <= 20; s++) {
      const schedule = revolve(n, s);
      // replay checks every reverse(i) sees x_{i-1}, the limits, n reverses in order n..1, and nothing left stored.
      const counts = replay(schedule, { perStep: true });
      const r = repetitionNumber(n, s);
      let most = 0;
      for (let step = 1; step <= n; step++) most = Math.max(most, counts.stepAdvances![step]);
      // The declared limits are checked too: replay only holds the schedule to its own.
      if (counts.advances !== t[n][s] || counts.reverses !== n || most > r || counts.peakRam !== schedule.limits.ram || counts.peakRam > s || counts.peakDisk !== 0) {
        t2.fail(`revolve(${n}, ${s}): ${JSON.stringify({ ...counts, stepAdvances: undefined })}, t = ${t[n][s]}, r = ${r}, most = ${most}`);
      }
      schedules++;
    }
  }
  t2.is(schedules, 301 * 20);
});

test('limits are exact: min(s, n − 1) states', (t2) => {
  t2.deepEqual(revolve(1000, 31).limits, { ram: 31, disk: 0 });
  t2.deepEqual(revolve(5, 31).limits, { ram: 4, disk: 0 });
  t2.deepEqual(revolve(1, 3).limits, { ram: 0, disk: 0 });
  t2.is(replay(revolve(5, 31)).peakRam, 4);
});

test('the ANCHORS examples, counted by running the schedule', (t2) => {
  for (const [n, s, expected] of [
    [10, 3, 15],
    [100, 10, 222],
    [1000, 31, 2439],
    [1000, 10, 3636],
    [4000, 20, 13976],
  ]) {
    t2.is(replay(revolve(n, s)).advances, expected, `t(${n}, ${s})`);
  }
});

test('large n: 1e5 steps replayed, optimal', (t2) => {
  for (const [n, s] of [
    [100000, 20],
    [100000, 3],
    [65536, 8],
  ]) {
    const counts = replay(revolve(n, s));
    t2.is(counts.advances, optimalAdvances(n, s), `t(${n}, ${s})`);
    t2.is(counts.peakRam, s);
  }
});

test('the schedule is generated lazily: the first sweep of 1e7 steps is available at once', (t2) => {
  const saves: number[] = [];
  let actions = 0;
  for (const action of revolve(1e7, 20).actions()) {
    actions++;
    if (action.type === 'save') saves.push(action.step);
    if (action.type === 'reverse') {
      t2.is(action.step, 1e7);
      break;
    }
  }
  t2.is(saves.length, 20);
  t2.true(actions < 50);
  t2.deepEqual(
    saves,
    [...saves].sort((a, b) => a - b),
  );
});

test('n = 0 and n = 1', (t2) => {
  t2.deepEqual([...revolve(0, 3).actions()], [{ type: 'end' }]);
  t2.deepEqual([...revolve(1, 3).actions()], [{ type: 'reverse', step: 1 }, { type: 'end' }]);
});

test('bad arguments', (t2) => {
  t2.throws(() => revolve(10, 0), { message: /revolve: snapshots must be an integer >= 1 \(stored states, counting the initial one\), got 0/ });
  t2.throws(() => revolve(-3, 2), { message: /revolve: steps must be an integer from 0 to \d+, got -3/ });
});
