/**
 * Binomial checkpointing (Griewank–Walther "revolve"): the schedule with the fewest plain
 * advances, t(n, s), for n steps and s snapshots (the initial state's counted).
 *
 * It is the recursion behind t(n, s) = j + t(n − j, s − 1) + t(j, s), unrolled into a loop
 * over a stack of snapshots: from the top snapshot x_p, with m steps left to reverse above it
 * and b slots left (its own included), advance j = optimalSplit(m, b) steps and push x_{p+j};
 * when everything above x_p is reversed, pop it. A snapshot right below the step being
 * reversed is never pushed (the state is current anyway), so a stack never holds more than
 * min(s, n − 1) states, and the generator keeps O(s) memory whatever n is.
 */
import type { Action, Schedule, Tier } from './actions';
import { optimalSplit } from './binomial';
import { checkCount, checkSteps } from './checks';

/** Which tier holds the snapshot at a stack depth (0 = the bottom one). */
type SlotTier = (depth: number) => Tier;

export const allInRam: SlotTier = () => 'ram';

export function revolve(steps: number, snapshots: number): Schedule {
  checkSteps('revolve', steps);
  checkCount('revolve', 'snapshots', snapshots, 1, 'stored states, counting the initial one');
  return binomialSchedule('revolve', steps, snapshots, allInRam, { ram: binomialPeak(steps, snapshots), disk: 0 });
}

/** Most states revolve(steps, snapshots) stores at once. */
export function binomialPeak(steps: number, snapshots: number): number {
  return Math.min(snapshots, Math.max(steps - 1, 0));
}

/** The revolve schedule with each stack depth's snapshots in the tier `tierAt` gives it. */
export function binomialSchedule(name: string, steps: number, snapshots: number, tierAt: SlotTier, limits: Schedule['limits']): Schedule {
  return {
    name,
    steps,
    limits,
    *actions() {
      if (steps >= 2) {
        yield { type: 'save', step: 0, tier: tierAt(0) };
        yield* binomialReversal(0, steps, snapshots, 0, tierAt);
        yield { type: 'drop', step: 0, tier: tierAt(0) };
      } else if (steps === 1) {
        yield { type: 'reverse', step: 1 };
      }
      yield { type: 'end' };
    },
  };
}

/**
 * Reverses steps `end`..`base`+1 with `slots` snapshot slots, given that x_base is stored at
 * stack depth `baseDepth` (it counts as one of the slots and stays stored) and that the
 * current state is x_current. Leaves x_base current.
 */
export function* binomialReversal(
  base: number,
  end: number,
  slots: number,
  current: number,
  tierAt: SlotTier,
  baseDepth = 0,
): Generator<Action, void, unknown> {
  const stack = [base];
  let next = end;
  let at = current;
  for (;;) {
    const level = stack.length - 1;
    const top = stack[level];
    const left = next - top;
    if (left === 0) {
      if (level === 0) return;
      stack.pop();
      yield { type: 'drop', step: top, tier: tierAt(baseDepth + level) };
      continue;
    }
    if (at !== top) {
      yield { type: 'restore', step: top, tier: tierAt(baseDepth + level) };
      at = top;
    }
    if (left > 1) {
      at = top + optimalSplit(left, slots - level);
      yield { type: 'advance', from: top, to: at };
      if (at < next - 1) {
        stack.push(at);
        yield { type: 'save', step: at, tier: tierAt(baseDepth + level + 1) };
        continue;
      }
    }
    yield { type: 'reverse', step: next };
    next--;
    at = next;
  }
}
