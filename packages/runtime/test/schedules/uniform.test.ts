import test from 'ava';
import { replay, storeAll, uniform, uniformPeak } from '@adjoint/runtime/schedules/index';

test('uniform over all n <= 300 and k <= 20 (and the default k): valid, every step reversed, advances n − 1 + (c − 1)(k − 1)', (t) => {
  let schedules = 0;
  for (let n = 0; n <= 300; n++) {
    for (let k = 0; k <= 20; k++) {
      const schedule = k === 0 ? uniform(n) : uniform(n, k);
      const segment = k === 0 ? Math.max(1, Math.ceil(Math.sqrt(n))) : k;
      const counts = replay(schedule);
      const segments = Math.ceil(n / segment);
      const expected = n === 0 ? 0 : n - 1 + (segments - 1) * (segment - 1);
      if (counts.advances !== expected || counts.reverses !== n || counts.peakRam !== schedule.limits.ram) {
        t.fail(`uniform(${n}, ${segment}): advances ${counts.advances} (want ${expected}), peak ${counts.peakRam}, limits ${schedule.limits.ram}`);
      }
      if (n > 0 && schedule.limits.ram > segments + segment - 2) t.fail(`uniform(${n}, ${segment}) holds more than c + k − 2 states`);
      schedules++;
    }
  }
  t.is(schedules, 301 * 21);
});

test('uniform stores ceil(n/k) checkpoints in its forward sweep, the leftover segment included', (t) => {
  const saves: number[] = [];
  for (const action of uniform(10, 4).actions()) {
    if (action.type === 'reverse') break;
    if (action.type === 'save') saves.push(action.step);
  }
  // Checkpoints 0 and 4, then the leftover segment 8..10 is stored as the sweep passes: x_8 (x_9 is current at the turn).
  t.deepEqual(saves, [0, 4, 8]);
  t.is(uniformPeak(10, 4), 4);
  t.is(replay(uniform(10, 4)).advances, 9 + 2 * 3);
});

test('store-all: no recomputation, n − 1 states', (t) => {
  for (let n = 0; n <= 300; n++) {
    const counts = replay(storeAll(n));
    if (counts.advances !== Math.max(n - 1, 0) || counts.peakRam !== Math.max(n - 1, 0) || counts.reverses !== n) t.fail(`storeAll(${n})`);
  }
  t.like(replay(storeAll(100000)), { advances: 99999, peakRam: 99999 });
});

test('large n: uniform at 1e5 steps', (t) => {
  const counts = replay(uniform(100000));
  // k = ceil(sqrt(1e5)) = 317, c = ceil(1e5 / 317) = 316 segments.
  t.is(counts.advances, 99999 + (316 - 1) * (317 - 1));
  t.is(counts.peakRam, uniformPeak(100000, 317));
});

test('bad arguments', (t) => {
  t.throws(() => uniform(10, 0), { message: /uniform: k must be an integer >= 1 \(steps between stored states\), got 0/ });
  t.throws(() => storeAll(1.5), { message: /storeAll: steps must be an integer/ });
});
