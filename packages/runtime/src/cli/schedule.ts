/**
 * `adjoint schedule`: what a checkpoint schedule costs for a given loop, counted by replaying
 * the schedule against the symbolic storage model (schedules/replay.ts), not from formulas.
 */
import { verboseLine } from '../checkpoint/action-text';
import type { Schedule } from '../schedules/actions';
import { defaultSnapshots, makeSchedule, replay, SCHEDULE_NAMES, uniformSegment, type ReplayCounts, type ScheduleName } from '../schedules/index';

const SCHEDULE_USAGE = `usage: adjoint schedule --steps N [--snapshots S] [--schedule ${SCHEDULE_NAMES.join('|')}] [--ram R --disk D] [--json] [--actions]
  --steps N      loop length (for online: the length the simulated loop turns out to have)
  --snapshots S  stored states, counting the initial one (default: the smallest s with C(s + 2, 2) >= N;
                 uniform: one checkpoint every ceil(sqrt N) steps, as the uniform schedule does by itself)
  --schedule     which schedule (default revolve)
  --ram, --disk  snapshot slots in RAM and on disk (multistage)
  --json         print one JSON object instead of text
  --actions      list the schedule's actions, one per line, before the summary`;

const VALUE_FLAGS = ['steps', 'snapshots', 'schedule', 'ram', 'disk'] as const;
const SWITCHES = ['json', 'actions', 'help'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
type Switch = (typeof SWITCHES)[number];

class UsageError extends Error {}

/**
 * Runs the command; returns the exit code (0 done, 1 the schedule broke a rule, 2 bad arguments).
 * The report goes to `out`, errors and the usage that follows them to `err`.
 */
export function runScheduleCommand(argv: string[], out: (line: string) => void, err: (line: string) => void = out): number {
  let flags: ReturnType<typeof parseFlags>;
  let schedule: Schedule;
  let steps: number;
  let snapshots: number;
  try {
    flags = parseFlags(argv);
    if (flags.switches.has('help')) {
      out(SCHEDULE_USAGE);
      return 0;
    }
    if (flags.switches.has('json') && flags.switches.has('actions')) throw new UsageError('--json and --actions cannot be combined');
    const stepsFlag = integerFlag(flags.values, 'steps', 0);
    if (stepsFlag === undefined) throw new UsageError('--steps is required');
    steps = stepsFlag;
    const name = (flags.values.get('schedule') ?? 'revolve') as ScheduleName;
    if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) throw new UsageError(`--schedule must be one of ${SCHEDULE_NAMES.join(', ')}, got '${name}'`);
    const ram = integerFlag(flags.values, 'ram', 0);
    const disk = integerFlag(flags.values, 'disk', 0);
    const slotsGiven = ram !== undefined || disk !== undefined;
    const snapshotsFlag = integerFlag(flags.values, 'snapshots', 1);
    try {
      const given = snapshotsFlag ?? (slotsGiven ? (ram ?? 0) + (disk ?? 0) : undefined);
      // The schedules' own defaults, so the figures are those checkpointedLoop gets with the same options;
      // online has none (its loop length is unknown), so it gets the default that the simulated length implies.
      const count = slotsGiven ? snapshotsFlag : name === 'online' ? (given ?? defaultSnapshots(steps)) : given;
      schedule = makeSchedule(name, name === 'online' ? undefined : steps, { snapshots: count, ram, disk });
      snapshots = snapshotsUsed(name, steps, given);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`adjoint schedule: ${error.message}`);
    err(SCHEDULE_USAGE);
    return 2;
  }

  const listing = flags.switches.has('actions');
  let counts: ReplayCounts;
  try {
    counts = replay(schedule, { steps, onAction: listing ? (action) => out(verboseLine(action)) : undefined });
  } catch (error) {
    err(`adjoint schedule: ${(error as Error).message}`);
    return 1;
  }
  const report = summarize(schedule.name, steps, snapshots, counts);
  if (flags.switches.has('json')) out(JSON.stringify(report));
  else for (const line of describe(report)) out(line);
  return 0;
}

/** The snapshot count the report names: store-all keeps n − 1 states, uniform as many checkpoints as its segments. */
function snapshotsUsed(name: ScheduleName, steps: number, given: number | undefined): number {
  if (name === 'store-all') return Math.max(steps - 1, 0);
  if (name === 'uniform') return Math.ceil(steps / uniformSegment(steps, given));
  return given ?? defaultSnapshots(steps);
}

interface Report {
  steps: number;
  snapshots: number;
  schedule: string;
  advances: number;
  adjointSteps: number;
  peakRam: number;
  peakDisk: number;
  recomputationFactor: number;
  savingsPercent: number;
}

function summarize(schedule: string, steps: number, snapshots: number, counts: ReplayCounts): Report {
  const storeAllStates = Math.max(steps - 1, 0);
  const held = counts.peakRam + counts.peakDisk;
  return {
    steps,
    snapshots,
    schedule,
    advances: counts.advances,
    adjointSteps: counts.reverses,
    peakRam: counts.peakRam,
    peakDisk: counts.peakDisk,
    recomputationFactor: steps === 0 ? 1 : (steps + counts.advances) / steps,
    savingsPercent: storeAllStates === 0 ? 0 : 100 * (1 - held / storeAllStates),
  };
}

function describe(report: Report): string[] {
  const storeAllStates = Math.max(report.steps - 1, 0);
  return [
    `schedule: ${report.schedule}, ${report.steps} steps, ${report.snapshots} snapshots`,
    `advances (plain step evaluations): ${report.advances}`,
    `adjoint steps (taped evaluations): ${report.adjointSteps}`,
    `peak states in RAM: ${report.peakRam}`,
    `peak states on disk: ${report.peakDisk}`,
    `recomputation factor (evaluations per step): ${report.recomputationFactor.toFixed(3)}`,
    `memory saving versus store-all: ${report.savingsPercent.toFixed(1)}% (${report.peakRam + report.peakDisk} states instead of ${storeAllStates})`,
  ];
}

function parseFlags(argv: string[]): { values: Map<ValueFlag, string>; switches: Set<Switch> } {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<Switch>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (arg === '-h' || name === 'help') {
      switches.add('help');
    } else if (name !== undefined && (SWITCHES as readonly string[]).includes(name)) {
      if (match![2] !== undefined) throw new UsageError(`--${name} takes no value`);
      switches.add(name as Switch);
    } else if (name !== undefined && (VALUE_FLAGS as readonly string[]).includes(name)) {
      const flag = name as ValueFlag;
      if (values.has(flag)) throw new UsageError(`--${flag} is given twice`);
      const value = match![2] ?? argv[++i];
      if (value === undefined || value === '' || (match![2] === undefined && value.startsWith('--'))) throw new UsageError(`--${flag} needs a value`);
      values.set(flag, value);
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  return { values, switches };
}

function integerFlag(values: Map<ValueFlag, string>, flag: ValueFlag, min: number): number | undefined {
  const text = values.get(flag);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got '${text}'`);
  return value;
}
