import test from 'ava';
import { EpochMemoryMonitor } from '@adjoint/runtime/memory/epoch';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { fakeIO, MB } from './helpers';

test.serial('detail for the first N batches, then the epoch end with its peaks', (t) => {
  const { io, lines, probe, timer } = fakeIO(1645.1);
  const base = ledger.counts();
  const m = new EpochMemoryMonitor({ ...io, batches: 2 });
  const losses = [0.014553, 0.013612, 0.0125, 0.0119];
  for (let epoch = 0; epoch < 2; epoch++) {
    m.startEpoch();
    losses.forEach((loss, i) => {
      ledger.add('tapes', (i + 1) * MB); // batch i's tape: the largest is the last
      if (epoch === 0 && i === 3) probe.setRss(2880.3); // a peak after the detailed batches
      m.batch(i, loss);
      ledger.sub('tapes', (i + 1) * MB);
      probe.setRss(1645.1);
    });
    const r = m.endEpoch();
    t.is(r?.batches, 4);
    t.is((r?.runtimePeak.tapes ?? 0) - base.tapes, 4 * MB);
  }
  const f = (x: number) => (x / MB).toFixed(1);
  const held = base.buffers + base.snapshotsRam + base.tapes;
  const epochLines = (peak: string) => [
    `  Batch 0: GPU ${f(base.gpu)} MB, CPU 1645.1 MB, runtime ${f(held + MB)} MB, loss=0.014553`,
    `  Batch 1: GPU ${f(base.gpu)} MB, CPU 1645.1 MB, runtime ${f(held + 2 * MB)} MB, loss=0.013612`,
    `  Epoch end: GPU ${f(base.gpu)} MB, CPU 1645.1 MB, peak CPU ${peak} MB, peak runtime ${f(held + 4 * MB)} MB, peak GPU ${f(base.gpu)} MB`,
  ];
  t.deepEqual(lines, [...epochLines('2880.3'), ...epochLines('1645.1')]);
  t.is(timer.started(), 2);
  t.is(timer.stopped(), 2);
});

test.serial('batch() opens an epoch by itself; the unit names an optimizer step; endEpoch with none open is silent', (t) => {
  const { io, lines, timer } = fakeIO();
  const windows = ledger.openWindowCount();
  const m = new EpochMemoryMonitor({ ...io, batches: 1, unit: 'Loss evaluation' });
  t.is(m.endEpoch(), undefined);
  m.batch(0);
  m.batch(1);
  m.startEpoch(); // abandons the unfinished epoch without output
  m.batch(0);
  m.endEpoch();
  t.is(lines.length, 3);
  t.regex(lines[0], /^ {2}Loss evaluation 0: GPU \d+\.\d MB, CPU 100\.0 MB, runtime \d+\.\d MB$/);
  t.regex(lines[2], /^ {2}Epoch end: /);
  t.is(timer.started(), 2);
  t.is(timer.stopped(), 2);
  t.is(ledger.openWindowCount(), windows);
});

test.serial('bad batch count is refused, naming it', (t) => {
  t.throws(() => new EpochMemoryMonitor({ batches: -1 }), { message: /batches must be a non-negative integer, got -1/ });
  t.throws(() => new EpochMemoryMonitor({ batches: 2.5 }), { message: /batches must be a non-negative integer/ });
});
