import { HOST_RAM_CATEGORIES, ledger, LedgerCounts } from './ledger';
import { defaultProbe, ProcessProbe } from './io';
import { announceRss } from './rss-listeners';

/** One point-in-time reading, all in bytes. */
export interface MemoryFigures {
  /** Resident set size of the whole process. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** C++ objects bound to JS objects, ArrayBuffer contents included. */
  external: number;
  /** ArrayBuffer and SharedArrayBuffer contents (typed arrays' data). */
  arrayBuffers: number;
  /** What the runtime holds, counted exactly by the ledger. */
  runtime: LedgerCounts;
}

/** Also announces the RSS to the regions open on `probe`. */
export function readFigures(probe: ProcessProbe = defaultProbe): MemoryFigures {
  const u = probe();
  announceRss(probe, u.rss);
  return {
    rss: u.rss,
    heapUsed: u.heapUsed,
    heapTotal: u.heapTotal,
    external: u.external,
    arrayBuffers: u.arrayBuffers,
    runtime: ledger.counts(),
  };
}

/** Bytes the runtime holds in host RAM: live tensors (when tracked), work buffers, RAM snapshots and tapes. */
export function hostRamBytes(counts: LedgerCounts): number {
  let sum = 0;
  for (const c of HOST_RAM_CATEGORIES) sum += counts[c];
  return sum;
}
