import test from 'ava';
import { hostRamBytes } from '@adjoint/runtime/memory/figures';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { BatchMemoryProfiler } from '@adjoint/runtime/memory/profiler';
import { fakeIO, MB } from './helpers';

test.serial('profiler: one line per stage with the change and the exact peak inside the stage', (t) => {
  const { io, lines, probe } = fakeIO(100);
  const base = ledger.counts();
  const held = hostRamBytes(base) / MB;
  const p = new BatchMemoryProfiler(io);
  p.checkpoint('start');
  ledger.add('buffers', 8 * MB); // the batch's input
  probe.setRss(108);
  p.checkpoint('forward');
  ledger.add('tapes', 20 * MB); // the tape lives only during the backward sweep
  ledger.sub('tapes', 20 * MB);
  p.checkpoint('backward');
  ledger.sub('buffers', 8 * MB);
  probe.setRss(101.5);
  p.checkpoint('optimizer');
  p.printSummary();
  const f = (x: number) => x.toFixed(1);
  t.deepEqual(lines, [
    '    Memory profile:',
    `      start → forward: CPU 108.0 MB (+8.0 MB), GPU ${f(base.gpu / MB)} MB (+0.0 MB), runtime ${f(held + 8)} MB (+8.0 MB, peak ${f(held + 8)} MB) [buffers +8.0 MB]`,
    `      forward → backward: CPU 108.0 MB (+0.0 MB), GPU ${f(base.gpu / MB)} MB (+0.0 MB), runtime ${f(held + 8)} MB (+0.0 MB, peak ${f(held + 28)} MB)`,
    `      backward → optimizer: CPU 101.5 MB (-6.5 MB), GPU ${f(base.gpu / MB)} MB (+0.0 MB), runtime ${f(held)} MB (-8.0 MB, peak ${f(held + 8)} MB) [buffers -8.0 MB]`,
  ]);
  const stages = p.stages();
  t.deepEqual(stages.map((s) => [s.from, s.to]), [['start', 'forward'], ['forward', 'backward'], ['backward', 'optimizer']]);
  t.is(stages[1].runtimeRamPeak - hostRamBytes(stages[1].before.runtime), 20 * MB);
  p.reset();
  t.is(p.checkpoints.length, 0);
});

test.serial('profiler: the guide loop, disabled after some batches, prints for those only and leaks no window', (t) => {
  const { io, lines, probe } = fakeIO();
  const windows = ledger.openWindowCount();
  const p = new BatchMemoryProfiler(io);
  for (let batch = 0; batch < 10; batch++) {
    if (batch >= 2) p.disable();
    p.checkpoint('start');
    p.checkpoint('forward');
    p.checkpoint('backward');
    p.printSummary();
    p.reset();
  }
  t.is(lines.length, 2 * 3);
  t.is(lines.filter((l) => l === '    Memory profile:').length, 2);
  t.is(probe.reads(), 2 * 3);
  t.is(ledger.openWindowCount(), windows);
  t.false(p.enabled);
  p.enable();
  p.checkpoint('again');
  t.is(p.checkpoints.length, 1);
  p.disable();
  t.is(ledger.openWindowCount(), windows);
});
