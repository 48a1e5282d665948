/**
 * checkpoint(fn)(...args) in compiler-generated gradients: the forward sweep runs fn
 * plainly and keeps its arguments and the RNG state; the reverse sweep runs fn's
 * generated VJP again from them (drawing the same random numbers), as the runtime's
 * checkpoint does on the tape.
 */
import { getRngState, setRngState, type RngState } from '../random/index';

/** fn(...args) and the RNG state it started from. */
export function region<A extends unknown[], R>(fn: (...args: A) => R, args: A): [R, RngState] {
  const rng = getRngState();
  return [fn(...args), rng];
}

/** Runs `recompute` from the RNG state a region started from, then puts the current state back. */
export function replay<T>(rng: RngState, recompute: () => T): T {
  const outside = getRngState();
  setRngState(rng);
  try {
    return recompute();
  } finally {
    setRngState(outside);
  }
}
