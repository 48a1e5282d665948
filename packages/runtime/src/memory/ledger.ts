/**
 * Exact byte counts of what the runtime itself holds, by category. The engine,
 * tape and kernels add and subtract here as they allocate and free; monitors and
 * profilers read it. Counting is a handful of integer additions, so it is always on.
 */
export type LedgerCategory = 'tensors' | 'snapshotsRam' | 'snapshotsDisk' | 'tapes' | 'gpu';

const current: Record<LedgerCategory, number> = { tensors: 0, snapshotsRam: 0, snapshotsDisk: 0, tapes: 0, gpu: 0 };
const peak: Record<LedgerCategory, number> = { ...current };

export const ledger = {
  add(category: LedgerCategory, bytes: number): void {
    const now = (current[category] += bytes);
    if (now > peak[category]) peak[category] = now;
  },
  sub(category: LedgerCategory, bytes: number): void {
    current[category] -= bytes;
  },
  current(category: LedgerCategory): number {
    return current[category];
  },
  peak(category: LedgerCategory): number {
    return peak[category];
  },
  /** Restart peak tracking from the current values (e.g. at the start of a profiled region). */
  resetPeaks(): void {
    for (const k of Object.keys(peak) as LedgerCategory[]) peak[k] = current[k];
  },
};
