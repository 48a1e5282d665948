import * as v8 from 'v8';
import type { IntervalTimer, MonitorIO, ProcessProbe } from '@adjoint/runtime/memory/io';

export const MB = 1024 * 1024;

/** A probe whose RSS is whatever the test sets; the other figures stay fixed. Counts reads. */
export function fakeProbe(rssMB = 100): { probe: ProcessProbe; setRss(mb: number): void; reads(): number } {
  let rss = rssMB * MB;
  let reads = 0;
  return {
    probe: () => {
      reads++;
      return { rss, heapTotal: 50 * MB, heapUsed: 40 * MB, external: 3 * MB, arrayBuffers: 2 * MB };
    },
    setRss(mb: number) {
      rss = mb * MB;
    },
    reads: () => reads,
  };
}

/** A timer the test fires by hand; counts starts and stops. */
export function fakeTimer(): { timer: IntervalTimer; fire(): void; started(): number; stopped(): number; intervals: number[] } {
  const ticks = new Set<() => void>();
  let started = 0;
  let stopped = 0;
  const intervals: number[] = [];
  return {
    timer: (tick, ms) => {
      started++;
      intervals.push(ms);
      ticks.add(tick);
      return () => {
        stopped++;
        ticks.delete(tick);
      };
    },
    fire: () => ticks.forEach((t) => t()),
    started: () => started,
    stopped: () => stopped,
    intervals,
  };
}

/** Everything a monitor can touch, faked and counted. */
export function fakeIO(rssMB = 100) {
  const lines: string[] = [];
  const p = fakeProbe(rssMB);
  const t = fakeTimer();
  const io: Required<MonitorIO> = { sink: (l) => lines.push(l), probe: p.probe, timer: t.timer, sampleIntervalMs: 7 };
  return { io, lines, probe: p, timer: t };
}

function newSpaceUsed(): number {
  for (const space of v8.getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_used_size;
  throw new Error('V8 reports no new_space');
}

/**
 * Bytes `body(n)` allocates on the JS heap, measured as the growth of V8's new space
 * (where every short-lived object starts) after two warm-up runs, and the garbage
 * collections during the measured run: a collection empties the new space, so the
 * byte figure only counts when `collections` is 0.
 */
export function heapAllocation(body: (n: number) => void, n: number): { bytes: number; collections: number } {
  body(n);
  body(n);
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = newSpaceUsed();
  body(n);
  const after = newSpaceUsed();
  return { bytes: after - before, collections: profiler.stop().statistics.length };
}
