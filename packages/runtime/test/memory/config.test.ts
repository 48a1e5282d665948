import test from 'ava';
import { createMemoryMonitors } from '@adjoint/runtime/memory/config';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { trackMemory } from '@adjoint/runtime/memory/track';
import { fakeIO, heapAllocation } from './helpers';

/** A training loop as the examples write it, with every monitor hook in place. */
function trainingLoop(monitors: ReturnType<typeof createMemoryMonitors>, epochs: number, batches: number): number {
  let total = 0;
  for (let e = 0; e < epochs; e++) {
    monitors.epoch.startEpoch();
    for (let b = 0; b < batches; b++) {
      monitors.profiler.checkpoint('start');
      const loss = monitors.track('step', () => 1 / (b + 1));
      monitors.profiler.checkpoint('step');
      monitors.epoch.batch(b, loss);
      monitors.profiler.printSummary();
      monitors.profiler.reset();
      total += loss;
    }
    monitors.epoch.endEpoch();
  }
  return total;
}

test.serial('monitoring off (the default): nothing read, no timer, no window, no output', (t) => {
  for (const config of [{}, { enableMemoryMonitoring: false, memoryMonitorBatches: 5 }]) {
    const { io, lines, probe, timer } = fakeIO();
    const windows = ledger.openWindowCount();
    const monitors = createMemoryMonitors(config, io);
    t.false(monitors.enabled);
    t.true(trainingLoop(monitors, 3, 1000) > 0);
    t.deepEqual(lines, []);
    t.is(probe.reads(), 0);
    t.is(timer.started(), 0);
    t.is(ledger.openWindowCount(), windows);
  }
});

test.serial('monitoring off allocates nothing: not one byte on the JS heap per loop step', (t) => {
  const n = 10_000;
  const step = () => 1;
  const off = { enabled: false };
  const loopWith = (monitors: ReturnType<typeof createMemoryMonitors>) => (count: number) => {
    for (let i = 0; i < count; i++) {
      monitors.epoch.startEpoch();
      monitors.profiler.checkpoint('start');
      monitors.track('step', step);
      trackMemory('step', step, off);
      monitors.profiler.checkpoint('step');
      monitors.epoch.batch(i, 0.5);
      monitors.profiler.printSummary();
      monitors.profiler.reset();
      monitors.epoch.endEpoch();
    }
  };
  // The measurement itself allocates a little (V8's statistics objects): an empty loop shows how much.
  const baseline = heapAllocation((count) => {
    for (let i = 0; i < count; i++);
  }, n);
  t.is(baseline.collections, 0);
  // It sees allocation: the same loop with monitoring on reads figures and prints at every step.
  const on = heapAllocation(loopWith(createMemoryMonitors({ enableMemoryMonitoring: true }, { sink: () => undefined })), 100);
  t.true(on.collections > 0 || on.bytes - baseline.bytes > 100 * 1000, `monitoring on: ${on.bytes} B, ${on.collections} collections`);
  // A collection with monitoring off would itself mean allocation, unless one already under way
  // finished in the loop: the loop is measured again then, at most twice more.
  const monitors = createMemoryMonitors({ enableMemoryMonitoring: false }, {});
  let measured = heapAllocation(loopWith(monitors), n);
  for (let again = 0; again < 2 && measured.collections > 0; again++) measured = heapAllocation(loopWith(monitors), n);
  t.is(measured.collections, 0);
  t.true(measured.bytes - baseline.bytes < n, `monitoring off: ${measured.bytes - baseline.bytes} B over ${n} steps`);
});

test.serial('monitoring on: memoryMonitorBatches batches of detail per epoch, every timer stopped', (t) => {
  const { io, lines, timer } = fakeIO();
  const windows = ledger.openWindowCount();
  const monitors = createMemoryMonitors({ enableMemoryMonitoring: true, memoryMonitorBatches: 3 }, io);
  trainingLoop(monitors, 2, 10);
  t.is(lines.filter((l) => /^ {2}Batch \d+: /.test(l)).length, 2 * 3);
  t.is(lines.filter((l) => l.startsWith('  Epoch end: ')).length, 2);
  t.is(lines.filter((l) => l.startsWith('[Memory] step: ')).length, 2 * 10);
  t.is(lines.filter((l) => l === '    Memory profile:').length, 2 * 10);
  t.is(timer.started(), timer.stopped());
  t.is(ledger.openWindowCount(), windows);
});

test.serial('bad config values are refused, naming the key', (t) => {
  t.throws(() => createMemoryMonitors({ enableMemoryMonitoring: 'yes' as never }), {
    message: 'enableMemoryMonitoring must be true or false, got "yes"',
  });
  t.throws(() => createMemoryMonitors({ enableMemoryMonitoring: true, memoryMonitorBatches: -2 }), {
    message: 'memoryMonitorBatches must be a non-negative integer, got -2',
  });
  t.throws(() => createMemoryMonitors({ enableMemoryMonitoring: false }, { sampleIntervalMs: -1 }), {
    message: /createMemoryMonitors: sampleIntervalMs/,
  });
});
