import test from 'ava';
import { hostRamBytes } from '@adjoint/runtime/memory/figures';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { monitorMemory, trackMemory } from '@adjoint/runtime/memory/track';
import { EpochMemoryMonitor } from '@adjoint/runtime/memory/epoch';
import { MemoryTracker } from '@adjoint/runtime/memory/tracker';
import { MemoryMonitor } from '@adjoint/runtime/memory/monitor';
import { rssListenerCount } from '@adjoint/runtime/memory/rss-listeners';
import type { RegionReport } from '@adjoint/runtime/memory/region';
import { fakeIO, MB } from './helpers';

const FIRST = /^\[Memory\] (.+): CPU ([+-]\d+\.\d+) MB, GPU ([+-]\d+\.\d+) MB \(peak (\d+\.\d+) MB\)$/;
const SECOND =
  /^ {9}Peak runtime: RAM (\d+\.\d+) MB \(tensors \d+\.\d+ MB, buffers \d+\.\d+ MB, snapshots \d+\.\d+ MB, tapes \d+\.\d+ MB\), disk \d+\.\d+ MB, GPU \d+\.\d+ MB$/;

/** Like the runtime: a work buffer's bytes are added when it is made and subtracted when freed. */
function allocateAndFree(bufferBytes: number, tapeBytes: number): number {
  ledger.add('buffers', bufferBytes);
  ledger.add('tapes', tapeBytes);
  ledger.sub('tapes', tapeBytes);
  ledger.sub('buffers', bufferBytes);
  return bufferBytes + tapeBytes;
}

test.serial('sync: prints both lines, returns the value, exact runtime peak, no timer', (t) => {
  const { io, lines, probe, timer } = fakeIO(100);
  let report: RegionReport | undefined;
  const windows = ledger.openWindowCount();
  const base = ledger.counts();
  const value = trackMemory(
    'loading dataset',
    () => {
      probe.setRss(112.3);
      ledger.add('gpu', 2 * MB);
      return allocateAndFree(3 * MB, 1 * MB);
    },
    { ...io, onReport: (r) => (report = r) },
  );
  t.is(value, 4 * MB);
  const m = (bytes: number) => (bytes / MB).toFixed(1);
  t.deepEqual(lines, [
    '[Memory] loading dataset: CPU +12.3 MB, GPU +2.0 MB (peak 112.3 MB)',
    `         Peak runtime: RAM ${m(hostRamBytes(base) + 4 * MB)} MB (tensors ${m(base.tensors)} MB, buffers ${m(base.buffers + 3 * MB)} MB, ` +
      `snapshots ${m(base.snapshotsRam)} MB, tapes ${m(base.tapes + 1 * MB)} MB), disk ${m(base.snapshotsDisk)} MB, GPU ${m(base.gpu + 2 * MB)} MB`,
  ]);
  const r = report as RegionReport;
  t.is(r.runtimeRamPeak - hostRamBytes(r.before.runtime), 4 * MB);
  t.is(r.runtimePeak.buffers - r.before.runtime.buffers, 3 * MB);
  t.is(r.after.runtime.gpu - r.before.runtime.gpu, 2 * MB);
  t.is(r.rssSamples, 0);
  t.is(timer.started(), 0);
  t.is(ledger.openWindowCount(), windows);
  ledger.sub('gpu', 2 * MB);
});

test.serial('sync: the peak includes every RSS reading monitors took inside, nested regions included', (t) => {
  const { io, lines, probe, timer } = fakeIO(100);
  const other = fakeIO(100); // a monitor on another probe is not heard
  const reports: RegionReport[] = [];
  const onReport = (r: RegionReport) => reports.push(r);
  const listeners = rssListenerCount();
  // The fiber optimizer's shape: an epoch monitor's batch lines inside one synchronous tracked region.
  const epoch = new EpochMemoryMonitor({ ...io, batches: 5, unit: 'Loss evaluation' });
  epoch.startEpoch();
  trackMemory(
    'Optimization',
    () => {
      probe.setRss(180);
      epoch.batch(0); // prints CPU 180.0 MB
      probe.setRss(150);
      trackMemory('inner', () => {
        probe.setRss(230);
        new MemoryTracker(io).record('spike'); // heard by both regions
        probe.setRss(160);
        t.is(MemoryMonitor.getCpuMemoryMB(io.probe), 160);
      }, { ...io, onReport });
      other.probe.setRss(999);
      MemoryMonitor.read(other.io.probe);
      probe.setRss(120);
    },
    { ...io, onReport },
  );
  epoch.endEpoch();
  t.is(timer.started(), 1); // the epoch's; the synchronous regions start none
  const [inner, outer] = reports;
  t.is(inner.peakRss, 230 * MB);
  t.is(inner.rssSamples, 2); // the record and getCpuMemoryMB
  t.is(outer.peakRss, 230 * MB);
  t.is(outer.rssSamples, 1 + 4); // the batch line; inner's start, record, getCpuMemoryMB and end
  t.deepEqual(lines.filter((l) => l.startsWith('[Memory]')), [
    '[Memory] inner: CPU +10.0 MB, GPU +0.0 MB (peak 230.0 MB)',
    '[Memory] Optimization: CPU +20.0 MB, GPU +0.0 MB (peak 230.0 MB)',
  ]);
  t.regex(lines[lines.length - 1], /^ {2}Epoch end: .*, peak CPU 230\.0 MB, /);
  t.is(rssListenerCount(), listeners);
});

test.serial('async: samples RSS on the timer until the promise settles, then stops it', async (t) => {
  const { io, lines, probe, timer } = fakeIO(100);
  let report: RegionReport | undefined;
  const value = await trackMemory(
    'epoch',
    async () => {
      await Promise.resolve();
      probe.setRss(140.2);
      timer.fire(); // the peak happens while the function awaits
      probe.setRss(101);
      timer.fire();
      return 'done';
    },
    { ...io, onReport: (r) => (report = r) },
  );
  t.is(value, 'done');
  t.is(timer.started(), 1);
  t.is(timer.stopped(), 1);
  t.deepEqual(timer.intervals, [7]);
  t.is(report?.rssSamples, 2);
  t.is(lines[0], '[Memory] epoch: CPU +1.0 MB, GPU +0.0 MB (peak 140.2 MB)');
  t.regex(lines[1], SECOND);
});

test.serial('a throwing function: region closed and reported as threw, the same error propagates', (t) => {
  const { io, lines, timer } = fakeIO();
  const windows = ledger.openWindowCount();
  const boom = new Error('boom');
  const thrown = t.throws(() =>
    trackMemory('bad step', () => {
      ledger.add('buffers', 1000);
      ledger.sub('buffers', 1000);
      throw boom;
    }, io),
  );
  t.is(thrown, boom);
  t.is(lines.length, 2);
  t.regex(lines[0], /^\[Memory\] bad step \(threw\): CPU \+0\.0 MB, GPU \+0\.0 MB \(peak 100\.0 MB\)$/);
  t.is(ledger.openWindowCount(), windows);
  t.is(timer.started(), 0);
});

test.serial('a rejecting async function: timer stopped, window closed, reported, rejection propagates', async (t) => {
  const { io, lines, timer } = fakeIO();
  const windows = ledger.openWindowCount();
  const boom = new Error('async boom');
  const thrown = await t.throwsAsync(
    trackMemory('bad epoch', async () => {
      await Promise.resolve();
      throw boom;
    }, io),
  );
  t.is(thrown, boom);
  t.is(timer.started(), 1);
  t.is(timer.stopped(), 1);
  t.is(ledger.openWindowCount(), windows);
  t.regex(lines[0], /^\[Memory\] bad epoch \(threw\): /);
});

test.serial('decorator on sync, async and throwing methods keeps `this` and arguments', async (t) => {
  const { io, lines, timer } = fakeIO();
  class Trainer {
    scale = 3;
    @monitorMemory('training epoch', io)
    epoch(n: number): number {
      ledger.add('tapes', n);
      ledger.sub('tapes', n);
      return this.scale * n;
    }
    @monitorMemory(undefined, io)
    async evaluate(n: number): Promise<number> {
      await Promise.resolve();
      return this.scale + n;
    }
    @monitorMemory('failing', io)
    fail(): never {
      throw new RangeError('bad batch');
    }
  }
  const tr = new Trainer();
  t.is(tr.epoch(1000), 3000);
  t.is(await tr.evaluate(4), 7);
  t.throws(() => tr.fail(), { instanceOf: RangeError, message: 'bad batch' });
  t.deepEqual(
    lines.filter((_, i) => i % 2 === 0).map((l) => FIRST.exec(l)?.[1]),
    ['training epoch', 'evaluate', 'failing (threw)'],
  );
  t.true(lines.filter((_, i) => i % 2 === 1).every((l) => SECOND.test(l)));
  t.is(timer.started(), 1); // only the async method
  t.is(timer.stopped(), 1);
});

test.serial('disabled: the function runs untouched, nothing read, timed or printed', async (t) => {
  const { io, lines, probe, timer } = fakeIO();
  const off = { ...io, enabled: false };
  class C {
    @monitorMemory('x', off)
    f(): number {
      return 1;
    }
  }
  const method = Object.getOwnPropertyDescriptor(C.prototype, 'f')?.value;
  t.is(method.name, 'f'); // the original method, not a wrapper
  t.is(new C().f(), 1);
  t.is(trackMemory('y', () => 2, off), 2);
  t.is(await trackMemory('z', async () => 3, off), 3);
  t.deepEqual(lines, []);
  t.is(probe.reads(), 0);
  t.is(timer.started(), 0);
});

test.serial('the default timer samples a real async region, is unref()d and is cleared', async (t) => {
  const realSet = globalThis.setInterval;
  const realClear = globalThis.clearInterval;
  const handles: NodeJS.Timeout[] = [];
  const cleared: unknown[] = [];
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const h = realSet(...args);
    handles.push(h);
    return h;
  }) as typeof setInterval;
  globalThis.clearInterval = ((h: NodeJS.Timeout) => {
    cleared.push(h);
    realClear(h);
  }) as typeof clearInterval;
  const lines: string[] = [];
  let report: RegionReport | undefined;
  try {
    await trackMemory('sleep', () => new Promise((resolve) => setTimeout(resolve, 60)), {
      sink: (l) => lines.push(l),
      sampleIntervalMs: 5,
      onReport: (r) => (report = r),
    });
  } finally {
    globalThis.setInterval = realSet;
    globalThis.clearInterval = realClear;
  }
  t.is(handles.length, 1);
  t.false(handles[0].hasRef());
  t.deepEqual(cleared, handles);
  t.true((report?.rssSamples ?? 0) > 0);
  t.true((report?.peakRss ?? 0) >= Math.max(report?.before.rss ?? Infinity, report?.after.rss ?? Infinity));
  t.regex(lines[0], FIRST);
});

test.serial('a bad sampling interval is refused, naming the option', (t) => {
  t.throws(() => trackMemory('x', () => 1, { sampleIntervalMs: 0 }), { message: /trackMemory: sampleIntervalMs must be a positive number/ });
});
