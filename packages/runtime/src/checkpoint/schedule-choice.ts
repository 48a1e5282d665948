/** Turns checkpointedLoop's options into a Schedule, rejecting bad options by name. */
import type { Schedule } from '../schedules/actions';
import { defaultSnapshots, makeSchedule, SCHEDULE_NAMES } from './fallback-schedules';
import type { SweepOptions } from './types';

export interface CheckpointedLoopOptions extends SweepOptions {
  /** States stored at once, counting the initial one (default: defaultSnapshots(steps) of the schedules module). */
  snapshots?: number;
  /** A schedule name or a ready Schedule (default: 'revolve' for loops, 'online' for while-loops). */
  schedule?: string | Schedule;
  /** Snapshot slots in RAM and on disk (two-level schedules); together at least 1. */
  ram?: number;
  disk?: number;
}

const OPTION_KEYS = ['snapshots', 'schedule', 'ram', 'disk', 'dir', 'verbose', 'onProgress'] as const;

/** `steps` is undefined for while-loops, whose length is found as they run. */
export function chooseSchedule(options: CheckpointedLoopOptions, steps: number | undefined, where: string): Schedule {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}'; allowed: ${OPTION_KEYS.join(', ')}`);
    }
  }
  const { snapshots, ram, disk, schedule, dir, verbose, onProgress } = options;
  if (snapshots !== undefined && !(Number.isSafeInteger(snapshots) && snapshots >= 1)) {
    throw new RangeError(`${where}: options.snapshots must be an integer >= 1 (stored states, counting the initial one), got ${String(snapshots)}`);
  }
  for (const [key, value] of [['ram', ram], ['disk', disk]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`${where}: options.${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
  if ((ram !== undefined || disk !== undefined) && (ram ?? 0) + (disk ?? 0) < 1) {
    throw new RangeError(`${where}: options.ram + options.disk must be at least 1 (snapshot slots), got ${ram ?? 0} + ${disk ?? 0}`);
  }
  if (dir !== undefined && typeof dir !== 'string') throw new TypeError(`${where}: options.dir must be a directory path, got ${typeof dir}`);
  if (verbose !== undefined && typeof verbose !== 'boolean' && typeof verbose !== 'function') {
    throw new TypeError(`${where}: options.verbose must be a boolean or a function receiving lines, got ${typeof verbose}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError(`${where}: options.onProgress must be a function, got ${typeof onProgress}`);

  if (typeof schedule === 'object' && schedule !== null) return checkScheduleObject(schedule, steps, where);
  const name = schedule ?? (steps === undefined ? 'online' : 'revolve');
  if (typeof name !== 'string' || !(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`${where}: unknown options.schedule ${JSON.stringify(name)}; allowed: ${SCHEDULE_NAMES.join(', ')}, or a Schedule object`);
  }
  const slots = ram === undefined && disk === undefined ? { snapshots: snapshots ?? defaultSnapshots(steps ?? 0) } : { snapshots, ram, disk };
  return makeSchedule(name, steps, slots);
}

function checkScheduleObject(schedule: Schedule, steps: number | undefined, where: string): Schedule {
  if (typeof schedule.actions !== 'function') throw new TypeError(`${where}: options.schedule must be a schedule name or a Schedule (with an actions() generator)`);
  if (schedule.steps !== steps) {
    throw new RangeError(
      steps === undefined
        ? `${where}: options.schedule '${schedule.name}' is for ${schedule.steps} steps; a while-loop needs an online schedule (steps undefined)`
        : `${where}: options.schedule '${schedule.name}' is for ${schedule.steps ?? 'an unknown number of'} steps, but the loop has ${steps}`,
    );
  }
  return schedule;
}
