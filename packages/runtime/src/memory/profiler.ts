import { HOST_RAM_CATEGORIES, ledger, LedgerWindow } from './ledger';
import { MemoryFigures, readFigures } from './figures';
import { describeChange } from './format';
import { MonitorIO, resolveIO, ResolvedIO } from './io';

export interface ProfileCheckpoint {
  label: string;
  figures: MemoryFigures;
}

/** One stage: from one checkpoint to the next. */
export interface ProfileStage {
  from: string;
  to: string;
  before: MemoryFigures;
  after: MemoryFigures;
  /** Exact peak of the runtime's host RAM (tensors + buffers + RAM snapshots + tapes) during the stage. */
  runtimeRamPeak: number;
}

export interface ProfilerOptions extends MonitorIO {
  /** Default true. */
  enabled?: boolean;
}

/**
 * Step-by-step profile of one batch: checkpoint(label) after each stage, then
 * printSummary() for the change between consecutive stages. The runtime's exact
 * peak within each stage shows memory that a stage allocates and frees again
 * (a tape during the backward sweep) and so never appears in the deltas.
 * Disabled, every method returns at once: no reading, allocation or output.
 */
export class BatchMemoryProfiler {
  private readonly io: ResolvedIO;
  private on: boolean;
  private readonly marks: ProfileCheckpoint[] = [];
  private readonly stagePeaks: number[] = [];
  private window: LedgerWindow | undefined;

  constructor(options: ProfilerOptions = {}) {
    this.io = resolveIO(options, 'BatchMemoryProfiler');
    this.on = options.enabled ?? true;
  }

  get enabled(): boolean {
    return this.on;
  }

  enable(): void {
    this.on = true;
  }

  /** Stops profiling and discards what was recorded (a stage cut short has no meaningful peak). */
  disable(): void {
    this.on = false;
    this.reset();
  }

  /** Forget the checkpoints, e.g. after printing one batch's summary. */
  reset(): void {
    this.window?.close();
    this.window = undefined;
    this.marks.length = 0;
    this.stagePeaks.length = 0;
  }

  checkpoint(label: string): void {
    if (!this.on) return;
    if (this.window) {
      this.window.close();
      this.stagePeaks.push(this.window.peakTotal);
    }
    this.marks.push({ label, figures: readFigures(this.io.probe) });
    this.window = ledger.openWindow(HOST_RAM_CATEGORIES);
  }

  get checkpoints(): readonly ProfileCheckpoint[] {
    return this.marks;
  }

  stages(): ProfileStage[] {
    return this.stagePeaks.map((runtimeRamPeak, i) => ({
      from: this.marks[i].label,
      to: this.marks[i + 1].label,
      before: this.marks[i].figures,
      after: this.marks[i + 1].figures,
      runtimeRamPeak,
    }));
  }

  /**
   *     Memory profile:
   *       start → forward: CPU 852.1 MB (+1.9 MB), GPU 0.0 MB (+0.0 MB), runtime 12.0 MB (+8.0 MB, peak 20.0 MB) [tapes +8.0 MB]
   */
  printSummary(): void {
    if (!this.on || this.stagePeaks.length === 0) return;
    this.io.sink('    Memory profile:');
    for (const s of this.stages()) this.io.sink(`      ${s.from} → ${s.to}: ${describeChange(s.before, s.after, s.runtimeRamPeak)}`);
  }
}
