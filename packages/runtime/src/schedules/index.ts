/** Checkpoint schedules: pure generators of actions (actions.ts), their replay and planning helpers. */
import type { Schedule } from './actions';
import { checkCount, checkSteps } from './checks';
import { multistage } from './multistage';
import { online } from './online';
import { defaultSnapshots } from './planning';
import { revolve } from './revolve';
import { storeAll } from './storeAll';
import { uniform, uniformSegment } from './uniform';

export type { Action, Schedule, Tier } from './actions';
export { beta, optimalAdvances, optimalSplit, repetitionNumber } from './binomial';
export { MAX_STEPS } from './checks';
export { multistage, type Stages } from './multistage';
export { online } from './online';
export { computeCheckpointPositions, defaultSnapshots, estimateCheckpointSavings, getMemorySavings, shouldCheckpoint, type MemorySavings } from './planning';
export { replay, ReplayError, type ReplayCounts, type ReplayOptions } from './replay';
export { binomialPeak, revolve } from './revolve';
export { storeAll } from './storeAll';
export { uniform, uniformPeak, uniformSegment } from './uniform';

export const SCHEDULE_NAMES = ['revolve', 'uniform', 'store-all', 'online', 'multistage'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export interface ScheduleOptions {
  /** Stored states, counting the initial one (default defaultSnapshots(steps)). For uniform: how many states the forward sweep stores (one every ceil(steps/snapshots) steps). */
  snapshots?: number;
  /** Multistage only: snapshot slots in RAM and on disk (default: snapshots in RAM, none on disk). */
  ram?: number;
  disk?: number;
}

/**
 * A schedule by name. `steps` is the loop length, or undefined for 'online' (which discovers
 * it, and so needs `snapshots`). ram/disk apply to 'multistage'; the others keep snapshots in
 * RAM, so disk must be 0 and ram, when given, is the snapshot count. 'store-all' stores every
 * state and refuses a count smaller than that.
 */
export function makeSchedule(name: ScheduleName, steps: number | undefined, options: ScheduleOptions = {}): Schedule {
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`makeSchedule: unknown schedule ${JSON.stringify(name)}; allowed: ${SCHEDULE_NAMES.join(', ')}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`makeSchedule: options must be an object { snapshots?, ram?, disk? }, got ${String(options)}`);
  const where = `makeSchedule('${name}')`;
  if (name === 'online') {
    if (steps !== undefined) throw new RangeError(`${where}: steps must be undefined (the online schedule finds the loop length as it runs), got ${String(steps)}`);
  } else {
    checkSteps(where, steps);
  }
  const { snapshots, ram, disk } = options;
  if (snapshots !== undefined) checkCount(where, 'snapshots', snapshots, 1, 'stored states, counting the initial one');
  if (ram !== undefined) checkCount(where, 'ram', ram, 0, 'snapshot slots in RAM');
  if (disk !== undefined) checkCount(where, 'disk', disk, 0, 'snapshot slots on disk');
  if ((ram !== undefined || disk !== undefined) && (ram ?? 0) + (disk ?? 0) < 1) {
    throw new RangeError(`${where}: ram + disk must be at least 1 (snapshot slots, counting the initial state's), got ${ram ?? 0} + ${disk ?? 0}`);
  }
  if (name === 'multistage') {
    const n = steps as number;
    if (ram === undefined && disk === undefined) return multistage(n, { ram: snapshots ?? defaultSnapshots(n), disk: 0 });
    if (snapshots !== undefined && snapshots !== (ram ?? 0) + (disk ?? 0)) {
      throw new RangeError(`${where}: snapshots (${snapshots}) must equal ram + disk (${ram ?? 0} + ${disk ?? 0}) when both are given`);
    }
    return multistage(n, { ram: ram ?? 0, disk: disk ?? 0 });
  }
  if (disk !== undefined && disk > 0) throw new RangeError(`${where}: disk = ${disk}, but only 'multistage' stores snapshots on disk; use schedule 'multistage' or disk = 0`);
  if (ram !== undefined && snapshots !== undefined && ram !== snapshots) {
    throw new RangeError(`${where}: ram (${ram}) and snapshots (${snapshots}) disagree; '${name}' keeps all snapshots in RAM, give one of them`);
  }
  const count = snapshots ?? ram;
  switch (name) {
    case 'online':
      if (count === undefined) {
        throw new RangeError(`${where}: snapshots is required: the loop length is unknown, so no default follows from it (s snapshots are optimal up to C(s + 2, 2) steps)`);
      }
      return online(count);
    case 'revolve':
      return revolve(steps as number, count ?? defaultSnapshots(steps as number));
    case 'uniform':
      return uniform(steps as number, uniformSegment(steps as number, count));
    case 'store-all':
      if (count !== undefined && count < (steps as number)) {
        throw new RangeError(
          `${where}: snapshots = ${count}, but store-all stores every one of the ${steps as number} states; ` +
            `leave snapshots out, or use 'revolve' to run within ${count}`,
        );
      }
      return storeAll(steps as number);
  }
}
