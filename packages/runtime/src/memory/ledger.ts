/**
 * Exact byte counts of what the runtime itself holds, by category. The engine,
 * tape and kernels add and subtract here as they allocate and free; monitors and
 * profilers read it. Counting is a handful of integer additions, so it is always on; only
 * live DSL tensors, which cost a finalizer registration each, are counted on request (tensors.ts).
 */
/**
 * tensors: data of live DSL tensors, counted only while tensor tracking is on (see tensors.ts
 * for exactly what and when); buffers: work arrays the kernels hold (the fiber backends' fields
 * and scratch); snapshots in RAM and on disk; tapes; gpu: device buffers. Tensor data that a
 * tape or RAM snapshot holds is counted there, not under tensors: no byte is in two categories.
 */
export type LedgerCategory = 'tensors' | 'buffers' | 'snapshotsRam' | 'snapshotsDisk' | 'tapes' | 'gpu';

export const LEDGER_CATEGORIES: readonly LedgerCategory[] = Object.freeze(['tensors', 'buffers', 'snapshotsRam', 'snapshotsDisk', 'tapes', 'gpu']);

/** The categories that live in host RAM (disk snapshots and device buffers do not). */
export const HOST_RAM_CATEGORIES: readonly LedgerCategory[] = Object.freeze(['tensors', 'buffers', 'snapshotsRam', 'tapes']);

export type LedgerCounts = Record<LedgerCategory, number>;

const current: LedgerCounts = { tensors: 0, buffers: 0, snapshotsRam: 0, snapshotsDisk: 0, tapes: 0, gpu: 0 };
const peak: LedgerCounts = { ...current };

/**
 * Peaks over one region of the program, independent of other regions and of
 * resetPeaks(), so nested or overlapping regions each see their own maximum.
 */
export interface LedgerWindow {
  /** Highest combined bytes of the window's categories, at any one moment since it opened. */
  readonly peakTotal: number;
  /** Highest bytes of one category since the window opened. */
  peak(category: LedgerCategory): number;
  /** Stop tracking; the peaks keep their values. Closing twice is harmless. */
  close(): void;
}

class Window implements LedgerWindow {
  private readonly included: Record<LedgerCategory, boolean>;
  private total = 0;
  private top = 0;
  private readonly peaks: LedgerCounts = { ...current };

  constructor(categories: readonly LedgerCategory[]) {
    this.included = { tensors: false, buffers: false, snapshotsRam: false, snapshotsDisk: false, tapes: false, gpu: false };
    for (const c of categories) {
      checkCategory(c, 'ledger.openWindow');
      if (!this.included[c]) {
        this.included[c] = true;
        this.total += current[c];
      }
    }
    this.top = this.total;
  }

  get peakTotal(): number {
    return this.top;
  }

  peak(category: LedgerCategory): number {
    checkCategory(category, 'LedgerWindow.peak');
    return this.peaks[category];
  }

  close(): void {
    const i = openWindows.indexOf(this);
    if (i >= 0) openWindows.splice(i, 1);
  }

  /** Called by the ledger after `current[category]` has grown by `bytes`. */
  grew(category: LedgerCategory, bytes: number): void {
    if (current[category] > this.peaks[category]) this.peaks[category] = current[category];
    if (this.included[category] && (this.total += bytes) > this.top) this.top = this.total;
  }

  shrank(category: LedgerCategory, bytes: number): void {
    if (this.included[category]) this.total -= bytes;
  }
}

const openWindows: Window[] = [];

function checkCategory(category: LedgerCategory, where: string): void {
  // typeof, not `in`: inherited names such as 'toString' are not categories.
  if (typeof current[category] !== 'number') {
    throw new Error(`${where}: unknown ledger category '${String(category)}' (expected one of ${LEDGER_CATEGORIES.join(', ')})`);
  }
}

function checkBytes(bytes: number, category: LedgerCategory, where: string): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new Error(`${where}('${category}', ${bytes}): bytes must be a non-negative integer`);
  }
}

export const ledger = {
  add(category: LedgerCategory, bytes: number): void {
    checkCategory(category, 'ledger.add');
    checkBytes(bytes, category, 'ledger.add');
    const now = (current[category] += bytes);
    if (now > peak[category]) peak[category] = now;
    for (let i = 0; i < openWindows.length; i++) openWindows[i].grew(category, bytes);
  },
  /** Throws, changing nothing, if it would free more than is held: that is a double free in the caller's accounting. */
  sub(category: LedgerCategory, bytes: number): void {
    checkCategory(category, 'ledger.sub');
    checkBytes(bytes, category, 'ledger.sub');
    if (bytes > current[category]) {
      throw new Error(`ledger.sub('${category}', ${bytes}): only ${current[category]} bytes are held in '${category}'`);
    }
    current[category] -= bytes;
    for (let i = 0; i < openWindows.length; i++) openWindows[i].shrank(category, bytes);
  },
  current(category: LedgerCategory): number {
    return current[category];
  },
  peak(category: LedgerCategory): number {
    return peak[category];
  },
  /** A copy of every category's current bytes. */
  counts(): LedgerCounts {
    return { ...current };
  },
  /** Restart peak tracking from the current values (e.g. at the start of a profiled region). */
  resetPeaks(): void {
    for (const k of Object.keys(peak) as LedgerCategory[]) peak[k] = current[k];
  },
  /**
   * Start tracking peaks for a region, including the combined peak of `categories`
   * (all of them by default). Every open window costs a little on each add/sub,
   * so close it when the region ends (in a finally block).
   */
  openWindow(categories: readonly LedgerCategory[] = LEDGER_CATEGORIES): LedgerWindow {
    const w = new Window(categories);
    openWindows.push(w);
    return w;
  },
  /** How many windows are open: a leak check for monitors and tests. */
  openWindowCount(): number {
    return openWindows.length;
  },
};
