import { HOST_RAM_CATEGORIES, LEDGER_CATEGORIES, ledger, LedgerCounts, LedgerWindow } from './ledger';
import { MemoryFigures, readFigures } from './figures';
import { mb, signedMb } from './format';
import { ResolvedIO } from './io';
import { announceRss, listenToRss } from './rss-listeners';
import { holdTensorTracking } from './tensors';

/** What one measured region did to memory. Bytes throughout. */
export interface RegionReport {
  label: string;
  /** The measured code threw or rejected. */
  threw: boolean;
  before: MemoryFigures;
  after: MemoryFigures;
  /**
   * Highest RSS seen: the two endpoints, the timer's samples and every reading a
   * monitor took inside the region. A lower bound of the true peak (sampling can
   * miss a short spike).
   */
  peakRss: number;
  /**
   * RSS readings between the endpoints: the timer's samples (none in synchronous
   * code, which the timer cannot interrupt) and the readings monitors took inside.
   */
  rssSamples: number;
  /** Exact peak of each runtime category within the region. */
  runtimePeak: LedgerCounts;
  /** Exact peak of live tensors + work buffers + RAM snapshots + tapes held at one moment within the region. */
  runtimeRamPeak: number;
}

/**
 * An open measurement: figures at the start, an exact ledger window, a listener for
 * the RSS readings taken while it is open, (with `trackTensors`) a hold on tensor
 * tracking, and (once startSampling is called) a timer sampling RSS. close() always
 * releases them all.
 */
export class MemoryRegion {
  private readonly before: MemoryFigures;
  private readonly window: LedgerWindow;
  private readonly stopListening: () => void;
  private readonly releaseTensors: (() => void) | undefined;
  private stopTimer: (() => void) | undefined;
  private peakRss: number;
  private samples = 0;
  private closed = false;

  constructor(
    private readonly label: string,
    private readonly io: ResolvedIO,
    trackTensors = false,
  ) {
    this.before = readFigures(io.probe);
    this.peakRss = this.before.rss;
    this.window = ledger.openWindow(HOST_RAM_CATEGORIES);
    this.stopListening = listenToRss({
      probe: io.probe,
      heard: (rss) => {
        if (rss > this.peakRss) this.peakRss = rss;
        this.samples++;
      },
    });
    this.releaseTensors = trackTensors ? holdTensorTracking() : undefined;
  }

  /** Sample RSS on a timer until close(); it only fires while the JS thread is idle (awaiting). */
  startSampling(): void {
    if (this.stopTimer || this.closed) return;
    this.stopTimer = this.io.timer(() => this.sample(), this.io.sampleIntervalMs);
  }

  /** Take one RSS sample now (the timer's tick; loops may also call it at each step); every region open on the probe hears it. */
  sample(): void {
    announceRss(this.io.probe, this.io.probe().rss);
  }

  close(threw: boolean): RegionReport {
    if (this.closed) throw new Error(`MemoryRegion '${this.label}' closed twice`);
    this.closed = true;
    try {
      this.stopTimer?.();
    } finally {
      this.stopListening();
      this.window.close();
      this.releaseTensors?.();
    }
    const after = readFigures(this.io.probe);
    const runtimePeak = {} as LedgerCounts;
    for (const c of LEDGER_CATEGORIES) runtimePeak[c] = this.window.peak(c);
    return {
      label: this.label,
      threw,
      before: this.before,
      after,
      peakRss: Math.max(this.peakRss, after.rss),
      rssSamples: this.samples,
      runtimePeak,
      runtimeRamPeak: this.window.peakTotal,
    };
  }
}

/**
 * The guide's two lines:
 *   [Memory] label: CPU +12.3 MB, GPU +0.0 MB (peak 140.2 MB)
 *            Peak runtime: RAM 12.0 MB (tensors 2.0 MB, buffers 6.0 MB, snapshots 4.0 MB, tapes 0.0 MB), disk 0.0 MB, GPU 0.0 MB
 * CPU is RSS and its peak is the sampled one; the second line is exact.
 */
export function formatRegion(r: RegionReport): string[] {
  const p = r.runtimePeak;
  const name = r.threw ? `${r.label} (threw)` : r.label;
  return [
    `[Memory] ${name}: CPU ${signedMb(r.after.rss - r.before.rss)} MB, ` +
      `GPU ${signedMb(r.after.runtime.gpu - r.before.runtime.gpu)} MB (peak ${mb(r.peakRss)} MB)`,
    `         Peak runtime: RAM ${mb(r.runtimeRamPeak)} MB (tensors ${mb(p.tensors)} MB, buffers ${mb(p.buffers)} MB, ` +
      `snapshots ${mb(p.snapshotsRam)} MB, tapes ${mb(p.tapes)} MB), disk ${mb(p.snapshotsDisk)} MB, GPU ${mb(p.gpu)} MB`,
  ];
}
