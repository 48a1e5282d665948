import { checkBatchCount, DEFAULT_MONITOR_BATCHES, EpochMemoryMonitor } from './epoch';
import { MonitorIO, resolveIO } from './io';
import { BatchMemoryProfiler } from './profiler';
import { trackMemory } from './track';

/** The switches a training or optimization loop takes in its options. */
export interface MemoryMonitoringConfig {
  /** Default false. */
  enableMemoryMonitoring?: boolean;
  /**
   * Default false. With monitoring on, the epochs and tracked regions also count live DSL
   * tensors (trackTensorMemory). Opt-in because the figure lags garbage collection: in a loop
   * that never awaits it grows by every tensor allocated (see tensors.ts).
   */
  trackTensorMemory?: boolean;
  /** Print detail for this many batches (or loss evaluations) per epoch. Default 5. */
  memoryMonitorBatches?: number;
}

export interface MemoryMonitors {
  readonly enabled: boolean;
  readonly epoch: EpochMemoryMonitor;
  readonly profiler: BatchMemoryProfiler;
  /** trackMemory with this configuration's output; just fn() when monitoring is off. */
  track<T>(label: string, fn: () => T): T;
}

export interface MonitorsOptions extends MonitorIO {
  /** Name of one step in the epoch monitor's lines (default "Batch"). */
  unit?: string;
}

/**
 * Builds a loop's monitors from its config, once, before the loop. With monitoring
 * off they are inert: no reading, timer, allocation or output per call. With it and
 * trackTensorMemory on, tensor tracking is held on from each startEpoch() to its endEpoch()
 * and during each track() call, then returns to what it was: the loop's tensors show in the
 * 'tensors' figures, and none made outside the monitored run are counted.
 */
export function createMemoryMonitors(config: MemoryMonitoringConfig = {}, options: MonitorsOptions = {}): MemoryMonitors {
  const enabled = config.enableMemoryMonitoring ?? false;
  if (typeof enabled !== 'boolean') {
    throw new Error(`enableMemoryMonitoring must be true or false, got ${JSON.stringify(enabled)}`);
  }
  const batches = checkBatchCount(config.memoryMonitorBatches ?? DEFAULT_MONITOR_BATCHES, 'memoryMonitorBatches');
  const trackTensors = config.trackTensorMemory ?? false;
  if (typeof trackTensors !== 'boolean') {
    throw new Error(`trackTensorMemory must be true or false, got ${JSON.stringify(trackTensors)}`);
  }
  resolveIO(options, 'createMemoryMonitors');
  const countTensors = enabled && trackTensors;
  const trackOptions = { ...options, enabled, trackTensors: countTensors };
  return {
    enabled,
    epoch: new EpochMemoryMonitor({ ...options, enabled, batches, trackTensors: countTensors }),
    profiler: new BatchMemoryProfiler({ ...options, enabled }),
    track: enabled ? (label, fn) => trackMemory(label, fn, trackOptions) : (_label, fn) => fn(),
  };
}
