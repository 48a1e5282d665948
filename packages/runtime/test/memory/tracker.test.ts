import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { MemoryTracker } from '@adjoint/runtime/memory/tracker';
import { fakeIO, MB } from './helpers';

test.serial('records figures and prints the change between consecutive records', (t) => {
  const { io, lines, probe } = fakeIO(850.2);
  const tr = new MemoryTracker(io);
  tr.printSummary(); // nothing recorded: nothing printed
  t.deepEqual(lines, []);
  const base = ledger.counts();
  const held = (base.buffers + base.snapshotsRam + base.tapes) / MB;
  tr.record('initialization');
  probe.setRss(900.1);
  ledger.add('snapshotsRam', 12 * MB);
  tr.record('after_data_loading');
  ledger.sub('snapshotsRam', 12 * MB);
  tr.printSummary();
  const f = (x: number) => x.toFixed(1);
  t.deepEqual(lines, [
    'Memory tracker:',
    `  initialization: CPU 850.2 MB, GPU ${f(base.gpu / MB)} MB, runtime ${f(held)} MB`,
    `  after_data_loading: CPU 900.1 MB (+49.9 MB), GPU ${f(base.gpu / MB)} MB (+0.0 MB), runtime ${f(held + 12)} MB (+12.0 MB) [snapshots RAM +12.0 MB]`,
  ]);
  t.is(tr.records[1].figures.runtime.snapshotsRam - tr.records[0].figures.runtime.snapshotsRam, 12 * MB);
  tr.reset();
  t.is(tr.records.length, 0);
});
