/**
 * Where monitors write and how they read and sample, injectable so tests can
 * capture output, script the figures and count timers.
 */

/** Receives one printed line (default console.log). */
export type MemorySink = (line: string) => void;

/** Starts calling `tick` every `intervalMs` and returns the function that stops it. */
export type IntervalTimer = (tick: () => void, intervalMs: number) => () => void;

/** Reads the process's memory figures (default process.memoryUsage). */
export type ProcessProbe = () => NodeJS.MemoryUsage;

export interface MonitorIO {
  sink?: MemorySink;
  timer?: IntervalTimer;
  probe?: ProcessProbe;
  /** Period of the RSS sampling timer in asynchronous regions, in ms (default 10). */
  sampleIntervalMs?: number;
}

export type ResolvedIO = Required<MonitorIO>;

/** A sampling timer must never keep the process alive, hence unref(). */
export const unrefInterval: IntervalTimer = (tick, intervalMs) => {
  const handle = setInterval(tick, intervalMs);
  handle.unref();
  return () => clearInterval(handle);
};

export const defaultProbe: ProcessProbe = () => process.memoryUsage();

const DEFAULT_SAMPLE_INTERVAL_MS = 10;

export function resolveIO(io: MonitorIO, where: string): ResolvedIO {
  const sampleIntervalMs = io.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  if (!Number.isFinite(sampleIntervalMs) || sampleIntervalMs <= 0) {
    throw new Error(`${where}: sampleIntervalMs must be a positive number of milliseconds, got ${sampleIntervalMs}`);
  }
  return {
    sink: io.sink ?? ((line) => console.log(line)),
    timer: io.timer ?? unrefInterval,
    probe: io.probe ?? defaultProbe,
    sampleIntervalMs,
  };
}
