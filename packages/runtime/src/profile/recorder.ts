/**
 * What the checkpointing engine reports while profilers listen: the sweep and
 * checkpoint(fn) call these as they act, so every figure a profiler shows is counted
 * where it happens. With no profiler running each call is one length check.
 */

export interface CheckpointEvents {
  /** A sweep stored a state (one save action). */
  snapshotSaved(): void;
  /** A sweep evaluated one step plainly (part of an advance action). */
  advanced(): void;
  /** A unit was evaluated on a tape: a loop step in a reverse action or a checkpointed function's recomputation; `tapeBytes` is what its tape holds. */
  taped(tapeBytes: number): void;
  /** checkpoint(fn) kept its inputs instead of fn's intermediates. */
  checkpointedCall(): void;
  /** checkpoint(fn) evaluated fn again in the backward pass. */
  recomputed(): void;
}

const listeners: CheckpointEvents[] = [];

/** The listeners to notify, or undefined when none is (the engine skips the work of measuring). */
export function profiling(): readonly CheckpointEvents[] | undefined {
  return listeners.length === 0 ? undefined : listeners;
}

export function listen(events: CheckpointEvents): void {
  if (!listeners.includes(events)) listeners.push(events);
}

export function unlisten(events: CheckpointEvents): void {
  const i = listeners.indexOf(events);
  if (i >= 0) listeners.splice(i, 1);
}
