/**
 * @checkpoint loops in compiler-generated gradients: the engine's sweep driven by the
 * generated step and step adjoint. Adjoints cross the engine boundary densified (the
 * engine checks that they have the structure of the state; generated code may hold the
 * symbolic zero 0 for a subtree). Random draws need nothing here: the engine replays the
 * RNG state with every state it recomputes from, as for the tape's loops.
 */
import { buildSchedule, checkLoopOptions, type CheckpointedLoopOptions } from '../checkpoint/schedule-choice';
import { createSweep } from '../checkpoint/sweep';
import type { StepHooks, Sweep } from '../checkpoint/types';
import type { Tree } from '../tree/types';
import { densify } from './adjoints';

type LoopOptions = Pick<CheckpointedLoopOptions, 'snapshots' | 'schedule' | 'ram' | 'disk' | 'verbose'>;

type SweepObserver = (sweep: Sweep, options: LoopOptions) => void;
const observers = new Set<SweepObserver>();

/** Calls `observer` with every sweep a compiled gradient creates (tests read its counters); returns the unsubscribe function. */
export function observeSweeps(observer: SweepObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** `steps` undefined: the loop's length is found as it runs (online schedules; hooks.cond required). */
export function loop<S extends Tree>(hooks: StepHooks<S>, init: S, steps: number | undefined, options: LoopOptions): Sweep<S> {
  checkLoopOptions(options, steps, 'compiled @checkpoint loop');
  const schedule = buildSchedule(options, steps);
  const engineHooks: StepHooks<S> = {
    step: hooks.step,
    stepVjp: (x, i) => {
      const [y, pullback] = hooks.stepVjp(x, i);
      return [y, (g) => densify(pullback(g), x) as S];
    },
    cond: hooks.cond,
  };
  const sweep = createSweep<S>(engineHooks, init, schedule, { verbose: options.verbose });
  let final: S | undefined;
  const wrapped: Sweep<S> = {
    forward: () => (final = sweep.forward()),
    backward: (adjointOut) => sweep.backward(densify(adjointOut, final!) as S),
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
