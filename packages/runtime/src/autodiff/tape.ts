/**
 * The tape: a linear record of the operations applied to traced tensors, replayed
 * backwards to accumulate adjoints. A traced tensor is an ordinary Tensor whose
 * `_trace` names the tape and its slot; operations on traced inputs append an entry
 * while the tape is the one recording.
 *
 * Tapes nest. A tape made by grad inside another grad's function refuses values of
 * the outer trace (that would be higher-order differentiation, which this tape does
 * not do). A tape made for one step of a checkpointed loop instead *captures* values
 * of enclosing traces (the weights the step closes over) as its own leaves, so the
 * loop can hand their accumulated adjoints to the enclosing tape.
 *
 * 'tapes' in the memory ledger counts the distinct buffers of values the live tapes
 * created (recorded results and custom residuals): what dropping the tape would free.
 * Leaves, constants and buffers shared with them (reshape) are not counted. A buffer
 * counted here leaves the ledger's live 'tensors' while the tape holds it.
 */
import { ledger } from '../memory/ledger';
import { claimTensorData, releaseTensorData } from '../memory/tensors';
import { sameShape } from '../tensor/shape';
import { formatShape, Storage, Tensor } from '../tensor/tensor';
import { addKernel } from '../ops/kernels/arith';

/** Receives the adjoint of one input (a tensor traced on this tape or one it captures). */
export type Accumulate = (input: Tensor, adjoint: Tensor) => void;

export interface Entry {
  readonly outIds: readonly number[];
  /** Adjoints of outputs (undefined: none reached it) → calls `acc` for inputs. */
  pull(gOuts: readonly (Tensor | undefined)[], acc: Accumulate): void;
  /** Frees what the entry holds beyond tensors (e.g. a loop's snapshots). */
  release?(): void;
}

let recording: Tape | null = null;
/** Set while a checkpointed loop advances with recording off, to learn whether any traced value was read. */
let watch: { touched: boolean } | null = null;

export function recordingTape(): Tape | null {
  return recording;
}

/** Runs fn with `tape` recording (null: nothing records, traced values compute plainly). */
export function withRecording<T>(tape: Tape | null, fn: () => T): T {
  const previous = recording;
  recording = tape;
  try {
    return fn();
  } finally {
    recording = previous;
  }
}

/** Runs fn with recording off and reports whether it read any traced value. */
export function watchUntraced<T>(fn: () => T): [T, boolean] {
  const previous = watch;
  const mine = { touched: false };
  watch = mine;
  try {
    return [withRecording(null, fn), mine.touched];
  } finally {
    watch = previous;
    if (previous && mine.touched) previous.touched = true;
  }
}

/** Called by operations that ran without recording. */
export function noteUntracedUse(inputs: readonly unknown[]): void {
  if (watch === null || watch.touched) return;
  for (const x of inputs) if (x instanceof Tensor && x.traced) watch.touched = true;
}

export class Tape {
  live = true;
  private nextId = 0;
  private entries: Entry[] = [];
  private readonly captured = new Map<Tensor, Tensor>();
  private readonly seen = new Set<Storage>();
  private bytes = 0;
  /** Held buffers that the ledger also counted as live tensors: claimed until release(). */
  private claimed: Storage[] = [];

  /** `capturing`: values of enclosing traces become leaves of this tape (loop steps) instead of an error. */
  constructor(readonly parent: Tape | null, readonly capturing: boolean) {}

  /** A traced copy of x (sharing its data) that is a leaf of this tape. */
  leaf(x: Tensor): Tensor {
    this.seen.add(x._data);
    return this.traced(new Tensor(x._data, x.shape, x.dtype));
  }

  /** The adjoint slot of x on this tape, or -1 for a constant. */
  slot(x: Tensor): number {
    const trace = x._trace;
    if (trace === undefined || !trace.tape.live) return -1;
    if (trace.tape === this) return trace.id;
    if (!this.encloses(trace.tape as Tape)) {
      throw new Error(
        `A traced Tensor of shape ${formatShape(x.shape)} escaped the function that traced it ` +
          '(a value kept from inside a checkpointed loop step or another grad: pass it as an argument instead; or a grad ' +
          'taken inside a differentiated loop step: that is higher-order differentiation, which is not supported).',
      );
    }
    if (!this.capturing) {
      throw new Error(
        `grad/vjp inside a differentiated function used a value of shape ${formatShape(x.shape)} traced by the enclosing ` +
          'grad: higher-order differentiation is not supported. Apply stopGradient to it if its derivative is not wanted.',
      );
    }
    let local = this.captured.get(x);
    if (local === undefined) {
      local = this.leaf(x);
      this.captured.set(x, local);
    }
    return local._trace!.id;
  }

  /** The enclosing-trace tensors this tape captured, with their local leaves. */
  captures(): IterableIterator<[Tensor, Tensor]> {
    return this.captured.entries();
  }

  private encloses(other: Tape): boolean {
    for (let t = this.parent; t !== null; t = t.parent) if (t === other) return true;
    return false;
  }

  private traced(x: Tensor): Tensor {
    x._trace = { tape: this, id: this.nextId++ };
    return x;
  }

  /** Counts a buffer the tape keeps alive because of what it recorded. */
  hold(data: Storage): void {
    if (this.seen.has(data)) return;
    this.seen.add(data);
    this.bytes += data.byteLength;
    ledger.add('tapes', data.byteLength);
    if (claimTensorData(data)) this.claimed.push(data);
  }

  /** Notes an input's buffer as not the tape's own (a result sharing it is not counted). */
  know(data: Storage): void {
    this.seen.add(data);
  }

  /**
   * Appends an entry whose outputs are the given fresh, untraced results; returns
   * them traced (as new Tensor objects sharing the data).
   */
  record(outputs: readonly Tensor[], makeEntry: (outIds: readonly number[]) => Entry): Tensor[] {
    if (!this.live) throw new Error('internal: recording on a released tape');
    const traced = outputs.map((y) => {
      this.hold(y._data);
      return this.traced(new Tensor(y._data, y.shape, y.dtype));
    });
    this.entries.push(makeEntry(traced.map((y) => y._trace!.id)));
    return traced;
  }

  /**
   * Propagates adjoints from `seeds` (pairs of traced tensor, adjoint) to every slot
   * and returns the adjoint of any tensor of this tape (undefined when none reached it).
   * Runs with recording off; can run once.
   */
  backward(seeds: readonly (readonly [Tensor, Tensor])[]): (x: Tensor) => Tensor | undefined {
    const adj: (Tensor | undefined)[] = new Array(this.nextId);
    const sums = new Accumulator();
    const acc: Accumulate = (x, a) => {
      const id = this.slot(x);
      if (id >= 0) adj[id] = sums.add(adj[id], a);
    };
    withRecording(null, () => {
      for (const [x, a] of seeds) acc(x, a);
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const e = this.entries[i];
        let any = false;
        const gOuts = e.outIds.map((id) => {
          const g = adj[id];
          if (g !== undefined) {
            any = true;
            sums.release(g);
          }
          adj[id] = undefined; // consumed: outputs have no other readers
          return g;
        });
        if (any) e.pull(gOuts, acc);
      }
    });
    return (x) => {
      const id = this.slot(x);
      return id < 0 ? undefined : adj[id];
    };
  }

  /** Drops everything recorded and returns its bytes to the ledger. Idempotent. */
  release(): void {
    if (!this.live) return;
    this.live = false;
    const entries = this.entries;
    this.entries = [];
    this.captured.clear();
    this.seen.clear();
    ledger.sub('tapes', this.bytes);
    this.bytes = 0;
    for (const data of this.claimed) releaseTensorData(data);
    this.claimed = [];
    let failure: unknown;
    for (const e of entries) {
      try {
        e.release?.();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}

/**
 * Sums adjoints. The first sum of two adjoints is a fresh tensor that only the
 * accumulator sees, so later contributions are added into it in place, which saves an
 * allocation per contribution (a weight read by every step of a loop collects one per step).
 * A sum stops being private when it is handed on.
 */
export class Accumulator {
  private readonly own = new Set<Tensor>();

  add(sum: Tensor | undefined, a: Tensor): Tensor {
    if (sum === undefined) return a;
    if (this.own.has(sum) && sum.dtype === a.dtype && sameShape(sum.shape, a.shape)) {
      const s = sum._data;
      const d = a._data;
      for (let i = 0; i < s.length; i++) s[i] += d[i];
      return sum;
    }
    const fresh = addKernel(sum, a);
    this.own.add(fresh);
    return fresh;
  }

  /** `sum` leaves the accumulator's hands: never write into it again. */
  release(sum: Tensor): void {
    this.own.delete(sum);
  }
}
