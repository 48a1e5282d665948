import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { MemoryMonitor } from '@adjoint/runtime/memory/monitor';
import { fakeProbe, MB } from './helpers';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test.serial('a 100 MB Float64Array shows as about +100 MB of ArrayBuffer bytes, and RSS grows once it is touched', (t) => {
  // Collect first, so that no earlier garbage is freed during the fill and hides part of the growth.
  gc();
  gc();
  const before = MemoryMonitor.read();
  const big = new Float64Array((100 * MB) / 8).fill(1); // fill() touches every page
  const after = MemoryMonitor.read();
  const arrayBuffersMB = (after.arrayBuffers - before.arrayBuffers) / MB;
  const externalMB = (after.external - before.external) / MB;
  t.true(Math.abs(arrayBuffersMB - 100) < 1, `arrayBuffers +${arrayBuffersMB} MB`);
  t.true(Math.abs(externalMB - 100) < 2, `external +${externalMB} MB`);
  // RSS is the OS's figure (the allocator may keep or return other pages), so only the
  // direction and rough size are asserted.
  t.true((after.rss - before.rss) / MB > 50, `rss +${(after.rss - before.rss) / MB} MB`);
  t.is(big[big.length - 1], 1);
});

test.serial('runtime figures are the ledger counts, exactly', (t) => {
  const before = MemoryMonitor.getMemorySummary();
  ledger.add('gpu', 3 * MB);
  ledger.add('snapshotsDisk', 5 * MB);
  ledger.add('buffers', 1 * MB);
  ledger.add('tensors', 2 * MB);
  const s = MemoryMonitor.getMemorySummary();
  t.is(s.gpuMB - before.gpuMB, 3);
  t.is(MemoryMonitor.getGpuMemoryMB(), ledger.current('gpu') / MB);
  t.is(s.snapshotsDiskMB - before.snapshotsDiskMB, 5);
  t.is(s.buffersMB - before.buffersMB, 1);
  t.is(s.tensorsMB - before.tensorsMB, 2);
  t.is(s.runtimeRamMB - before.runtimeRamMB, 3);
  t.deepEqual(MemoryMonitor.read().runtime, ledger.counts());
  ledger.sub('gpu', 3 * MB);
  ledger.sub('snapshotsDisk', 5 * MB);
  ledger.sub('buffers', 1 * MB);
  ledger.sub('tensors', 2 * MB);
});

test.serial('getCpuMemoryMB is the RSS; printMemoryUsage writes one line to the sink with the prefix', (t) => {
  const p = fakeProbe(850.25);
  t.is(MemoryMonitor.getCpuMemoryMB(p.probe), 850.25);
  t.true(MemoryMonitor.getCpuMemoryMB() > 10);
  const lines: string[] = [];
  MemoryMonitor.printMemoryUsage('After model creation: ', (l) => lines.push(l), p.probe);
  t.is(lines.length, 1);
  t.regex(
    lines[0],
    /^After model creation: CPU: 850\.3 MB \| GPU: \d+\.\d MB \| Heap: 40\.0\/50\.0 MB \| External: 3\.0 MB \| ArrayBuffers: 2\.0 MB \| Runtime: tensors \d+\.\d MB, buffers \d+\.\d MB, snapshots RAM \d+\.\d MB, snapshots disk \d+\.\d MB, tapes \d+\.\d MB$/,
  );
});
