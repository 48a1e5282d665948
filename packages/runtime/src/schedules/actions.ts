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
 * A checkpoint schedule. Offline schedules know `steps` and ignore the argument of
 * `actions`. Online ones (`steps === undefined`) discover the loop length n as they go,
 * by being told at every state x_m they reach whether the loop continues past it
 * (the loop condition at x_m), before they yield anything at x_m:
 * - `actions(continues)` receives it for x_0: false means n = 0;
 * - while the length is unknown, every `advance` must be one step, x_m to x_{m+1}, and
 *   the driver answers it through `next(continues)` for x_{m+1}: false means n = m + 1.
 * So a schedule need never store x_n, and may not advance past it. Once it is told
 * false, the length is known and it emits the reverse sweep for n (its advances are
 * then answered with undefined, like every other action).
 */
export interface Schedule {
  /** Short name, e.g. "revolve", "uniform", "store-all", "online", "multistage". */
  readonly name: string;
  /** Number of steps n, or undefined when the loop length is unknown (online). */
  readonly steps: number | undefined;
  /** Most states this schedule ever holds at once in each tier. */
  readonly limits: { readonly ram: number; readonly disk: number };
  /** A fresh generator of the schedule's actions; online: `continues` tells whether the loop runs past x_0. */
  actions(continues?: boolean): Generator<Action, void, boolean | undefined>;
}
