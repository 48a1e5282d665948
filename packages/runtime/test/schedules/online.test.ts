import test from 'ava';
import { beta, online, optimalAdvances, replay } from '@adjoint/runtime/schedules/index';
import { advanceTable, collect } from './reference';

const t = advanceTable(301, 20);

/** Whether the schedule gave up a stored state at x_n to store x_n (the one thing not knowing n costs it). */
function gaveUpAtStop(s: number, n: number): boolean {
  const actions = collect(online(s), n);
  const stop = actions.findIndex((action) => action.type === 'advance' && action.from === n);
  return stop >= 2 && actions[stop - 1].type === 'save' && actions[stop - 2].type === 'drop';
}

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

test('online is optimal for n <= C(s + 2, 2): exactly t(n + 1, s) advances, one more only when x_n displaced a stored state', (t2) => {
  let displaced = 0;
  let runs = 0;
  for (let s = 1; s <= 20; s++) {
    for (let n = 0; n <= beta(2, s); n++) {
      const extra = gaveUpAtStop(s, n) ? 1 : 0;
      const advances = replay(online(s), { steps: n }).advances;
      if (advances !== t[n + 1][s] + extra) t2.fail(`online(${s}) at n = ${n}: ${advances} advances, t(n + 1, s) = ${t[n + 1][s]}, displaced ${extra}`);
      displaced += extra;
      runs++;
    }
  }
  // Some +1 is unavoidable (next test); this placement pays it at most stops past the store-all phase.
  t2.true(displaced > 0, `${displaced} of ${runs}`);
});

test('no online schedule can reach t(n + 1, s) at every n <= s + 2 in this protocol (exhaustive, s = 2..4)', (t2) => {
  // Stopping at n with stored set D costs n forward advances plus the optimal reversal of the
  // stretches between the states of D below n, the i-th with s − i slots.
  const cost = (stored: number[], n: number, s: number) => {
    const below = stored.filter((step) => step < n);
    let total = n;
    below.forEach((step, i) => (total += t[(below[i + 1] ?? n) - step][s - i]));
    return total;
  };
  for (let s = 2; s <= 4; s++) {
    // Stored sets reachable with every stop so far optimal; at x_m the schedule may drop states and store x_m.
    let reachable: number[][] = [[0]];
    for (let m = 1; m <= s + 2; m++) {
      const next = new Map<string, number[]>();
      for (const stored of reachable) {
        const candidates = [...stored.slice(1), m];
        for (let mask = 0; mask < 1 << candidates.length; mask++) {
          const chosen = [0, ...candidates.filter((_, i) => mask & (1 << i))];
          if (chosen.length <= s && cost(chosen, m, s) === t[m + 1][s]) next.set(chosen.join(), chosen);
        }
      }
      reachable = [...next.values()];
      // Up to s + 1 steps the stored sets x_0..x_{s-1} still serve every stop.
      if (m === s + 1) t2.true(reachable.length > 0, `s = ${s}`);
    }
    t2.is(reachable.length, 0, `s = ${s}`);
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
  for (const [n, s] of [
    [100000, 20],
    [20000, 3],
  ]) {
    const counts = replay(online(s), { steps: n });
    t2.true(counts.peakRam <= s);
    t2.true(counts.advances <= 1.5 * optimalAdvances(n + 1, s), `n = ${n}, s = ${s}: ${counts.advances}`);
  }
});

test('n = 0: the loop never runs', (t2) => {
  t2.deepEqual(collect(online(3), 0), [
    { type: 'save', step: 0, tier: 'ram' },
    { type: 'advance', from: 0, to: 1 },
    { type: 'drop', step: 0, tier: 'ram' },
    { type: 'end' },
  ]);
});

test('bad arguments', (t2) => {
  t2.throws(() => online(0), { message: /online: snapshots must be an integer >= 1/ });
});
