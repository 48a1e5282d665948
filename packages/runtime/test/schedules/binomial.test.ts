import test from 'ava';
import { beta, MAX_STEPS, optimalAdvances, optimalSplit, repetitionNumber } from '@adjoint/runtime/schedules/index';
import { advanceTable } from './reference';

const t = advanceTable(300, 20);

/** C(n, k) in BigInt, the plain way: an independent check of exactness for large arguments. */
function bigBinomial(n: number, k: number): bigint {
  const small = Math.min(k, n - k);
  let c = 1n;
  for (let i = 1; i <= small; i++) c = (c * BigInt(n - small + i)) / BigInt(i);
  return c;
}

test('t(n, s) in closed form equals the recurrence for all n <= 300, s <= 20', (t2) => {
  let checked = 0;
  for (let n = 0; n <= 300; n++) {
    for (let s = 1; s <= 20; s++) {
      if (optimalAdvances(n, s) !== t[n][s]) t2.fail(`t(${n}, ${s}) = ${optimalAdvances(n, s)}, recurrence says ${t[n][s]}`);
      checked++;
    }
  }
  t2.is(checked, 301 * 20);
});

test('the ANCHORS examples of t(n, s)', (t2) => {
  t2.is(optimalAdvances(10, 3), 15);
  t2.is(optimalAdvances(100, 10), 222);
  t2.is(optimalAdvances(1000, 31), 2439);
  t2.is(optimalAdvances(1000, 10), 3636);
  t2.is(optimalAdvances(4000, 20), 13976);
});

test('repetitionNumber is the least r with beta(s, r) >= n', (t2) => {
  for (let n = 0; n <= 300; n++) {
    for (let s = 1; s <= 20; s++) {
      const r = repetitionNumber(n, s);
      if (!(beta(s, r) >= n && (r === 0 || beta(s, r - 1) < n))) t2.fail(`r(${n}, ${s}) = ${r}`);
    }
  }
  t2.is(beta(3, 2), 10);
  t2.is(beta(10, 0), 1);
  t2.is(repetitionNumber(1000, 31), 3);
});

test('optimalSplit always picks a distance that reaches t(m, s)', (t2) => {
  for (let m = 2; m <= 300; m++) {
    for (let s = 1; s <= 20; s++) {
      const j = optimalSplit(m, s);
      const cost = s === 1 ? j + t[m - j][1] : j + t[m - j][s - 1] + t[j][s];
      if (!(j >= 1 && j < m && (s === 1 ? j === m - 1 : cost === t[m][s]))) t2.fail(`split(${m}, ${s}) = ${j} costs ${cost}, optimum ${t[m][s]}`);
    }
  }
  t2.pass();
});

test('counts stay exact up to n = 1e7 and beyond (checked against BigInt)', (t2) => {
  for (const [n, s] of [
    [1e7, 20],
    [1e7, 3],
    [MAX_STEPS, 2],
    [MAX_STEPS, 1],
  ]) {
    const r = repetitionNumber(n, s);
    t2.true(beta(s, r) >= n && beta(s, r - 1) < n, `r(${n}, ${s})`);
    // t = r·n − C(s + r, s + 1), and C(s + r, s + 1) = C(s + r, r − 1).
    t2.is(BigInt(optimalAdvances(n, s)), BigInt(r) * BigInt(n) - bigBinomial(s + r, r - 1), `t(${n}, ${s})`);
  }
  t2.is(optimalAdvances(MAX_STEPS, 1), (MAX_STEPS * (MAX_STEPS - 1)) / 2);
  t2.is(optimalAdvances(1e7, 1e7), 1e7 - 1, 'with a snapshot for every state, each step is advanced once');
});

test('bad arguments are rejected with the rule that was broken', (t2) => {
  t2.throws(() => optimalAdvances(-1, 3), { message: /steps must be an integer from 0 to 67108864, got -1/ });
  t2.throws(() => optimalAdvances(MAX_STEPS + 1, 3), { message: /steps must be an integer from 0 to 67108864/ });
  t2.throws(() => optimalAdvances(10, 0), { message: /s must be an integer >= 1 \(stored states, counting the initial one\), got 0/ });
  t2.throws(() => repetitionNumber(2.5, 3), { message: /got 2.5/ });
  t2.throws(() => beta(200, 200), { message: /too large to compute exactly/ });
});
