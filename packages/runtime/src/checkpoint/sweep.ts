/**
 * The one driver that executes any schedule's actions against real states. It checks
 * every request of the schedule against what is actually held (a wrong request is a
 * ScheduleError naming the action) and every value the user's callbacks return.
 *
 * Recomputation replays random draws: the driver keeps the global RNG state that goes
 * with every state it holds (x_i with the generator as it was before step i) and sets
 * it before each evaluation, so a step draws the same numbers however often it runs,
 * and the same as the plain loop would. forward() leaves the generator where the plain
 * loop leaves it; backward() leaves it where it found it.
 *
 * Online schedules: the driver asks the loop condition once at every state the forward
 * sweep reaches, x_0 before the schedule starts and x_{m+1} right after each one-step
 * advance, and hands the answer to the schedule (the protocol of actions.ts).
 *
 * The executor is written once as generators that yield every hook's answer (drive/):
 * forward()/backward() drive them synchronously and refuse a hook that answers with a
 * Promise; forwardAsync()/backwardAsync() await each answer, for hooks on a device that
 * answers asynchronously.
 */
import { runAsync, runSync, settle, type Op } from '../drive/index';
import { ledger } from '../memory/ledger';
import { profiling } from '../profile/recorder';
import { getRngState, setRngState, type RngState } from '../random/index';
import type { Action, Schedule, Tier } from '../schedules/actions';
import { describeStructure, findMismatch, Structure, StructureError, structureOf } from '../tree/structure';
import { checkDeterminismOption, DeterminismError, treeChecksum } from '../verify/determinism';
import type { Tree } from '../tree/types';
import { verboseLine } from './action-text';
import { ScheduleError } from './errors';
import { checkAdjointResult, checkStepResult } from './step-result';
import { DiskStore } from './storage/disk';
import { RamStore } from './storage/ram';
import type { SnapshotStore } from './storage/store';
import type { AsyncPullback, AsyncStepHooks, AsyncSweep, SweepCounters, SweepOptions } from './types';

/** Synchronous hooks (StepHooks) work with every method; hooks answering with Promises need forwardAsync()/backwardAsync(). */
export function createSweep<S extends Tree>(hooks: AsyncStepHooks<S>, init: S, schedule: Schedule, options: SweepOptions = {}): AsyncSweep<S> {
  return new ScheduleDriver(hooks, init, schedule, options);
}

type Phase = 'ready' | 'forward' | 'turned' | 'backward' | 'finished' | 'failed' | 'disposed';

class ScheduleDriver<S extends Tree> implements AsyncSweep<S> {
  readonly counters: SweepCounters = { stepCalls: 0, advances: 0, reverses: 0, peakRamStates: 0, peakDiskStates: 0, peakSnapshotBytes: 0 };
  private readonly structure: Structure;
  /** Started by forward(): an online schedule's first input is the loop condition at x_0. */
  private actions: Generator<Action, void, boolean | undefined> | undefined;
  private readonly ram = new RamStore();
  private disk: DiskStore | undefined;
  private readonly print: ((line: string) => void) | undefined;
  private phase: Phase = 'ready';
  /** The current state is x_at. */
  private current: S;
  private at = 0;
  private n: number | undefined;
  /** The answer to the schedule's last online advance: whether the loop continues past x_at. */
  private answer: boolean | undefined;
  /** Pullback of step n, taped at the end of forward(). */
  private lastPullback: AsyncPullback<S> | undefined;
  /** The step whose adjoint comes next; 0 when all are done. */
  private nextReverse = 0;
  /** The RNG state that goes with the current state (set by forward()). */
  private rng: RngState | undefined;
  /** The RNG state that goes with each stored state. */
  private readonly rngAt = new Map<number, RngState>();
  /** Determinism check: CRC-32 of each step's first result, by loop index. */
  private readonly checksums: Map<number, number> | undefined;

  constructor(
    private readonly hooks: AsyncStepHooks<S>,
    init: S,
    private readonly schedule: Schedule,
    private readonly options: SweepOptions,
  ) {
    if (typeof hooks?.step !== 'function' || typeof hooks.stepVjp !== 'function') {
      throw new TypeError('createSweep: hooks.step and hooks.stepVjp must be functions');
    }
    const n = schedule.steps;
    if (n === undefined) {
      if (typeof hooks.cond !== 'function') {
        throw new TypeError(`createSweep: schedule '${schedule.name}' discovers the loop length as it runs, so hooks.cond (the loop condition) is required`);
      }
    } else if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`createSweep: schedule '${schedule.name}' has steps = ${n}; it must be a non-negative integer or undefined`);
    }
    this.n = n;
    this.structure = structureOf(init, 'state');
    this.current = init;
    this.print = options.verbose === true ? (line) => console.log(line) : typeof options.verbose === 'function' ? options.verbose : undefined;
    if (checkDeterminismOption(options.determinismCheck, 'createSweep')) this.checksums = new Map();
  }

  get steps(): number | undefined {
    return this.n;
  }

  forward(): S {
    this.enter('ready', 'forward', 'forward()');
    this.rng = getRngState();
    return this.guard(() => runSync(this.forwardSweep(), 'Sweep.forward(): a hook', 'forwardAsync()'));
  }

  async forwardAsync(): Promise<S> {
    this.enter('ready', 'forward', 'forwardAsync()');
    this.rng = getRngState();
    return this.guardAsync(() => runAsync(this.forwardSweep()));
  }

  backward(adjointOut: S): S {
    this.enter('turned', 'backward', 'backward()');
    const outside = getRngState();
    try {
      return this.guard(() => runSync(this.reverseSweep(adjointOut), 'Sweep.backward(): a hook', 'backwardAsync()'));
    } finally {
      setRngState(outside);
    }
  }

  async backwardAsync(adjointOut: S): Promise<S> {
    this.enter('turned', 'backward', 'backwardAsync()');
    const outside = getRngState();
    try {
      return await this.guardAsync(() => runAsync(this.reverseSweep(adjointOut)));
    } finally {
      setRngState(outside);
    }
  }

  private *forwardSweep(): Op<S> {
    this.actions = this.n === undefined ? this.schedule.actions(yield* this.loopContinues()) : this.schedule.actions();
    for (;;) {
      const action = this.nextAction();
      if (action.type === 'reverse') {
        if (this.n === undefined || action.step !== this.n) {
          throw this.scheduleError(action, `the first reverse must be of the last step (${this.n ?? 'unknown: the loop has not ended'})`);
        }
        const [out, pullback] = yield* this.taped(action.step, 'forward');
        this.lastPullback = pullback;
        this.nextReverse = action.step - 1;
        this.phase = 'turned';
        return out;
      }
      if (action.type === 'end') {
        if (this.n !== 0) throw this.scheduleError(action, `ends before any step was reversed (the loop has ${this.n ?? 'an unknown number of'} steps)`);
        this.finish(action);
        this.phase = 'turned';
        return this.current;
      }
      yield* this.execute(action);
    }
  }

  private *reverseSweep(adjointOut: S): Op<S> {
    const found = findMismatch(this.structure, adjointOut, 'adjoint');
    if (found) throw new StructureError('backward(): the adjoint of the final state must have the structure of the state', found);
    if (this.n === 0) {
      this.phase = 'finished';
      return adjointOut;
    }
    let adjoint = yield* this.pull(this.lastPullback!, adjointOut, this.n!);
    this.lastPullback = undefined;
    for (;;) {
      const action = this.nextAction();
      if (action.type === 'reverse') {
        if (action.step !== this.nextReverse) {
          throw this.scheduleError(action, this.nextReverse === 0 ? 'every step was already reversed' : `the next step to reverse is ${this.nextReverse}`);
        }
        const [, pullback] = yield* this.taped(action.step, 'reverse');
        adjoint = yield* this.pull(pullback, adjoint, action.step);
        this.nextReverse--;
      } else if (action.type === 'end') {
        if (this.nextReverse !== 0) throw this.scheduleError(action, `steps ${this.nextReverse}..1 were never reversed`);
        this.finish(action);
        this.phase = 'finished';
        return adjoint;
      } else {
        yield* this.execute(action);
      }
    }
  }

  dispose(): void {
    if (this.phase === 'disposed') return;
    this.phase = 'disposed';
    this.release();
  }

  private enter(expected: Phase, next: Phase, call: string): void {
    if (this.phase !== expected) {
      const why: Record<Phase, string> = {
        ready: 'forward() has not run yet',
        forward: 'forward() is running',
        turned: 'forward() already ran',
        backward: 'backward() is running',
        finished: 'the sweep is finished',
        failed: 'the sweep failed earlier',
        disposed: 'the sweep was disposed',
      };
      throw new Error(`Sweep.${call}: cannot run now: ${why[this.phase]}`);
    }
    this.phase = next;
  }

  /** Runs `body`; if anything throws, frees all storage before the error propagates. */
  private guard<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  private async guardAsync<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  private fail(): void {
    this.phase = 'failed';
    try {
      this.release();
    } catch {
      // The original error is the one worth reporting.
    }
  }

  private release(): void {
    try {
      this.actions?.return(undefined);
    } finally {
      this.rngAt.clear();
      this.ram.close();
      this.disk?.close();
    }
  }

  private nextAction(): Action {
    const answer = this.answer;
    this.answer = undefined;
    const next = this.actions!.next(answer);
    if (next.done) throw this.scheduleError(undefined, "the schedule stopped without an 'end' action");
    return next.value;
  }

  private *execute(action: Action): Op<void> {
    switch (action.type) {
      case 'advance':
        return yield* this.advance(action);
      case 'save': {
        if (action.step !== this.at) throw this.scheduleError(action, `the current state is x_${this.at}, not x_${action.step}`);
        const store = this.store(action.tier);
        if (store.has(action.step)) throw this.scheduleError(action, `step ${action.step} is already stored in ${action.tier}`);
        if (store.count >= this.schedule.limits[action.tier]) {
          throw this.scheduleError(action, `it would hold more than its ${action.tier} limit of ${this.schedule.limits[action.tier]} states`);
        }
        this.print?.(verboseLine(action));
        store.save(action.step, this.current);
        this.rngAt.set(action.step, this.rng!);
        this.notePeaks();
        for (const p of profiling() ?? []) p.snapshotSaved();
        return;
      }
      case 'restore':
        this.stored(action, action.step, action.tier);
        this.print?.(verboseLine(action));
        this.current = this.store(action.tier).load(action.step) as S;
        this.at = action.step;
        this.rng = this.rngAt.get(action.step);
        return;
      case 'drop':
        this.stored(action, action.step, action.tier);
        this.print?.(verboseLine(action));
        this.store(action.tier).drop(action.step);
        this.rngAt.delete(action.step);
        return;
      default:
        throw this.scheduleError(action, `unexpected action type '${(action as { type: string }).type}'`);
    }
  }

  private *advance(action: Extract<Action, { type: 'advance' }>): Op<void> {
    const { from, to } = action;
    const lengthUnknown = this.n === undefined;
    if (from !== this.at) throw this.scheduleError(action, `the current state is x_${this.at}, not x_${from}`);
    if (lengthUnknown) {
      if (to !== from + 1) throw this.scheduleError(action, 'while the loop length is unknown, an advance must be exactly one step');
    } else if (!(to > from && to <= this.n!)) {
      throw this.scheduleError(action, `an advance must go forward and stay within the loop's ${this.n} steps`);
    }
    this.print?.(verboseLine(action));
    for (let i = from; i < to; i++) {
      this.counters.stepCalls++;
      this.counters.advances++;
      setRngState(this.rng!);
      const answer = this.hooks.step(this.current, i);
      // Only a Promise goes through the driver: a generator round trip per step costs ~0.3 µs, which cheap steps notice.
      const next = answer instanceof Promise ? ((yield answer) as S) : answer;
      this.rng = getRngState();
      checkStepResult(this.structure, next, i);
      this.checkDeterminism(i, next);
      this.current = next;
      this.at = i + 1;
      for (const p of profiling() ?? []) p.advanced();
      this.progress();
    }
    if (lengthUnknown) this.answer = yield* this.loopContinues();
  }

  /**
   * Online: asks the loop condition at the current state, once per state (the reverse sweep
   * never asks it again, so it must not move the generator); false ends the loop there.
   */
  private *loopContinues(): Op<boolean> {
    const continues = Boolean(yield* settle(this.hooks.cond!(this.current, this.at))); // truthy, as in the plain loop
    if (getRngState().some((word, k) => word !== this.rng![k])) {
      throw new Error(
        `the loop condition at loop index ${this.at} drew random numbers: it is asked only as the loop first runs, ` +
          'so steps recomputed later could not draw what the loop drew; draw them inside the step instead',
      );
    }
    if (!continues) {
      this.n = this.at;
      this.print?.(`Loop condition false at step ${this.at}: the loop has ${this.at} steps`);
    }
    return continues;
  }

  /** Taped evaluation of step `step` from x_{step-1}, which stays the current state. */
  private *taped(step: number, phase: 'forward' | 'reverse'): Op<readonly [S, AsyncPullback<S>]> {
    const action: Action = { type: 'reverse', step };
    if (this.at !== step - 1) throw this.scheduleError(action, `it needs x_${step - 1} but the current state is x_${this.at}`);
    this.print?.(verboseLine(action));
    this.counters.stepCalls++;
    this.counters.reverses++;
    const listeners = profiling();
    const tapesBefore = listeners ? ledger.current('tapes') : 0;
    setRngState(this.rng!);
    const answer = this.hooks.stepVjp(this.current, step - 1);
    const result = answer instanceof Promise ? ((yield answer) as Awaited<typeof answer>) : answer;
    if (!Array.isArray(result) || result.length !== 2 || typeof result[1] !== 'function') {
      throw new TypeError(`the stepVjp at loop index ${step - 1} must return [next state, pullback]`);
    }
    for (const p of listeners ?? []) p.taped(ledger.current('tapes') - tapesBefore);
    checkStepResult(this.structure, result[0], step - 1);
    this.checkDeterminism(step - 1, result[0]);
    this.progress(phase === 'forward' ? step : this.n! - step + 1);
    return result;
  }

  /** With determinismCheck: the first result of loop index i is remembered, every later one must equal it. */
  private checkDeterminism(i: number, result: S): void {
    if (this.checksums === undefined) return;
    const checksum = treeChecksum(result);
    const first = this.checksums.get(i);
    if (first === undefined) {
      this.checksums.set(i, checksum);
    } else if (first !== checksum) {
      const structure = describeStructure(this.structure);
      throw new DeterminismError(`the step at loop index ${i}`, { structure, checksum: first }, { structure, checksum });
    }
  }

  private *pull(pullback: AsyncPullback<S>, adjoint: S, step: number): Op<S> {
    const answer = pullback(adjoint);
    const result = answer instanceof Promise ? ((yield answer) as Awaited<typeof answer>) : answer;
    checkAdjointResult(this.structure, result, step - 1);
    return result;
  }

  private finish(action: Action): void {
    const left = (['ram', 'disk'] as const).filter((tier) => this.held(tier) > 0);
    if (left.length > 0) {
      throw this.scheduleError(action, `states are still stored: ${left.map((tier) => `${tier} {${this.store(tier).steps().join(', ')}}`).join(', ')}`);
    }
    this.print?.(verboseLine(action));
    this.release();
  }

  private stored(action: Action, step: number, tier: Tier): void {
    if (this.held(tier) === 0 || !this.store(tier).has(step)) {
      const steps = this.held(tier) === 0 ? 'none' : this.store(tier).steps().join(', ');
      throw this.scheduleError(action, `step ${step} is not stored in ${tier} (stored there: ${steps})`);
    }
  }

  private held(tier: Tier): number {
    return tier === 'ram' ? this.ram.count : (this.disk?.count ?? 0);
  }

  private store(tier: Tier): SnapshotStore {
    if (tier === 'ram') return this.ram;
    return (this.disk ??= new DiskStore({ dir: this.options.dir }));
  }

  private notePeaks(): void {
    const c = this.counters;
    c.peakRamStates = Math.max(c.peakRamStates, this.ram.count);
    c.peakDiskStates = Math.max(c.peakDiskStates, this.disk?.count ?? 0);
    c.peakSnapshotBytes = Math.max(c.peakSnapshotBytes, this.ram.bytes + (this.disk?.bytes ?? 0));
  }

  /**
   * Forward progress is the index of the state reached; reverse progress is the number of
   * steps whose taped evaluation has run (it stays put while recomputing).
   */
  private progress(reverseDone?: number): void {
    const report = this.options.onProgress;
    if (!report) return;
    if (this.phase === 'forward') report({ phase: 'forward', done: reverseDone ?? this.at, total: this.n });
    else report({ phase: 'reverse', done: reverseDone ?? this.n! - this.nextReverse, total: this.n });
  }

  private scheduleError(action: Action | undefined, problem: string): ScheduleError {
    return new ScheduleError(this.schedule.name, action, problem);
  }
}
