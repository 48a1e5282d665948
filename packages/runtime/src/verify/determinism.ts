/**
 * The determinism check of recomputation: a digest (structure + CRC-32 of the numbers)
 * of a value when it is first computed, compared with the digest of every recomputation.
 * Checkpointing is only correct if recomputing gives the same values; a step that reads
 * Math.random, a clock or mutable outside state silently breaks the gradient, and this
 * check turns that into an error at the step that diverged.
 */
import { crc32 } from '../tree/checksum';
import { flatten } from '../tree/flatten';
import { describeStructure } from '../tree/structure';
import { Tensor } from '../tensor/tensor';
import type { Tree } from '../tree/types';

export interface Digest {
  /** The value's structure in words (shapes, dtypes, keys). */
  readonly structure: string;
  /** CRC-32 of its numbers' bytes in flatten order. */
  readonly checksum: number;
}

const NUMBER = new Float64Array(1);
const NUMBER_BYTES = new Uint8Array(NUMBER.buffer);

/** CRC-32 over the bytes of every number in the tree (number leaves as float64). */
export function treeChecksum(tree: Tree): number {
  let crc = 0;
  for (const leaf of flatten(tree, 'value').leaves) {
    if (typeof leaf === 'number') {
      NUMBER[0] = leaf;
      crc = crc32(NUMBER_BYTES, crc);
    } else {
      const data = leaf instanceof Tensor ? leaf._data : leaf;
      crc = crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), crc);
    }
  }
  return crc;
}

export function digest(tree: Tree): Digest {
  return { structure: describeStructure(flatten(tree, 'value').structure), checksum: treeChecksum(tree) };
}

/** A recomputation gave a value other than the first computation's. */
export class DeterminismError extends Error {
  constructor(
    /** What was recomputed: "the step at loop index 7", "checkpointed function 'layer'". */
    readonly what: string,
    readonly first: Digest,
    readonly again: Digest,
  ) {
    const difference =
      first.structure !== again.structure
        ? `its structure changed from ${first.structure} to ${again.structure}`
        : `its values changed (CRC-32 ${hex(first.checksum)} first, ${hex(again.checksum)} recomputed)`;
    super(
      `determinism check failed: ${what} gave a different result when recomputed: ${difference}. ` +
        'Checkpointing needs recomputation to repeat the first computation exactly: draw random numbers from the ' +
        "runtime's generator (rand/randn), not Math.random, and do not read state that changes between calls.",
    );
    this.name = 'DeterminismError';
  }
}

/** Throws a DeterminismError for `what` unless `again` equals `first`. */
export function assertSameDigest(what: string, first: Digest, again: Digest): void {
  if (first.checksum !== again.checksum || first.structure !== again.structure) throw new DeterminismError(what, first, again);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** The option that turns the check on (checkpointedLoop, checkpointedWhile, createSweep, checkpoint). */
export interface DeterminismOption {
  /**
   * Record a digest of every value when it is first computed and compare each
   * recomputation with it; a difference throws a DeterminismError naming the step
   * (or function). Costs one CRC-32 pass over each result (default false).
   */
  determinismCheck?: boolean;
}

/** Validates the option where it is given (`where` names the API for the message). */
export function checkDeterminismOption(value: unknown, where: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`${where}: options.determinismCheck must be a boolean, got ${typeof value}`);
  return value === true;
}
