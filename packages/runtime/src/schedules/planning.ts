/**
 * Planning helpers: how many snapshots to use, where they go, and what they save. Memory is
 * counted in stored states, time in step evaluations; every number comes from the binomial
 * theory (binomial.ts) or from the revolve schedule itself.
 */
import { beta, optimalAdvances } from './binomial';
import { checkCount, checkSteps } from './checks';
import { binomialPeak, revolve } from './revolve';

export interface MemorySavings {
  /** States store-all keeps (x_0..x_{n-2}; x_{n-1} is current at the turn). */
  withoutCheckpointing: number;
  /** Most states binomial checkpointing keeps at once: min(s, n − 1). */
  withCheckpointing: number;
  /** 100 · savingsRatio. */
  savingsPercent: number;
  /** Fraction of store-all's states not kept: 1 − with/without (0 when store-all keeps none). */
  savingsRatio: number;
  /** Snapshots actually used (the same as withCheckpointing). */
  numCheckpoints: number;
  /** Step evaluations per step, the taped one included: (n + t(n, s)) / n (1 for n = 0). */
  recomputationFactor: number;
}

/**
 * The smallest s whose repetition number is at most 2, i.e. n <= C(s + 2, 2): no step is
 * evaluated more than three times (two plain advances and the taped one), for about
 * sqrt(2n) stored states. It is also the largest n the online schedule handles optimally
 * with s snapshots, so the one default suits loops of known and unknown length.
 * (n = 1000 gives 44 states and 2.95 evaluations per step on average.)
 */
export function defaultSnapshots(steps: number): number {
  checkSteps('defaultSnapshots', steps);
  let s = Math.max(1, Math.floor(Math.sqrt(2 * steps)) - 2);
  while (beta(s, 2) < steps) s++;
  return s;
}

/** The states revolve(steps, numCheckpoints) stores in its first forward sweep, in order (x_0 first). */
export function computeCheckpointPositions(steps: number, numCheckpoints: number): number[] {
  checkSteps('computeCheckpointPositions', steps);
  checkCount('computeCheckpointPositions', 'numCheckpoints', numCheckpoints, 1, 'stored states, counting the initial one');
  const positions: number[] = [];
  for (const action of revolve(steps, numCheckpoints).actions()) {
    if (action.type === 'reverse') break;
    if (action.type === 'save') positions.push(action.step);
  }
  return positions;
}

/** Memory and time of binomial checkpointing with numCheckpoints snapshots against store-all. */
export function getMemorySavings(steps: number, numCheckpoints?: number): MemorySavings {
  checkSteps('getMemorySavings', steps);
  const s = numCheckpoints ?? defaultSnapshots(steps);
  checkCount('getMemorySavings', 'numCheckpoints', s, 1, 'stored states, counting the initial one');
  const without = Math.max(steps - 1, 0);
  const kept = binomialPeak(steps, s);
  const savingsRatio = without === 0 ? 0 : 1 - kept / without;
  return {
    withoutCheckpointing: without,
    withCheckpointing: kept,
    savingsPercent: 100 * savingsRatio,
    savingsRatio,
    numCheckpoints: kept,
    recomputationFactor: steps === 0 ? 1 : (steps + optimalAdvances(steps, s)) / steps,
  };
}

/** getMemorySavings with defaultSnapshots(steps). */
export function estimateCheckpointSavings(steps: number): MemorySavings {
  return getMemorySavings(steps, defaultSnapshots(steps));
}

/**
 * True when checkpointing with defaultSnapshots(steps) keeps at least `threshold` (a fraction
 * from 0 to 1) fewer states than store-all. It weighs memory only; the price in time is
 * bounded by the default's rule: at most two extra plain evaluations per step.
 */
export function shouldCheckpoint(steps: number, threshold = 0.5): boolean {
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`shouldCheckpoint: threshold must be a fraction from 0 to 1 (memory saved), got ${String(threshold)}`);
  }
  return estimateCheckpointSavings(steps).savingsRatio >= threshold;
}
