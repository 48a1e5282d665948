/**
 * Function-level checkpoints: checkpoint(fn)(...inputs) keeps fn's inputs instead of its
 * intermediates and evaluates fn again, on a tape, in the backward pass (PyTorch's
 * checkpoint, the Rust seed's checkpoint_segment / CheckpointGroup). Built on customVjp:
 * the forward runs fn plainly, the backward recomputes it under vjp and pulls back.
 *
 * - Any value tree comes out: tuples and objects of several outputs included.
 * - Random draws replay: the global RNG state is captured before the forward evaluation,
 *   set again for the recomputation, and put back afterwards.
 * - Only the arguments carry gradients. A traced value that fn reads from its closure
 *   would silently get no gradient, so that is an error: pass such values as arguments.
 */
import { customVjp } from '../autodiff/custom';
import { vjp } from '../autodiff/grad';
import { recordingTape, watchUntraced } from '../autodiff/tape';
import { ledger } from '../memory/ledger';
import { profiling } from '../profile/recorder';
import { getRngState, setRngState, type RngState } from '../random/index';
import type { Tree } from '../tree/types';
import { assertSameDigest, checkDeterminismOption, type DeterminismOption, type Digest, digest } from '../verify/determinism';
import { checkFunction, checkOptionKeys, holdsTensor, holdsTraced } from './inputs';

export interface CheckpointOptions extends DeterminismOption {
  /** Names the function in errors (default: fn.name, else 'function'). */
  name?: string;
}

/** Calls and recomputations of checkpointed functions, counted where they happen. */
export interface CheckpointCounters {
  /** Calls under differentiation, which kept their inputs instead of fn's intermediates. */
  calls: number;
  /** Evaluations of fn in the backward pass. */
  recomputations: number;
}

export const CHECKPOINT_OPTION_KEYS = ['name', 'determinismCheck'] as const;

interface Residuals<A> {
  readonly inputs: A;
  readonly rng: RngState;
  readonly first: Digest | undefined;
}

/** checkpoint(fn, options)(...inputs): fn's result, with fn recomputed instead of stored for the backward pass. */
export function checkpoint<A extends unknown[], R extends Tree>(fn: (...inputs: A) => R, options: CheckpointOptions = {}): (...inputs: A) => R {
  return checkpointCounted(fn, options, undefined);
}

/** checkpoint, adding what it does to `counters` (CheckpointGroup shares one set among its functions). */
export function checkpointCounted<A extends unknown[], R extends Tree>(
  fn: (...inputs: A) => R,
  options: CheckpointOptions,
  counters: CheckpointCounters | undefined,
): (...inputs: A) => R {
  checkFunction(fn, 'fn', 'checkpoint');
  checkOptionKeys(options, CHECKPOINT_OPTION_KEYS, 'checkpoint');
  if (options.name !== undefined && typeof options.name !== 'string') throw new TypeError(`checkpoint: options.name must be a string, got ${typeof options.name}`);
  const name = options.name ?? (fn.name || 'function');
  const check = checkDeterminismOption(options.determinismCheck, `checkpoint(${name})`);

  const forward = (...inputs: A): readonly [R, Residuals<A>] => {
    const rng = getRngState();
    const [out, readTraced] = watchUntraced(() => fn(...inputs));
    if (readTraced) {
      throw new Error(
        `checkpoint(${name}): the function read a traced value that is not among its arguments (a closed-over weight?); ` +
          'its gradient would be lost, because only arguments are differentiated through a checkpoint. Pass it as an argument.',
      );
    }
    return [out, { inputs, rng, first: check ? digest(out) : undefined }];
  };

  const backward = ({ inputs, rng, first }: Residuals<A>, adjointOut: R): unknown[] => {
    // Arguments without tensors (numbers, options, strings) get no adjoint: they stay constants of the recomputation.
    const wrt = inputs.flatMap((x, k) => (holdsTensor(x) ? [k] : []));
    const call = (...xs: unknown[]): R => {
      const args = [...inputs] as A;
      wrt.forEach((k, j) => (args[k] = xs[j]));
      return fn(...args);
    };
    const outside = getRngState();
    setRngState(rng);
    try {
      const tapesBefore = ledger.current('tapes');
      const [again, pullback] = vjp(call, ...wrt.map((k) => inputs[k]));
      const tapeBytes = ledger.current('tapes') - tapesBefore;
      const adjoints = pullback(adjointOut); // before the check: pulling back frees the recomputation's tape
      if (counters) counters.recomputations++;
      for (const p of profiling() ?? []) {
        p.recomputed();
        p.taped(tapeBytes);
      }
      if (first) assertSameDigest(`checkpointed function '${name}'`, first, digest(again));
      const out: unknown[] = inputs.map(() => null);
      wrt.forEach((k, j) => (out[k] = adjoints[j]));
      return out;
    } finally {
      setRngState(outside);
    }
  };

  const op = customVjp(forward, backward, name);
  return (...inputs: A): R => {
    const recorded = recordingTape() !== null && inputs.some(holdsTraced);
    const out = op(...inputs);
    if (recorded) {
      if (counters) counters.calls++;
      for (const p of profiling() ?? []) p.checkpointedCall();
    }
    return out;
  };
}
