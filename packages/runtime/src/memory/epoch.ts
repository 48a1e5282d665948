import { hostRamBytes, readFigures } from './figures';
import { mb } from './format';
import { MonitorIO, resolveIO, ResolvedIO } from './io';
import { MemoryRegion, RegionReport } from './region';

export interface EpochMonitorOptions extends MonitorIO {
  /** Default true. */
  enabled?: boolean;
  /** Print detail for the first `batches` batches of each epoch (default 5). */
  batches?: number;
  /** Count the DSL tensors created during each epoch (see TrackOptions.trackTensors). Default false. */
  trackTensors?: boolean;
  /** Name of one step in the printed lines: "Batch" (default), or e.g. "Loss evaluation" for an optimizer. */
  unit?: string;
}

export interface EpochReport extends RegionReport {
  /** batch() calls in the epoch. */
  batches: number;
}

export const DEFAULT_MONITOR_BATCHES = 5;

export function checkBatchCount(n: number, key: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${key} must be a non-negative integer, got ${n}`);
  return n;
}

/**
 * Light monitoring for a training or optimization loop:
 *     Batch 0: GPU 23.1 MB, CPU 1645.1 MB, runtime 12.0 MB, loss=0.014553
 *     ...
 *     Epoch end: GPU 23.1 MB, CPU 1645.2 MB, peak CPU 2880.3 MB, peak runtime 140.2 MB, peak GPU 25.3 MB
 * The CPU (RSS) peak is sampled at every batch(), at every other reading a monitor
 * takes during the epoch, and by an unref'd timer while the loop awaits; the runtime
 * and GPU peaks are exact. Call endEpoch() to stop the timer. Disabled, every method
 * returns at once: no reading, timer, allocation or output.
 */
export class EpochMemoryMonitor {
  readonly enabled: boolean;
  readonly batches: number;
  private readonly unit: string;
  private readonly trackTensors: boolean;
  private readonly io: ResolvedIO;
  private region: MemoryRegion | undefined;
  private seen = 0;

  constructor(options: EpochMonitorOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.batches = checkBatchCount(options.batches ?? DEFAULT_MONITOR_BATCHES, 'EpochMemoryMonitor: batches');
    this.unit = options.unit ?? 'Batch';
    this.trackTensors = options.trackTensors ?? false;
    this.io = resolveIO(options, 'EpochMemoryMonitor');
  }

  /** Optional: batch() starts an epoch if none is open. An unfinished epoch is abandoned without output. */
  startEpoch(): void {
    if (!this.enabled) return;
    this.region?.close(false);
    this.region = new MemoryRegion('epoch', this.io, this.trackTensors);
    this.region.startSampling();
    this.seen = 0;
  }

  batch(index: number, loss?: number): void {
    if (!this.enabled) return;
    if (!this.region) this.startEpoch();
    const region = this.region as MemoryRegion;
    this.seen++;
    if (index >= this.batches) {
      region.sample();
      return;
    }
    const f = readFigures(this.io.probe); // the region hears this reading
    const lossText = loss === undefined ? '' : `, loss=${loss.toFixed(6)}`;
    this.io.sink(`  ${this.unit} ${index}: GPU ${mb(f.runtime.gpu)} MB, CPU ${mb(f.rss)} MB, runtime ${mb(hostRamBytes(f.runtime))} MB${lossText}`);
  }

  /** Prints the epoch's end figures and peaks; undefined (and no output) if no epoch is open. */
  endEpoch(): EpochReport | undefined {
    if (!this.enabled || !this.region) return undefined;
    const r = this.region.close(false);
    this.region = undefined;
    this.io.sink(
      `  Epoch end: GPU ${mb(r.after.runtime.gpu)} MB, CPU ${mb(r.after.rss)} MB, peak CPU ${mb(r.peakRss)} MB, ` +
        `peak runtime ${mb(r.runtimeRamPeak)} MB, peak GPU ${mb(r.runtimePeak.gpu)} MB`,
    );
    return { ...r, batches: this.seen };
  }
}
