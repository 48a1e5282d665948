/**
 * @checkpoint loops in compiler-generated gradients: the engine's sweep driven by the
 * generated step and step adjoint.
 * - Adjoints cross the engine boundary densified (the engine checks that they have the
 *   structure of the state; generated code may hold the symbolic zero 0 for a subtree).
 * - The global RNG state travels with the state, as the tape's loops do it, so a
 *   recomputed step draws the same random numbers as the first time it ran.
 */
import { buildSchedule, checkLoopOptions, type CheckpointedLoopOptions } from '../checkpoint/schedule-choice';
import { createSweep } from '../checkpoint/sweep';
import type { StepHooks, Sweep } from '../checkpoint/types';
import { getRngState, setRngState, type RngState } from '../random/index';
import type { Tree } from '../tree/types';
import { densify } from './adjoints';

export type LoopOptions = Pick<CheckpointedLoopOptions, 'snapshots' | 'schedule' | 'ram' | 'disk' | 'verbose'>;

type SweepObserver = (sweep: Sweep, options: LoopOptions) => void;
const observers = new Set<SweepObserver>();

/** Calls `observer` with every sweep a compiled gradient creates (tests read its counters); returns the unsubscribe function. */
export function observeSweeps(observer: SweepObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** The state as the engine sees it: the loop's own state and the RNG state before the next step. */
type WithRng<S> = [S, Float64Array];

const rngLeaf = (): Float64Array => Float64Array.from(getRngState());
const restoreRng = (leaf: Float64Array): void => setRngState(Array.from(leaf) as unknown as RngState);

/** `steps` undefined: the loop's length is found as it runs (online schedules; hooks.cond required). */
export function loop<S extends Tree>(hooks: StepHooks<S>, init: S, steps: number | undefined, options: LoopOptions): Sweep<S> {
  checkLoopOptions(options, steps, 'compiled @checkpoint loop');
  const schedule = buildSchedule(options, steps);
  const engineHooks: StepHooks<WithRng<S>> = {
    step: ([x, rng], i) => {
      restoreRng(rng);
      return [hooks.step(x, i), rngLeaf()];
    },
    stepVjp: ([x, rng], i) => {
      restoreRng(rng);
      const [y, pullback] = hooks.stepVjp(x, i);
      return [[y, rngLeaf()], ([g]) => [densify(pullback(g), x) as S, new Float64Array(rng.length)]];
    },
    cond: hooks.cond && (([x], i) => hooks.cond!(x, i)),
  };
  const sweep = createSweep<WithRng<S>>(engineHooks, [init, rngLeaf()], schedule, { verbose: options.verbose });
  let final: WithRng<S> | undefined;
  const wrapped: Sweep<S> = {
    forward: () => {
      final = sweep.forward();
      restoreRng(final[1]);
      return final[0];
    },
    backward: (adjointOut) => {
      const outside = getRngState();
      try {
        const [x, rng] = final!;
        return sweep.backward([densify(adjointOut, x) as S, new Float64Array(rng.length)])[0];
      } finally {
        setRngState(outside);
      }
    },
    dispose: () => sweep.dispose(),
    get counters() {
      return sweep.counters;
    },
    get steps() {
      return sweep.steps;
    },
  };
  for (const observe of observers) observe(wrapped, options);
  return wrapped;
}
