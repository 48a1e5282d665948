import test from 'ava';
import * as memory from '@adjoint/runtime/memory/index';
import { fakeIO, MB } from './helpers';

test.serial('the public index serves the guide workflow: config, track, tracker, exact counters', async (t) => {
  const { io, lines } = fakeIO();
  const monitors = memory.createMemoryMonitors({ enableMemoryMonitoring: true, memoryMonitorBatches: 1 }, io);
  const held = await monitors.track('loading dataset', async () => {
    memory.ledger.add('snapshotsRam', 2 * MB);
    return memory.ledger.current('snapshotsRam');
  });
  memory.ledger.sub('snapshotsRam', 2 * MB);
  t.is(held - memory.ledger.current('snapshotsRam'), 2 * MB);
  t.regex(lines[0], /^\[Memory\] loading dataset: CPU \+0\.0 MB, GPU \+0\.0 MB \(peak 100\.0 MB\)$/);
  const tracker = new memory.MemoryTracker(io);
  tracker.record('a');
  tracker.record('b');
  tracker.printSummary();
  t.is(lines.length, 2 + 3);
  t.is(memory.toMB(memory.BYTES_PER_MB), 1);
});
