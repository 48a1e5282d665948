/** checkpointedLoop's options: checked by name, then turned into a Schedule by the schedules module. */
import type { Schedule } from '../schedules/actions';
import { checkCount } from '../schedules/checks';
import { makeSchedule, SCHEDULE_NAMES, ScheduleName } from '../schedules/index';
import { checkDeterminismOption } from '../verify/determinism';
import type { SweepOptions } from './types';

/** How a checkpointed loop is scheduled (schedule, snapshots, ram, disk) and run (the SweepOptions). */
export interface CheckpointedLoopOptions extends SweepOptions {
  /** States stored at once, counting the initial one (default for loops: defaultSnapshots(steps); required for differentiated while-loops). */
  snapshots?: number;
  /** A schedule name or a ready Schedule (default: 'revolve' for loops, 'online' for while-loops). */
  schedule?: ScheduleName | Schedule;
  /** Snapshot slots in RAM and on disk ('multistage' uses both); together at least 1. */
  ram?: number;
  disk?: number;
}

const OPTION_KEYS = ['snapshots', 'schedule', 'ram', 'disk', 'dir', 'verbose', 'onProgress', 'determinismCheck'] as const;

/** `steps` is undefined for while-loops, whose length is found as they run. */
export function checkLoopOptions(options: CheckpointedLoopOptions, steps: number | undefined, where: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}'; allowed: ${OPTION_KEYS.join(', ')}`);
    }
  }
  const { snapshots, ram, disk, schedule, dir, verbose, onProgress, determinismCheck } = options;
  if (snapshots !== undefined) checkCount(where, 'options.snapshots', snapshots, 1, 'stored states, counting the initial one');
  if (ram !== undefined) checkCount(where, 'options.ram', ram, 0, 'snapshot slots in RAM');
  if (disk !== undefined) checkCount(where, 'options.disk', disk, 0, 'snapshot slots on disk');
  if ((ram !== undefined || disk !== undefined) && (ram ?? 0) + (disk ?? 0) < 1) {
    throw new RangeError(`${where}: options.ram + options.disk must be at least 1 (snapshot slots), got ${ram ?? 0} + ${disk ?? 0}`);
  }
  if (schedule !== undefined && !(typeof schedule === 'object' && schedule !== null) && !(SCHEDULE_NAMES as readonly unknown[]).includes(schedule)) {
    throw new RangeError(`${where}: unknown options.schedule ${JSON.stringify(schedule)}; allowed: ${SCHEDULE_NAMES.join(', ')}, or a Schedule object`);
  }
  if (typeof schedule === 'object' && schedule !== null) checkScheduleObject(schedule, steps, where);
  if (dir !== undefined && typeof dir !== 'string') throw new TypeError(`${where}: options.dir must be a directory path, got ${typeof dir}`);
  if (verbose !== undefined && typeof verbose !== 'boolean' && typeof verbose !== 'function') {
    throw new TypeError(`${where}: options.verbose must be a boolean or a function receiving lines, got ${typeof verbose}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError(`${where}: options.onProgress must be a function, got ${typeof onProgress}`);
  checkDeterminismOption(determinismCheck, where);
}

function checkScheduleObject(schedule: Schedule, steps: number | undefined, where: string): void {
  if (typeof schedule.actions !== 'function') {
    throw new TypeError(`${where}: options.schedule must be a schedule name or a Schedule (with an actions() generator)`);
  }
  if (schedule.steps !== steps) {
    throw new RangeError(
      steps === undefined
        ? `${where}: options.schedule '${schedule.name}' is for ${schedule.steps} steps; a while-loop needs an online schedule (steps undefined)`
        : `${where}: options.schedule '${schedule.name}' is for ${schedule.steps ?? 'an unknown number of'} steps, but the loop has ${steps}`,
    );
  }
}

/** The schedule for options that passed checkLoopOptions with the same `steps`. */
export function buildSchedule(options: CheckpointedLoopOptions, steps: number | undefined): Schedule {
  const { schedule, snapshots, ram, disk } = options;
  if (typeof schedule === 'object') return schedule;
  return makeSchedule(schedule ?? (steps === undefined ? 'online' : 'revolve'), steps, { snapshots, ram, disk });
}

/** The options of a loop that the sweep itself takes (reporting, disk, determinism check). */
export function sweepOptions({ verbose, onProgress, dir, determinismCheck }: CheckpointedLoopOptions): SweepOptions {
  return { verbose, onProgress, dir, determinismCheck };
}
