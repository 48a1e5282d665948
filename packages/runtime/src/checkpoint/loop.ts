/**
 * The user-facing loops. Outside differentiation they are plain loops (n step calls,
 * nothing stored); while a reverse-mode trace records, the registered
 * LoopDifferentiator runs them as one checkpointed operation.
 */
import { checkSteps } from '../schedules/checks';
import { structureOf } from '../tree/structure';
import type { Tree } from '../tree/types';
import { buildSchedule, type CheckpointedLoopOptions, checkLoopOptions, sweepOptions } from './schedule-choice';
import { checkStepResult } from './step-result';
import type { LoopDifferentiator } from './types';

let differentiator: LoopDifferentiator | undefined;

/** The tape registers itself here; undefined unregisters. */
export function setLoopDifferentiator(d: LoopDifferentiator | undefined): void {
  differentiator = d;
}

/**
 * x_n for x_{i+1} = step(x_i, i), i = 0..steps-1. (The number overload keeps a scalar
 * state's type `number`; a generic S alone would be inferred as the literal type of
 * the initial value, e.g. `1`.)
 */
export function checkpointedLoop(step: (state: number, i: number) => number, initialState: number, steps: number, options?: CheckpointedLoopOptions): number;
export function checkpointedLoop<S extends Tree>(step: (state: S, i: number) => S, initialState: S, steps: number, options?: CheckpointedLoopOptions): S;
export function checkpointedLoop<S extends Tree>(step: (state: S, i: number) => S, initialState: S, steps: number, options: CheckpointedLoopOptions = {}): S {
  const where = 'checkpointedLoop';
  checkFunction(step, 'step', where);
  checkSteps(where, steps);
  const structure = structureOf(initialState, 'state');
  checkLoopOptions(options, steps, where);
  // Built even when not differentiating, so a plain run already rejects what a differentiated one would.
  const schedule = buildSchedule(options, steps);
  if (differentiator?.active()) return differentiator.run({ step }, initialState, schedule, sweepOptions(options));
  let state = initialState;
  for (let i = 0; i < steps; i++) {
    state = step(state, i);
    checkStepResult(structure, state, i);
    options.onProgress?.({ phase: 'forward', done: i + 1, total: steps });
  }
  return state;
}

/** The state at which cond(state, i) first fails, for x_{i+1} = step(x_i, i); its length is found as it runs. */
export function checkpointedWhile(
  cond: (state: number, i: number) => boolean,
  step: (state: number, i: number) => number,
  initialState: number,
  options?: CheckpointedLoopOptions,
): number;
export function checkpointedWhile<S extends Tree>(
  cond: (state: S, i: number) => boolean,
  step: (state: S, i: number) => S,
  initialState: S,
  options?: CheckpointedLoopOptions,
): S;
export function checkpointedWhile<S extends Tree>(
  cond: (state: S, i: number) => boolean,
  step: (state: S, i: number) => S,
  initialState: S,
  options: CheckpointedLoopOptions = {},
): S {
  const where = 'checkpointedWhile';
  checkFunction(cond, 'cond', where);
  checkFunction(step, 'step', where);
  const structure = structureOf(initialState, 'state');
  checkLoopOptions(options, undefined, where);
  // Built only when differentiating: the online schedule needs a snapshot count that a plain run does not.
  if (differentiator?.active()) return differentiator.run({ step, cond }, initialState, buildSchedule(options, undefined), sweepOptions(options));
  let state = initialState;
  for (let i = 0; cond(state, i); i++) {
    state = step(state, i);
    checkStepResult(structure, state, i);
    options.onProgress?.({ phase: 'forward', done: i + 1, total: undefined });
  }
  return state;
}

function checkFunction(f: unknown, name: string, where: string): void {
  if (typeof f !== 'function') throw new TypeError(`${where}: ${name} must be a function, got ${f === null ? 'null' : typeof f}`);
}
