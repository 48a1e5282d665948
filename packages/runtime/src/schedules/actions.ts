/**
 * The vocabulary every checkpoint schedule speaks (the checkpoint_schedules design):
 * a schedule is a pure generator of these records and knows nothing about states.
 * One driver (checkpoint/sweep.ts) executes them; test/schedules replays them
 * against a symbolic storage model.
 *
 * Indexing: x_0 is the initial state and x_i the state after i steps. "Step i"
 * (1 <= i <= n) maps x_{i-1} to x_i; the user's step callback receives the
 * 0-based loop index i - 1.
 */

/** Where a stored state lives. */
export type Tier = 'ram' | 'disk';

export type Action =
  /** Plain (untaped) evaluation of steps from+1..to. Current state x_from becomes x_to. */
  | { readonly type: 'advance'; readonly from: number; readonly to: number }
  /** Store a copy of the current state, which is x_step, in the given tier. */
  | { readonly type: 'save'; readonly step: number; readonly tier: Tier }
  /** Make the stored x_step the current state; the stored copy stays. */
  | { readonly type: 'restore'; readonly step: number; readonly tier: Tier }
  /** Free the stored x_step. */
  | { readonly type: 'drop'; readonly step: number; readonly tier: Tier }
  /**
   * Taped evaluation of step `step` from the current state x_{step-1}, followed by
   * its adjoint. The current state stays x_{step-1}. Reverses run in order n..1.
   */
  | { readonly type: 'reverse'; readonly step: number }
  /** The sweep is complete: nothing may remain stored. */
  | { readonly type: 'end' };

/**
 * A checkpoint schedule. Offline schedules know `steps`; online ones
 * (`steps === undefined`) discover the loop length as they go: each forward
 * `advance` is one step, and the driver answers it through `next(ran)`, where
 * `ran` is false when the loop condition failed at x_from (so n = from and the
 * step did not run). After a `false`, the schedule emits the reverse sweep for n.
 */
export interface Schedule {
  /** Short name, e.g. "revolve", "uniform", "store-all", "online", "multistage". */
  readonly name: string;
  /** Number of steps n, or undefined when the loop length is unknown (online). */
  readonly steps: number | undefined;
  /** Most states this schedule ever holds at once in each tier. */
  readonly limits: { readonly ram: number; readonly disk: number };
  /** A fresh generator of the schedule's actions. */
  actions(): Generator<Action, void, boolean | undefined>;
}
