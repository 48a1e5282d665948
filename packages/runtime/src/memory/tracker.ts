import { hostRamBytes, MemoryFigures, readFigures } from './figures';
import { describeChange, mb } from './format';
import { MonitorIO, resolveIO, ResolvedIO } from './io';

export interface MemoryRecord {
  label: string;
  figures: MemoryFigures;
}

/** Figures recorded at labelled points, summarised as the change between consecutive records. */
export class MemoryTracker {
  private readonly io: ResolvedIO;
  private readonly recorded: MemoryRecord[] = [];

  constructor(options: MonitorIO = {}) {
    this.io = resolveIO(options, 'MemoryTracker');
  }

  record(label: string): void {
    this.recorded.push({ label, figures: readFigures(this.io.probe) });
  }

  get records(): readonly MemoryRecord[] {
    return this.recorded;
  }

  reset(): void {
    this.recorded.length = 0;
  }

  /**
   *   Memory tracker:
   *     initialization: CPU 850.2 MB, GPU 15.3 MB, runtime 0.0 MB
   *     after_data_loading: CPU 900.1 MB (+49.9 MB), GPU 15.3 MB (+0.0 MB), runtime 12.0 MB (+12.0 MB) [buffers +12.0 MB]
   */
  printSummary(): void {
    if (this.recorded.length === 0) return;
    this.io.sink('Memory tracker:');
    const [first, ...rest] = this.recorded;
    const f = first.figures;
    this.io.sink(`  ${first.label}: CPU ${mb(f.rss)} MB, GPU ${mb(f.runtime.gpu)} MB, runtime ${mb(hostRamBytes(f.runtime))} MB`);
    let prev = f;
    for (const r of rest) {
      this.io.sink(`  ${r.label}: ${describeChange(prev, r.figures)}`);
      prev = r.figures;
    }
  }
}
