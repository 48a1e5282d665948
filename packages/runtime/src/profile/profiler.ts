/**
 * CheckpointProfiler: what checkpointing did and what it held, counted by the engine
 * while the profiler runs (profile/recorder.ts) and measured by the memory ledger.
 *
 * Memory figures are bytes above what was held when the profiler started. "Store-all"
 * is reverse mode without checkpointing: every taped unit (loop step, checkpointed
 * function) keeps its tape until the backward pass, so it holds the sum of their tape
 * bytes, each measured exactly when the unit was taped. memorySaved compares that sum
 * with the peak this run actually held in snapshots and tapes together. Profile one
 * gradient evaluation at a time: the sum grows with every evaluation, the peak does not.
 */
import { ledger, type LedgerWindow } from '../memory/ledger';
import { type CheckpointEvents, listen, unlisten } from './recorder';

export interface CheckpointReport {
  /** snapshotsSaved + checkpointedCalls: every place where inputs were kept instead of intermediates. */
  readonly checkpoints: number;
  /** States stored by checkpointed loops (save actions). */
  readonly snapshotsSaved: number;
  /** checkpoint(fn) calls under differentiation. */
  readonly checkpointedCalls: number;
  /** Plain step evaluations of checkpointed loops (the schedule's advances). */
  readonly advances: number;
  /** Re-evaluations of checkpointed functions in the backward pass. */
  readonly recomputations: number;
  /** Loop steps and checkpointed functions evaluated on a tape. */
  readonly tapedUnits: number;
  /** Highest bytes held in snapshots (RAM and disk). */
  readonly peakSnapshotBytes: number;
  /** Highest bytes held by tapes. */
  readonly peakTapeBytes: number;
  /** Highest bytes held in snapshots and tapes at one moment. */
  readonly peakBytes: number;
  /** What store-all would hold: the sum of every taped unit's tape bytes. */
  readonly storeAllBytes: number;
  /** storeAllBytes − peakBytes. */
  readonly memorySaved: number;
}

const SNAPSHOTS = ['snapshotsRam', 'snapshotsDisk'] as const;
const HELD = ['snapshotsRam', 'snapshotsDisk', 'tapes'] as const;

const held = (categories: readonly (typeof HELD)[number][]) => categories.reduce((sum, c) => sum + ledger.current(c), 0);

export class CheckpointProfiler {
  private static shared: CheckpointProfiler | undefined;

  /** Starts the shared profiler (afresh, if it was already running). */
  static startTracking(): void {
    CheckpointProfiler.shared?.stop();
    CheckpointProfiler.shared = new CheckpointProfiler().start();
  }

  /** Stops the shared profiler and returns its report; its figures stay readable through the static getters. */
  static stopTracking(): CheckpointReport {
    return CheckpointProfiler.sharedProfiler('stopTracking').stop();
  }

  static isTracking(): boolean {
    return CheckpointProfiler.shared?.running ?? false;
  }

  /** The shared profiler's figures: live while it runs, final after stopTracking(). */
  static report(): CheckpointReport {
    return CheckpointProfiler.sharedProfiler('report').report();
  }

  static checkpointCount(): number {
    return CheckpointProfiler.report().checkpoints;
  }

  static memorySaved(): number {
    return CheckpointProfiler.report().memorySaved;
  }

  private static sharedProfiler(call: string): CheckpointProfiler {
    if (CheckpointProfiler.shared === undefined) throw new Error(`CheckpointProfiler.${call}(): the shared profiler never started; call CheckpointProfiler.startTracking() first`);
    return CheckpointProfiler.shared;
  }

  private counts = { snapshotsSaved: 0, checkpointedCalls: 0, advances: 0, recomputations: 0, tapedUnits: 0, storeAllBytes: 0 };
  private windows: { all: LedgerWindow; snapshots: LedgerWindow } | undefined;
  private base = { all: 0, snapshots: 0, tapes: 0 };
  private final: CheckpointReport | undefined;
  private readonly events: CheckpointEvents = {
    snapshotSaved: () => void this.counts.snapshotsSaved++,
    advanced: () => void this.counts.advances++,
    taped: (bytes) => {
      this.counts.tapedUnits++;
      this.counts.storeAllBytes += bytes;
    },
    checkpointedCall: () => void this.counts.checkpointedCalls++,
    recomputed: () => void this.counts.recomputations++,
  };

  get running(): boolean {
    return this.windows !== undefined;
  }

  /** Starts counting from zero. */
  start(): this {
    if (this.running) throw new Error('CheckpointProfiler.start(): already running; stop() it first');
    this.counts = { snapshotsSaved: 0, checkpointedCalls: 0, advances: 0, recomputations: 0, tapedUnits: 0, storeAllBytes: 0 };
    this.final = undefined;
    this.base = { all: held(HELD), snapshots: held(SNAPSHOTS), tapes: ledger.current('tapes') };
    this.windows = { all: ledger.openWindow(HELD), snapshots: ledger.openWindow(SNAPSHOTS) };
    listen(this.events);
    return this;
  }

  /** Stops counting and returns the final report (again on a second call). */
  stop(): CheckpointReport {
    if (this.windows === undefined) {
      if (this.final === undefined) throw new Error('CheckpointProfiler.stop(): the profiler never started');
      return this.final;
    }
    this.final = this.report();
    unlisten(this.events);
    this.windows.all.close();
    this.windows.snapshots.close();
    this.windows = undefined;
    return this.final;
  }

  /** The figures so far (final ones once stopped). */
  report(): CheckpointReport {
    if (this.windows === undefined) {
      if (this.final === undefined) throw new Error('CheckpointProfiler.report(): the profiler never started');
      return this.final;
    }
    const c = this.counts;
    const peakBytes = this.windows.all.peakTotal - this.base.all;
    return {
      checkpoints: c.snapshotsSaved + c.checkpointedCalls,
      snapshotsSaved: c.snapshotsSaved,
      checkpointedCalls: c.checkpointedCalls,
      advances: c.advances,
      recomputations: c.recomputations,
      tapedUnits: c.tapedUnits,
      peakSnapshotBytes: this.windows.snapshots.peakTotal - this.base.snapshots,
      peakTapeBytes: this.windows.all.peak('tapes') - this.base.tapes,
      peakBytes,
      storeAllBytes: c.storeAllBytes,
      memorySaved: c.storeAllBytes - peakBytes,
    };
  }
}

/** The report as lines for a terminal. */
export function formatCheckpointReport(r: CheckpointReport): string[] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const saved = r.storeAllBytes > 0 ? ` (${((100 * r.memorySaved) / r.storeAllBytes).toFixed(1)} % of store-all)` : '';
  return [
    `checkpoints: ${r.checkpoints} (${r.snapshotsSaved} stored states, ${r.checkpointedCalls} checkpointed calls)`,
    `recomputation: ${r.advances} advances, ${r.recomputations} function recomputations, ${r.tapedUnits} taped units`,
    `peak held: ${kb(r.peakBytes)} (snapshots ${kb(r.peakSnapshotBytes)}, tapes ${kb(r.peakTapeBytes)})`,
    `store-all would hold: ${kb(r.storeAllBytes)}; saved: ${kb(r.memorySaved)}${saved}`,
  ];
}
