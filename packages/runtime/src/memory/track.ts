import { MonitorIO, resolveIO, ResolvedIO } from './io';
import { formatRegion, MemoryRegion, RegionReport } from './region';

export interface TrackOptions extends MonitorIO {
  /** false: run the function untouched (no reading, timer, allocation or output). Default true. */
  enabled?: boolean;
  /**
   * Count the DSL tensors created while the region is open in the ledger's 'tensors'
   * (trackTensorMemory's semantics; counting returns to its previous state after). Default false.
   */
  trackTensors?: boolean;
  /** Receives the structured report after it is printed. */
  onReport?: (report: RegionReport) => void;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}

function finish(region: MemoryRegion, threw: boolean, io: ResolvedIO, onReport: TrackOptions['onReport']): void {
  const report = region.close(threw);
  for (const line of formatRegion(report)) io.sink(line);
  onReport?.(report);
}

function track<T>(label: string, fn: () => T, io: ResolvedIO, options: TrackOptions): T {
  const { onReport } = options;
  const region = new MemoryRegion(label, io, options.trackTensors);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    finish(region, true, io, onReport);
    throw error;
  }
  if (!isThenable(result)) {
    finish(region, false, io, onReport);
    return result;
  }
  region.startSampling();
  return result.then(
    (value) => {
      finish(region, false, io, onReport);
      return value;
    },
    (error: unknown) => {
      finish(region, true, io, onReport);
      throw error;
    },
  ) as T;
}

/**
 * Runs `fn` and prints what it did to memory:
 *   [Memory] label: CPU +x MB, GPU +y MB (peak z MB)
 *            Peak runtime: RAM ... (exact, from the ledger)
 * An async `fn` (one returning a promise) is measured until it settles, with RSS
 * sampled by an unref'd timer every `sampleIntervalMs` meanwhile. A synchronous `fn`
 * holds the JS thread, so no timer can fire during it: its RSS peak is only the
 * larger of the before/after readings, and the ledger's exact peaks are what show
 * transient runtime memory there. If `fn` throws or rejects, the region is still
 * closed and reported (marked "(threw)") and the error propagates unchanged.
 */
export function trackMemory<T>(label: string, fn: () => T, options: TrackOptions = {}): T {
  if (options.enabled === false) return fn();
  return track(label, fn, resolveIO(options, 'trackMemory'), options);
}

/**
 * TS 5 standard method decorator (not experimentalDecorators): every call of the
 * method is measured as by trackMemory, labelled `label` or the method's name.
 * With `enabled: false` the method is left as it is.
 */
export function monitorMemory(label?: string, options: TrackOptions = {}) {
  const io = options.enabled === false ? undefined : resolveIO(options, 'monitorMemory');
  return function <This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R {
    if (context.kind !== 'method') throw new Error(`@monitorMemory applies to methods, not to a ${String(context.kind)}`);
    if (io === undefined) return method;
    const name = label ?? String(context.name);
    return function (this: This, ...args: Args): R {
      return track(name, () => method.apply(this, args), io, options);
    };
  };
}
