import type { Action } from '../schedules/actions';
import { actionText } from './action-text';

/** A stored state that cannot be written or read back intact; it never yields wrong data. */
export class SnapshotError extends Error {
  constructor(
    readonly step: number,
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`snapshot of step ${step} ${problem} (file ${file})`, options);
    this.name = 'SnapshotError';
  }
}

/**
 * A schedule asked for something impossible (a state that is not stored, a reverse
 * from the wrong state, ...): a bug in the schedule, not in the user's code.
 */
export class ScheduleError extends Error {
  constructor(
    readonly schedule: string,
    readonly action: Action | undefined,
    problem: string,
  ) {
    super(`internal error in schedule '${schedule}'${action ? ` at ${actionText(action)}` : ''}: ${problem}`);
    this.name = 'ScheduleError';
  }
}
