import { ledger } from './ledger';
import { hostRamBytes, MemoryFigures, readFigures } from './figures';
import { mb, toMB } from './format';
import { defaultProbe, MemorySink, ProcessProbe } from './io';
import { announceRss } from './rss-listeners';

/** Point-in-time figures in MB (2^20 bytes). */
export interface MemorySummary {
  /** Process RSS. */
  cpuMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  /** Device buffers and textures held by the gpu.js backend. */
  gpuMB: number;
  /** Live DSL tensors, counted while tensor tracking is on (trackTensorMemory). */
  tensorsMB: number;
  buffersMB: number;
  snapshotsRamMB: number;
  snapshotsDiskMB: number;
  tapesMB: number;
  /** Tensors + work buffers + RAM snapshots + tapes. */
  runtimeRamMB: number;
}

/** Point-in-time measurements: the process's figures and the runtime's exact counts. */
export class MemoryMonitor {
  static read(probe: ProcessProbe = defaultProbe): MemoryFigures {
    return readFigures(probe);
  }

  /** Process RSS in MB. */
  static getCpuMemoryMB(probe: ProcessProbe = defaultProbe): number {
    const rss = probe().rss;
    announceRss(probe, rss);
    return toMB(rss);
  }

  /** Device bytes held by the gpu.js backend, in MB (exact, from the ledger). */
  static getGpuMemoryMB(): number {
    return toMB(ledger.current('gpu'));
  }

  static getMemorySummary(probe: ProcessProbe = defaultProbe): MemorySummary {
    const f = readFigures(probe);
    return {
      cpuMB: toMB(f.rss),
      heapUsedMB: toMB(f.heapUsed),
      heapTotalMB: toMB(f.heapTotal),
      externalMB: toMB(f.external),
      arrayBuffersMB: toMB(f.arrayBuffers),
      gpuMB: toMB(f.runtime.gpu),
      tensorsMB: toMB(f.runtime.tensors),
      buffersMB: toMB(f.runtime.buffers),
      snapshotsRamMB: toMB(f.runtime.snapshotsRam),
      snapshotsDiskMB: toMB(f.runtime.snapshotsDisk),
      tapesMB: toMB(f.runtime.tapes),
      runtimeRamMB: toMB(hostRamBytes(f.runtime)),
    };
  }

  /** Prints e.g. "After loading: CPU: 850.2 MB | GPU: 18.5 MB | Heap: 40.1/60.0 MB | ...". */
  static printMemoryUsage(prefix = '', sink: MemorySink = (line) => console.log(line), probe: ProcessProbe = defaultProbe): void {
    sink(prefix + formatFigures(readFigures(probe)));
  }
}

export function formatFigures(f: MemoryFigures): string {
  const r = f.runtime;
  return (
    `CPU: ${mb(f.rss)} MB | GPU: ${mb(r.gpu)} MB | Heap: ${mb(f.heapUsed)}/${mb(f.heapTotal)} MB | ` +
    `External: ${mb(f.external)} MB | ArrayBuffers: ${mb(f.arrayBuffers)} MB | ` +
    `Runtime: tensors ${mb(r.tensors)} MB, buffers ${mb(r.buffers)} MB, snapshots RAM ${mb(r.snapshotsRam)} MB, ` +
    `snapshots disk ${mb(r.snapshotsDisk)} MB, tapes ${mb(r.tapes)} MB`
  );
}
