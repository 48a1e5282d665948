/**
 * Runs a schedule against a symbolic model of storage (the set of stored step indices per
 * tier and the index of the current state) instead of real states, checking every rule of
 * actions.ts as it goes, and counts what the schedule would cost. The CLI reports these
 * counts, and the tests replay every schedule over a grid of (n, s) with it.
 */
import { actionText } from '../checkpoint/action-text';
import type { Action, Schedule, Tier } from './actions';
import { checkSteps } from './checks';

export interface ReplayOptions {
  /** The loop length to simulate: required for online schedules, else it must equal schedule.steps. */
  steps?: number;
  /** Also count the plain evaluations of every step (costs O(advances) time and O(n) memory). */
  perStep?: boolean;
  /** Called with every action once it has passed the checks, `end` included. */
  onAction?: (action: Action, index: number) => void;
}

export interface ReplayCounts {
  /** Plain step evaluations made by advance actions. */
  advances: number;
  /** Taped evaluations (one per step). */
  reverses: number;
  peakRam: number;
  peakDisk: number;
  /** Actions emitted, `end` included. */
  actions: number;
  saves: Record<Tier, number>;
  restores: Record<Tier, number>;
  /** With perStep: entry i (1 <= i <= n) is how many times step i was advanced. */
  stepAdvances?: Uint32Array;
}

/** A broken rule, with the 0-based index of the action that broke it. */
export class ReplayError extends Error {
  constructor(
    readonly schedule: string,
    readonly actionIndex: number,
    readonly action: Action | undefined,
    readonly rule: string,
  ) {
    super(`schedule '${schedule}': action #${actionIndex}${action ? ` ${actionText(action)}` : ''}: ${rule}`);
    this.name = 'ReplayError';
  }
}

export function replay(schedule: Schedule, options: ReplayOptions = {}): ReplayCounts {
  const n = loopLength(schedule, options.steps);
  const online = schedule.steps === undefined;
  const stored: Record<Tier, Set<number>> = { ram: new Set(), disk: new Set() };
  const counts: ReplayCounts = {
    advances: 0,
    reverses: 0,
    peakRam: 0,
    peakDisk: 0,
    actions: 0,
    saves: { ram: 0, disk: 0 },
    restores: { ram: 0, disk: 0 },
  };
  const perStep = options.perStep ? new Uint32Array(n + 1) : undefined;
  if (perStep) counts.stepAdvances = perStep;

  // Online: the schedule is told at x_0, and then with the answer to every advance, whether the loop continues.
  const generator = online ? schedule.actions(n > 0) : schedule.actions();
  let lengthKnown = !online || n === 0;
  let at = 0;
  let nextReverse = n;
  let answer: boolean | undefined;
  const onAction = options.onAction;
  let index = 0;
  let action: Action | undefined;
  const fail = (rule: string): never => {
    generator.return(undefined);
    throw new ReplayError(schedule.name, index, action, rule);
  };
  for (; ; index++) {
    const next = generator.next(answer);
    answer = undefined;
    action = undefined;
    if (next.done) fail("the schedule stopped without an 'end' action");
    action = next.value as Action;
    counts.actions++;
    switch (action.type) {
      case 'advance': {
        const { from, to } = action;
        if (from !== at) fail(`the current state is x_${at}, not x_${from}`);
        if (!lengthKnown && to !== from + 1) fail('while the loop length is unknown, an advance must be exactly one step');
        if (!(to > from && to <= n)) fail(`an advance must go forward and stay within the loop's ${n} steps`);
        if (!lengthKnown) {
          lengthKnown = to === n;
          answer = !lengthKnown;
        }
        counts.advances += to - from;
        if (perStep) for (let step = from + 1; step <= to; step++) perStep[step]++;
        at = to;
        break;
      }
      case 'save': {
        const tier = stored[action.tier];
        if (action.step !== at) fail(`the current state is x_${at}, not x_${action.step}`);
        if (tier.has(action.step)) fail(`step ${action.step} is already stored in ${action.tier}`);
        if (tier.size >= schedule.limits[action.tier]) fail(`it would hold more than its ${action.tier} limit of ${schedule.limits[action.tier]} states`);
        tier.add(action.step);
        counts.saves[action.tier]++;
        if (action.tier === 'ram') counts.peakRam = Math.max(counts.peakRam, tier.size);
        else counts.peakDisk = Math.max(counts.peakDisk, tier.size);
        break;
      }
      case 'restore':
        if (!stored[action.tier].has(action.step)) fail(notStored(stored, action.step, action.tier));
        counts.restores[action.tier]++;
        at = action.step;
        break;
      case 'drop':
        if (!stored[action.tier].delete(action.step)) fail(notStored(stored, action.step, action.tier));
        break;
      case 'reverse':
        if (!lengthKnown) fail('a step is reversed before the loop has ended');
        if (action.step !== nextReverse) fail(nextReverse === 0 ? 'every step was already reversed' : `the next step to reverse is ${nextReverse}`);
        if (at !== action.step - 1) fail(`it needs x_${action.step - 1} but the current state is x_${at}`);
        counts.reverses++;
        nextReverse--;
        break;
      case 'end': {
        if (!lengthKnown) fail('the sweep ends before the loop has ended');
        if (nextReverse !== 0) fail(`steps ${nextReverse}..1 were never reversed`);
        const left = (['ram', 'disk'] as const).filter((tier) => stored[tier].size > 0);
        if (left.length > 0) fail(`states are still stored: ${left.map((tier) => `${tier} {${[...stored[tier]].join(', ')}}`).join(', ')}`);
        onAction?.(action, index);
        if (!generator.next().done) {
          index++;
          action = undefined;
          fail("an action follows 'end'");
        }
        return counts;
      }
      default:
        fail(`unknown action type '${(action as { type: string }).type}'`);
    }
    onAction?.(action, index);
  }
}

function loopLength(schedule: Schedule, steps: number | undefined): number {
  if (schedule.steps === undefined) {
    if (steps === undefined) throw new RangeError(`replay: schedule '${schedule.name}' is online; pass options.steps, the length the simulated loop turns out to have`);
    checkSteps('replay', steps);
    return steps;
  }
  if (steps !== undefined && steps !== schedule.steps) {
    throw new RangeError(`replay: schedule '${schedule.name}' is for ${schedule.steps} steps, not options.steps = ${steps}`);
  }
  return schedule.steps;
}

function notStored(stored: Record<Tier, Set<number>>, step: number, tier: Tier): string {
  const held = stored[tier].size === 0 ? 'none' : [...stored[tier]].join(', ');
  return `step ${step} is not stored in ${tier} (stored there: ${held})`;
}
