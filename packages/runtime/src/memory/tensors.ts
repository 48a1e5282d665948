/**
 * Live DSL tensors in the ledger's 'tensors' category. Opt-in: counting costs a WeakMap entry
 * and a FinalizationRegistry registration per new buffer, which made creating 4-element tensors
 * about 7x slower and 16k-element ones 1.4-1.8x (measured); off, the Tensor constructor pays
 * one property read (no difference measurable from the constructor without it).
 *
 * What the figure is, exactly: the bytes of every ArrayBuffer under a DSL tensor created
 * while tracking was on, from the first such tensor until the buffer's finalizer runs,
 * less the buffers a live tape or RAM snapshot holds (counted there: each byte is in one
 * category; a buffer they held before it was first counted would be in both). Views (reshape,
 * traced copies) share their buffer and add nothing; a buffer is counted whole even under a
 * tensor that views only part of it. Tensors created while tracking was off are not counted,
 * even if they outlive it (a view made of one with tracking on counts its buffer). Reading a
 * typed array's buffer gives a tiny one (64 bytes or less) its own backing store in V8: a cost
 * paid only while tracking.
 *
 * The figure lags garbage collection: a buffer leaves the count when its finalizer runs,
 * which V8 schedules after the collection, between event-loop tasks. In synchronous code
 * (a training loop that never awaits) it therefore only grows, by every tensor allocated.
 * It is an exact count of tensor data allocated and not yet finalized, not an estimate of
 * what is reachable.
 */
import { ledger } from './ledger';

interface CountedBuffer {
  readonly bytes: number;
  /** Tapes and RAM snapshots holding the buffer (they count its bytes while they do). */
  claims: number;
}

/** @internal Read by the Tensor constructor: while `on` is false, tensors are not counted. */
export const tensorCounting = { on: false };

let switchedOn = false;
let regionHolds = 0;
/** Buffers counted and not yet finalized: while there are none, claims need no lookup. */
let liveBuffers = 0;

const counted = new WeakMap<ArrayBufferLike, CountedBuffer>();
const finalizers = new FinalizationRegistry<CountedBuffer>((buffer) => {
  liveBuffers--;
  if (buffer.claims === 0) ledger.sub('tensors', buffer.bytes);
});

function update(): void {
  tensorCounting.on = switchedOn || regionHolds > 0;
}

/**
 * Count DSL tensors created from now on (true) or stop counting new ones (false); buffers
 * already counted stay counted until they are finalized. Monitors' regions may hold counting
 * on meanwhile (see holdTensorTracking). Returns the previous setting of this switch, for
 * restoring it.
 */
export function trackTensorMemory(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new Error(`trackTensorMemory: on must be true or false, got ${JSON.stringify(on)}`);
  const previous = switchedOn;
  switchedOn = on;
  update();
  return previous;
}

/** Whether tensors created now are counted: the switch is on or a monitor's region holds it on. */
export function tensorTracking(): boolean {
  return tensorCounting.on;
}

/**
 * Holds counting on until the returned function is called (once; later calls do nothing).
 * Holds nest and overlap freely: counting returns to trackTensorMemory's setting when the
 * last is released. Monitors hold it for the regions they measure.
 */
export function holdTensorTracking(): () => void {
  regionHolds++;
  update();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    regionHolds--;
    update();
  };
}

/** @internal The Tensor constructor's hook, called while tensorCounting.on. */
export function countTensorData(data: ArrayBufferView): void {
  const buffer = data.buffer;
  if (counted.has(buffer)) return;
  const entry: CountedBuffer = { bytes: buffer.byteLength, claims: 0 };
  counted.set(buffer, entry);
  finalizers.register(buffer, entry);
  liveBuffers++;
  ledger.add('tensors', entry.bytes);
}

/** @internal Whether any buffer is counted: holders need not look for claims while none is. */
export function tensorDataCounted(): boolean {
  return liveBuffers > 0;
}

/**
 * @internal A tape or RAM snapshot that counts `data` in its own category takes the buffer
 * out of 'tensors' while it holds it. True when the buffer was counted here: the holder
 * must then call releaseTensorData(data) when it lets go.
 */
export function claimTensorData(data: ArrayBufferView): boolean {
  if (liveBuffers === 0) return false;
  const entry = counted.get(data.buffer);
  if (entry === undefined) return false;
  if (entry.claims++ === 0) ledger.sub('tensors', entry.bytes);
  return true;
}

/** @internal Ends a claim: the buffer counts as a live tensor again until it is finalized. */
export function releaseTensorData(data: ArrayBufferView): void {
  const entry = counted.get(data.buffer);
  if (entry === undefined || entry.claims === 0) throw new Error('internal: releaseTensorData without a claim');
  if (--entry.claims === 0) ledger.add('tensors', entry.bytes);
}
