/**
 * The arithmetic of binomial checkpointing (Griewank 1992; Griewank & Walther, TOMS 2000).
 *
 * With s snapshots (the initial state's counted) and no step advanced more than r times,
 * at most beta(s, r) = C(s + r, s) steps can be reversed. The repetition number r(n, s) is
 * the least r with beta(s, r) >= n, and the fewest plain advances any schedule needs is
 * t(n, s) = r·n − C(s + r, s + 1), the solution of
 *   t(1, s) = 0,  t(n, 1) = n(n − 1)/2,  t(n, s) = min_{1<=j<n} [ j + t(n − j, s − 1) + t(j, s) ].
 *
 * Everything here is exact integer arithmetic in doubles. Snapshots beyond n cannot help,
 * so s is clamped to n, which keeps every product below 2^53 for n <= MAX_STEPS.
 */
import { checkCount, checkSteps } from './checks';

const SNAPSHOTS = 'stored states, counting the initial one';

/** beta(s, r) = C(s + r, s): how many steps s snapshots reverse when each step is advanced at most r times. */
export function beta(s: number, r: number): number {
  checkCount('beta', 's', s, 0, 'snapshots');
  checkCount('beta', 'r', r, 0, 'repetitions');
  return binomial(s + r, Math.min(s, r));
}

/** r(n, s): the least r with beta(s, r) >= n (0 for n <= 1). */
export function repetitionNumber(n: number, s: number): number {
  checkSteps('repetitionNumber', n);
  checkCount('repetitionNumber', 's', s, 1, SNAPSHOTS);
  return repetitions(n, Math.min(s, n));
}

/** t(n, s) = r·n − C(s + r, s + 1): the fewest plain advances that reverse n steps with s snapshots. */
export function optimalAdvances(n: number, s: number): number {
  checkSteps('optimalAdvances', n);
  checkCount('optimalAdvances', 's', s, 1, SNAPSHOTS);
  return advancesFor(n, Math.min(s, n));
}

/**
 * How far to advance before the next snapshot when m >= 2 steps remain to be reversed from a
 * stored state with s >= 1 slots (its own included). The optimal distances j (those reaching
 * t(m, s)) form the interval
 *   max(1, beta(s, r−2), m − beta(s−1, r)) <= j <= min(m − 1, beta(s, r−1), m − beta(s−1, r−1)),
 * r = r(m, s): the left part then needs repetition r − 1 with s slots, the right part
 * repetition r with s − 1. We take the largest j, which keeps the right part (and so the
 * stack of snapshots above the current one) short. With s = 1 it gives m − 1: no snapshot.
 */
export function optimalSplit(m: number, s: number): number {
  const b = Math.min(s, m);
  const r = repetitions(m, b);
  return Math.min(m - 1, binomial(b + r - 1, r - 1), m - binomial(b + r - 2, r - 1));
}

/** C(n, k) for 0 <= k <= n (0 outside), exact; throws if it would not be. */
function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const small = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= small; i++) {
    const factor = n - small + i;
    if (c > Number.MAX_SAFE_INTEGER / factor) throw new RangeError(`C(${n}, ${k}) is too large to compute exactly`);
    c = (c * factor) / i; // C(n - small + i, i): an integer at every i
  }
  return c;
}

function repetitions(n: number, s: number): number {
  if (s === 1) return Math.max(n - 1, 0); // beta(1, r) = r + 1; also spares O(n) iterations
  let r = 0;
  for (let b = 1; b < n; ) {
    r++;
    b = (b * (s + r)) / r; // beta(s, r) from beta(s, r - 1)
  }
  return r;
}

function advancesFor(n: number, s: number): number {
  if (n <= 1) return 0;
  const r = repetitions(n, s);
  return r * n - binomial(s + r, s + 1);
}
