import { LEDGER_CATEGORIES, LedgerCategory } from './ledger';
import { hostRamBytes, MemoryFigures } from './figures';

/** Printed "MB" are mebibytes (2^20 bytes), as in the guide's tools. */
export const BYTES_PER_MB = 1024 * 1024;

export function toMB(bytes: number): number {
  return bytes / BYTES_PER_MB;
}

/**
 * "12.3". A non-zero figure that would print as "0.0" gets two significant digits
 * instead ("0.0078" for 8 KiB): the ledger's counts are exact, and a small RNN's
 * tapes and snapshots must not read as nothing.
 */
export function mb(bytes: number): string {
  const value = toMB(bytes);
  const magnitude = Math.abs(value);
  if (magnitude === 0 || magnitude >= 0.05) return value.toFixed(1);
  return value.toFixed(1 - Math.floor(Math.log10(magnitude)));
}

/** "+12.3", "-4.0", "+0.0039"; no change prints as "+0.0". */
export function signedMb(bytes: number): string {
  const text = mb(Math.abs(bytes));
  return bytes < 0 ? `-${text}` : `+${text}`;
}

const CATEGORY_NAMES: Record<LedgerCategory, string> = {
  tensors: 'tensors',
  buffers: 'buffers',
  snapshotsRam: 'snapshots RAM',
  snapshotsDisk: 'snapshots disk',
  tapes: 'tapes',
  gpu: 'GPU',
};

/**
 * "CPU 852.1 MB (+1.9 MB), GPU 29.1 MB (+19.0 MB), runtime 12.0 MB (+8.0 MB) [buffers +8.0 MB]":
 * the figures at `next`, their change since `prev`, and which runtime categories
 * moved. `runtimePeak` (bytes of host RAM) is added when the caller tracked one.
 */
export function describeChange(prev: MemoryFigures, next: MemoryFigures, runtimePeak?: number): string {
  const held = hostRamBytes(next.runtime);
  const peak = runtimePeak === undefined ? '' : `, peak ${mb(runtimePeak)} MB`;
  const moved = LEDGER_CATEGORIES.filter((c) => c !== 'gpu' && next.runtime[c] !== prev.runtime[c]).map(
    (c) => `${CATEGORY_NAMES[c]} ${signedMb(next.runtime[c] - prev.runtime[c])} MB`,
  );
  return (
    `CPU ${mb(next.rss)} MB (${signedMb(next.rss - prev.rss)} MB), ` +
    `GPU ${mb(next.runtime.gpu)} MB (${signedMb(next.runtime.gpu - prev.runtime.gpu)} MB), ` +
    `runtime ${mb(held)} MB (${signedMb(held - hostRamBytes(prev.runtime))} MB${peak})` +
    (moved.length > 0 ? ` [${moved.join(', ')}]` : '')
  );
}
