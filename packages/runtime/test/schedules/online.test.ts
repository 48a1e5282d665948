import test from 'ava';
import { beta, online, optimalAdvances, replay } from '@adjoint/runtime/schedules/index';
import { advanceTable, collect } from './reference';

const t = advanceTable(301, 20);

test('online over all n <= 300, s <= 20: valid with at most s states, never below the lower bound t(n + 1, s)', (t2) => {
  let runs = 0;
  for (let s = 1; s <= 20; s++) {
    const schedule = online(s);
    for (let n = 0; n <= 300; n++) {
      const counts = replay(schedule, { steps: n });
      if (counts.peakRam > s || counts.reverses !== n || counts.advances < t[n + 1][s]) t2.fail(`online(${s}) at n = ${n}: ${JSON.stringify(counts)}`);
      runs++;
    }
  }
  t2.is(runs, 20 * 301);
});

test('online is optimal for n <= C(s + 2, 2), s <= 20: exactly the lower bound t(n + 1, s) advances', (t2) => {
  let runs = 0;
  for (let s = 1; s <= 20; s++) {
    for (let n = 0; n <= beta(2, s); n++) {
      const advances = replay(online(s), { steps: n }).advances;
      if (advances !== t[n + 1][s]) t2.fail(`online(${s}) at n = ${n}: ${advances} advances, t(n + 1, s) = ${t[n + 1][s]}`);
      runs++;
    }
  }
  t2.is(runs, 1790);
});

test('why the schedule is told whether the loop continues past x_m before it decides there (exhaustive, s = 2..4)', (t2) => {
  // Stopping at n with stored set D costs n forward advances plus the optimal reversal of the
  // stretches between the states of D below n, the i-th with s − i slots.
  const cost = (stored: number[], n: number, s: number) => {
    const below = stored.filter((step) => step < n);
    let total = n;
    below.forEach((step, i) => (total += t[(below[i + 1] ?? n) - step][s - i]));
    return total;
  };
  /** The stored sets possible after deciding at x_m: each keeps x_0 and at most s states, from those kept at x_{m-1} and x_m. */
  const decisions = (sets: number[][], m: number, s: number) => {
    const next = new Map<string, number[]>();
    for (const stored of sets) {
      const candidates = [...stored.slice(1), m];
      for (let mask = 0; mask < 1 << candidates.length; mask++) {
        const chosen = [0, ...candidates.filter((_, i) => mask & (1 << i))];
        if (chosen.length <= s) next.set(chosen.join(), chosen);
      }
    }
    return [...next.values()];
  };
  const optimalAt = (sets: number[][], n: number, s: number) => sets.filter((stored) => cost(stored, n, s) === t[n + 1][s]);
  for (let s = 2; s <= 4; s++) {
    // Told first, a schedule at x_n reverses with the set it kept at x_{n-1}: some placement serves every n <= C(s + 2, 2).
    let told: number[][] = [[0]];
    for (let m = 1; m <= beta(2, s); m++) told = decisions(optimalAt(told, m, s), m, s);
    t2.true(told.length > 0, `told first, s = ${s}`);
    // Deciding at x_m before learning whether m = n, the set kept at x_n must serve the stop at n: none does by n = s + 2.
    let untold: number[][] = [[0]];
    for (let m = 1; m <= s + 2; m++) {
      untold = optimalAt(decisions(untold, m, s), m, s);
      if (m === s + 1) t2.true(untold.length > 0, `s = ${s}`);
    }
    t2.is(untold.length, 0, `untold, s = ${s}`);
  }
});

test('online keeps working far beyond C(s + 2, 2) with at most s states, within 1.5 x the lower bound', (t2) => {
  for (const s of [1, 2, 3, 5, 10]) {
    const schedule = online(s);
    for (let n = 2; n <= 20 * beta(2, s) + 100; n += s <= 3 ? 1 : 7) {
      const counts = replay(schedule, { steps: n });
      const bound = optimalAdvances(n + 1, s);
      if (counts.peakRam > s || counts.advances > 1.5 * bound) t2.fail(`online(${s}) at n = ${n}: ${counts.advances} advances, bound ${bound}, peak ${counts.peakRam}`);
    }
  }
  // The worst ratio, just past C(s + 2, 2), grows with s toward 1.5 (online.ts): s = 100 there.
  for (const [n, s] of [
    [100000, 20],
    [20000, 3],
    [beta(2, 100) + 100, 100],
  ]) {
    const counts = replay(online(s), { steps: n });
    t2.true(counts.peakRam <= s);
    t2.true(counts.advances <= 1.5 * optimalAdvances(n + 1, s), `n = ${n}, s = ${s}: ${counts.advances}`);
  }
});

test('n = 0 and n = 1: told at x_0 whether the loop runs, the schedule stores nothing it does not need', (t2) => {
  t2.deepEqual(collect(online(3), 0), [{ type: 'end' }]);
  t2.deepEqual(collect(online(3), 1), [
    { type: 'save', step: 0, tier: 'ram' },
    { type: 'advance', from: 0, to: 1 },
    { type: 'restore', step: 0, tier: 'ram' },
    { type: 'reverse', step: 1 },
    { type: 'drop', step: 0, tier: 'ram' },
    { type: 'end' },
  ]);
});

test('bad arguments', (t2) => {
  t2.throws(() => online(0), { message: /online: snapshots must be an integer >= 1/ });
  t2.throws(() => online(3).actions().next(), { message: 'online: the driver must tell whether the loop continues past x_0 (a boolean), got undefined' });
});
