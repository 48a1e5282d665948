/**
 * Uniform (periodic) checkpointing, as torch.utils.checkpoint_sequential does it: the forward
 * sweep stores every k-th state x_0, x_k, x_2k, ...; the reverse sweep takes the segments
 * last to first, recomputes each one once from its checkpoint while storing all of its
 * states, and reverses them. The last, possibly shorter, segment is stored as the forward
 * sweep passes through it: no step is left out, and none is recomputed more than once.
 *
 * Cost with c = ceil(n/k) segments: n − 1 + (c − 1)(k − 1) advances. Memory: the checkpoints
 * still needed plus the states of the segment being reversed (its own checkpoint and the
 * current state not counted twice), at most c + k − 2 states: uniformPeak gives it exactly.
 */
import type { Action, Schedule } from './actions';
import { checkCount, checkSteps } from './checks';

export function uniform(steps: number, k: number = uniformSegment(steps)): Schedule {
  checkSteps('uniform', steps);
  checkCount('uniform', 'k', k, 1, 'steps between stored states');
  const segments = Math.ceil(steps / k);
  return {
    name: 'uniform',
    steps,
    limits: { ram: uniformPeak(steps, k), disk: 0 },
    *actions() {
      const last = (segments - 1) * k;
      for (let start = 0; start < last; start += k) {
        yield { type: 'save', step: start, tier: 'ram' };
        yield { type: 'advance', from: start, to: start + k };
      }
      if (steps > 0) yield* reverseSegment(last, steps, last);
      for (let start = last - k; start >= 0; start -= k) yield* reverseSegment(start, start + k, start + k);
      yield { type: 'end' };
    },
  };
}

/**
 * Steps per segment. Given a snapshot budget: one checkpoint every ceil(steps/snapshots) steps,
 * so the forward sweep stores at most that many. Without one: ceil(sqrt(steps)), which balances
 * the checkpoints against one segment's states.
 */
export function uniformSegment(steps: number, snapshots?: number): number {
  return Math.max(1, Math.ceil(snapshots === undefined ? Math.sqrt(steps) : steps / snapshots));
}

/** Most states uniform(steps, k) stores at once. */
export function uniformPeak(steps: number, k: number): number {
  if (steps === 0) return 0;
  const segments = Math.ceil(steps / k);
  const lastLength = steps - (segments - 1) * k;
  // While segment i (0-based) is reversed, checkpoints 0..i-1 and its states x_start..x_{end-2} are stored.
  const lastPeak = segments - 1 + lastLength - 1;
  const fullPeak = segments >= 2 ? segments - 2 + k - 1 : 0;
  return Math.max(lastPeak, fullPeak);
}

/**
 * Reverses steps end..start+1 from the current state x_at (x_start when the forward sweep
 * just arrived, else x_end with x_start stored), storing x_start..x_{end-2} on the way and
 * dropping each after its step is reversed.
 */
function* reverseSegment(start: number, end: number, at: number): Generator<Action, void, unknown> {
  if (at !== start) yield { type: 'restore', step: start, tier: 'ram' };
  for (let i = start; i < end - 1; i++) {
    if (i > start || at === start) yield { type: 'save', step: i, tier: 'ram' };
    yield { type: 'advance', from: i, to: i + 1 };
  }
  for (let step = end; step > start; step--) {
    if (step < end) yield { type: 'restore', step: step - 1, tier: 'ram' };
    yield { type: 'reverse', step };
    if (step < end || (step === start + 1 && at !== start)) yield { type: 'drop', step: step - 1, tier: 'ram' };
  }
}
