/**
 * checkpointedLoop / checkpointedWhile under reverse mode: the whole loop is ONE entry
 * of the enclosing tape, executed by a checkpoint sweep (checkpoint/sweep.ts).
 *
 * - Advances run the user's step with recording off: plain values, nothing taped.
 * - Each reverse tapes ONE step on a fresh local tape and pulls back through it at once,
 *   so memory is the schedule's snapshots plus one step's tape. The local tape captures
 *   the traced values the step closes over (weights); their adjoints are summed over all
 *   steps and handed to the enclosing tape when the loop's entry is pulled back.
 * - Random draws need nothing here: the sweep keeps the generator state with every state
 *   it holds, so a recomputed step draws the same numbers as the first time it ran.
 */
import { setLoopDifferentiator } from '../checkpoint/loop';
import { createSweep } from '../checkpoint/sweep';
import type { LoopDifferentiator, Pullback, StepFn, Sweep, SweepOptions } from '../checkpoint/types';
import type { Schedule } from '../schedules/actions';
import { Tensor } from '../tensor/tensor';
import { flatten, unflatten } from '../tree/flatten';
import type { Leaf, Tree } from '../tree/types';
import { adjointAs, stopGradient } from './leaves';
import { Accumulator, recordingTape, Tape, watchUntraced, withRecording } from './tape';

/** The adjoint tree of a state from the adjoints of its tensor leaves (undefined: zero). */
function adjointTree(primal: Tree, adjointOf: (leaf: Leaf, k: number) => Tensor | undefined): Tree {
  const { structure, leaves } = flatten(primal, 'state');
  return unflatten(structure, leaves.map((leaf, k) => adjointAs(leaf, leaf instanceof Tensor ? adjointOf(leaf, k) : undefined)));
}

class LoopRun<S extends Tree> {
  /** Adjoints of the enclosing-trace values the steps closed over, summed over steps. */
  private readonly capturedAdjoints = new Map<Tensor, Tensor>();
  private readonly sums = new Accumulator();
  /** Whether any step read a traced value of an enclosing trace. */
  private touched = false;
  private readonly localTapes = new Set<Tape>();
  readonly sweep: Sweep<S>;

  constructor(
    private readonly outer: Tape,
    private readonly userStep: StepFn<S>,
    cond: ((state: S, index: number) => boolean) | undefined,
    init: S,
    schedule: Schedule,
    options: SweepOptions,
  ) {
    const hooks = {
      step: (x: S, i: number) => stopGradient(this.plain(() => this.userStep(x, i))),
      stepVjp: (x: S, i: number) => this.taped(x, i),
      cond: cond && ((x: S, i: number) => this.plain(() => cond(x, i))),
    };
    this.sweep = createSweep<S>(hooks, stopGradient(init), schedule, options);
  }

  private plain<T>(fn: () => T): T {
    const [value, touched] = watchUntraced(fn);
    if (touched) this.touched = true;
    return value;
  }

  private taped(x: S, i: number): readonly [S, Pullback<S>] {
    const tape = new Tape(this.outer, true);
    this.localTapes.add(tape);
    const done = () => {
      this.localTapes.delete(tape);
      tape.release();
    };
    try {
      const { structure, leaves } = flatten(x, 'state');
      const inputs = leaves.map((leaf) => (leaf instanceof Tensor ? tape.leaf(leaf) : leaf));
      const y = withRecording(tape, () => this.userStep(unflatten(structure, inputs) as S, i));
      if (tape.captures().next().done === false) this.touched = true;
      const pullback: Pullback<S> = (gy) => {
        try {
          const outputs = flatten(y, 'state').leaves;
          const seeds = flatten(gy, 'adjoint')
            .leaves.map((g, k) => [outputs[k], g] as const)
            .filter((pair): pair is readonly [Tensor, Tensor] => pair[0] instanceof Tensor && tape.slot(pair[0]) >= 0);
          const adjointOf = tape.backward(seeds);
          for (const [outerValue, local] of tape.captures()) {
            const a = adjointOf(local);
            if (a !== undefined) this.capturedAdjoints.set(outerValue, this.sums.add(this.capturedAdjoints.get(outerValue), a));
          }
          const gx = adjointTree(x, (_, k) => adjointOf(inputs[k] as Tensor));
          return gx as S;
        } finally {
          done();
        }
      };
      return [stopGradient(y), pullback];
    } catch (error) {
      done();
      throw error;
    }
  }

  /**
   * Runs the forward sweep and records the loop on the enclosing tape; a loop that
   * read no traced value is a constant and is not recorded.
   */
  forward(init: S): S {
    const xn = this.sweep.forward();
    const initLeaves = flatten(init, 'state').leaves;
    const tracedInit = initLeaves.filter((leaf): leaf is Tensor => leaf instanceof Tensor && this.outer.slot(leaf) >= 0);
    if (tracedInit.length === 0 && !this.touched) {
      this.release();
      return xn;
    }
    const { structure, leaves } = flatten(xn, 'state');
    const tensorAt = leaves.flatMap((leaf, k) => (leaf instanceof Tensor ? [k] : []));
    const traced = this.outer.record(
      tensorAt.map((k) => leaves[k] as Tensor),
      (outIds) => ({
        outIds,
        pull: (gOuts, acc) => {
          const gAt = new Map(tensorAt.map((k, j) => [k, gOuts[j]]));
          const gxn = adjointTree(xn, (_, k) => gAt.get(k));
          const gx0 = this.sweep.backward(gxn as S);
          const g0 = flatten(gx0, 'adjoint').leaves;
          initLeaves.forEach((leaf, k) => {
            if (leaf instanceof Tensor && this.outer.slot(leaf) >= 0) acc(leaf, g0[k] as Tensor);
          });
          for (const [value, a] of this.capturedAdjoints) {
            this.sums.release(a);
            acc(value, a);
          }
          this.capturedAdjoints.clear();
        },
        release: () => this.release(),
      }),
    );
    const out = [...leaves];
    tensorAt.forEach((k, j) => (out[k] = traced[j]));
    return unflatten(structure, out) as S;
  }

  release(): void {
    this.sweep.dispose();
    for (const tape of this.localTapes) tape.release();
    this.localTapes.clear();
  }
}

export const tapeLoopDifferentiator: LoopDifferentiator = {
  active: () => recordingTape() !== null,
  run<S extends Tree>(hooks: { step: StepFn<S>; cond?: (state: S, index: number) => boolean }, init: S, schedule: Schedule, options: SweepOptions): S {
    const outer = recordingTape();
    if (outer === null) throw new Error('internal: the loop differentiator ran without a recording tape');
    const loop = new LoopRun(outer, hooks.step, hooks.cond, init, schedule, options);
    try {
      return loop.forward(init);
    } catch (error) {
      loop.release();
      throw error;
    }
  },
};

setLoopDifferentiator(tapeLoopDifferentiator);
