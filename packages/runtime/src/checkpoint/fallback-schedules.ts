/**
 * TEMPORARY LOCAL FALLBACK: remove this file once schedules/index.ts exports
 * makeSchedule, defaultSnapshots and the schedule names (schedule-choice.ts then
 * imports those instead). Every name maps to store-all here, which is correct but
 * keeps every state: it only lets checkpointedLoop run before the real schedules land.
 */
import type { Action, Schedule } from '../schedules/actions';

export const SCHEDULE_NAMES = ['revolve', 'uniform', 'store-all', 'online', 'multistage'] as const;

export function defaultSnapshots(steps: number): number {
  return Math.max(1, Math.ceil(Math.log2(steps + 1)));
}

export function makeSchedule(name: string, steps: number | undefined, _slots: { snapshots?: number; ram?: number; disk?: number }): Schedule {
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown schedule '${name}'; allowed: ${SCHEDULE_NAMES.join(', ')}`);
  }
  return steps === undefined ? storeAllOnline(name) : storeAll(name, steps);
}

function storeAll(name: string, n: number): Schedule {
  return {
    name,
    steps: n,
    limits: { ram: n, disk: 0 },
    *actions(): Generator<Action, void, boolean | undefined> {
      for (let i = 0; i < n; i++) {
        yield { type: 'save', step: i, tier: 'ram' };
        if (i < n - 1) yield { type: 'advance', from: i, to: i + 1 };
      }
      yield* reverseStored(n, n - 1);
    },
  };
}

function storeAllOnline(name: string): Schedule {
  return {
    name,
    steps: undefined,
    limits: { ram: Infinity, disk: 0 },
    *actions(): Generator<Action, void, boolean | undefined> {
      let i = 0;
      for (;;) {
        yield { type: 'save', step: i, tier: 'ram' };
        if (!(yield { type: 'advance', from: i, to: i + 1 })) break;
        i++;
      }
      yield { type: 'drop', step: i, tier: 'ram' };
      yield* reverseStored(i, i);
    },
  };
}

/** x_0..x_{n-1} are stored and the current state is x_at. */
function* reverseStored(n: number, at: number): Generator<Action, void, boolean | undefined> {
  for (let step = n; step >= 1; step--) {
    if (at !== step - 1) yield { type: 'restore', step: step - 1, tier: 'ram' };
    at = step - 1;
    yield { type: 'reverse', step };
    yield { type: 'drop', step: step - 1, tier: 'ram' };
  }
  yield { type: 'end' };
}
