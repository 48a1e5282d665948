/**
 * adaptiveCheckpoint(fn, thresholdBytes): checkpoint fn only where it pays. What a call
 * would keep is measured, not estimated: fn runs once on a probe tape and the bytes of
 * everything it recorded are its intermediates. Calls whose intermediates exceed the
 * threshold are checkpointed; the others are taped as usual. The measurement is made
 * once per shape of the arguments (the bytes follow from the shapes) and remembered;
 * it assumes the tensor arguments are differentiated (a call on constants keeps nothing
 * either way).
 */
import { untraced } from '../autodiff/leaves';
import { recordingTape, Tape, withRecording } from '../autodiff/tape';
import { ledger } from '../memory/ledger';
import { getRngState, setRngState } from '../random/index';
import { structureOf } from '../tree/structure';
import type { Tree } from '../tree/types';
import { checkpoint, type CheckpointOptions } from './checkpoint';
import { checkFunction, holdsTensor, mapTensors } from './inputs';

export interface AdaptiveCheckpoint<A extends unknown[], R extends Tree> {
  (...inputs: A): R;
  /** Tape bytes fn keeps for arguments of the shapes of `inputs` (measured on first use). */
  keptBytes(...inputs: A): number;
}

export function adaptiveCheckpoint<A extends unknown[], R extends Tree>(
  fn: (...inputs: A) => R,
  thresholdBytes: number,
  options: CheckpointOptions = {},
): AdaptiveCheckpoint<A, R> {
  checkFunction(fn, 'fn', 'adaptiveCheckpoint');
  if (typeof thresholdBytes !== 'number' || !(thresholdBytes >= 0)) {
    throw new RangeError(`adaptiveCheckpoint: thresholdBytes must be a number of bytes >= 0, got ${String(thresholdBytes)}`);
  }
  const checkpointed = checkpoint(fn, options);
  const measured = new Map<string, number>();
  const keptBytes = (...inputs: A): number => {
    const key = shapeKey(inputs);
    let bytes = measured.get(key);
    if (bytes === undefined) {
      bytes = probe(fn, inputs);
      measured.set(key, bytes);
    }
    return bytes;
  };
  const call = (...inputs: A): R => {
    if (recordingTape() === null) return fn(...inputs);
    return keptBytes(...inputs) > thresholdBytes ? checkpointed(...inputs) : fn(...inputs);
  };
  return Object.assign(call, { keptBytes });
}

/** The shapes (structures) of the tensor-holding arguments and the kinds of the others. */
function shapeKey(inputs: readonly unknown[]): string {
  return JSON.stringify(inputs.map((x) => (holdsTensor(x) ? structureOf(x as Tree, 'input') : typeof x)));
}

/**
 * The bytes fn records when differentiated with respect to its tensor arguments. They
 * become leaves of a probe tape, which also captures traced values fn reads from its
 * closure; leaves are not counted, so exactly fn's own results are. The RNG is put
 * back: the real call must draw what the probe drew.
 */
function probe<A extends unknown[]>(fn: (...inputs: A) => unknown, inputs: A): number {
  const rng = getRngState();
  const tape = new Tape(recordingTape(), true);
  const before = ledger.current('tapes');
  try {
    const args = inputs.map((x) => mapTensors(x, (t) => tape.leaf(untraced(t)))) as A;
    withRecording(tape, () => fn(...args));
    return ledger.current('tapes') - before;
  } finally {
    tape.release();
    setRngState(rng);
  }
}
