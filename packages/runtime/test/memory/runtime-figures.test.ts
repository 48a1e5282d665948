import test from 'ava';
import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { grad } from '@adjoint/runtime/autodiff/index';
import { RamStore } from '@adjoint/runtime/checkpoint/storage/ram';
import { DiskStore } from '@adjoint/runtime/checkpoint/storage/disk';
import { GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { hostRamBytes } from '@adjoint/runtime/memory/figures';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { MemoryMonitor } from '@adjoint/runtime/memory/monitor';
import { BatchMemoryProfiler } from '@adjoint/runtime/memory/profiler';
import type { RegionReport } from '@adjoint/runtime/memory/region';
import { trackMemory } from '@adjoint/runtime/memory/track';
import { mul, sum, tanh } from '@adjoint/runtime/ops/index';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { setUp } from '../fiber/helpers';
import { fakeIO, MB } from './helpers';

// Allocations made through the runtime itself (not ledger.add by hand): the monitors' figures are their bytes, exactly.

test.serial('a RAM snapshot, a disk snapshot and a tape, each counted to the byte by trackMemory and the profiler', (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'adjoint-memory-test-'));
  try {
    const { io, lines } = fakeIO();
    const profiler = new BatchMemoryProfiler(io);
    let report: RegionReport | undefined;
    let fileBytes = 0;
    trackMemory(
      'snapshots and a tape',
      () => {
        const ram = new RamStore();
        const disk = new DiskStore({ dir: parent });
        profiler.checkpoint('start');
        ram.save(0, { h: new Float64Array(1000), t: 0.5 }); // 8000 + 8 bytes
        disk.save(0, { h: new Float64Array(1000) });
        fileBytes = statSync(disk.fileOf(0)).size;
        profiler.checkpoint('saved');
        // The tape holds x², tanh(x²) (8000 bytes each) and the sum (8) until the gradient is done.
        grad((x: Tensor) => sum(tanh(mul(x, x))))(new Tensor(new Float64Array(1000), [1000]));
        profiler.checkpoint('gradient');
        ram.close();
        disk.close();
      },
      { ...io, onReport: (r) => (report = r) },
    );
    const r = report as RegionReport;
    const b = r.before.runtime;
    t.is(r.runtimePeak.snapshotsRam - b.snapshotsRam, 8008);
    t.is(r.runtimePeak.snapshotsDisk - b.snapshotsDisk, fileBytes);
    t.true(fileBytes > 8000);
    t.is(r.runtimePeak.tapes - b.tapes, 16008);
    t.is(r.runtimeRamPeak - hostRamBytes(b), 8008 + 16008, 'the snapshot was held while the tape was');
    t.deepEqual(r.after.runtime, b, 'everything was returned');
    const [saved, gradient] = profiler.stages();
    t.is(saved.after.runtime.snapshotsRam - saved.before.runtime.snapshotsRam, 8008);
    t.is(saved.after.runtime.snapshotsDisk - saved.before.runtime.snapshotsDisk, fileBytes);
    t.is(gradient.runtimeRamPeak - hostRamBytes(gradient.before.runtime), 16008);
    t.is(gradient.after.runtime.tapes, gradient.before.runtime.tapes);
    t.regex(lines[1], /^ {9}Peak runtime: RAM 0\.023 MB \(tensors 0\.0 MB, buffers 0\.0 MB, snapshots 0\.0076 MB, tapes 0\.015 MB\), disk 0\.00\d\d MB, GPU 0\.0 MB$/);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test.serial('getGpuMemoryMB is the gpu.js backend\'s device bytes: one more uploaded field of N complex points is 8·N bytes', (t) => {
  const points = 256;
  const { model, spectrum0 } = setUp(
    { points, windowPs: 2, centerWavelengthNm: 1550 },
    { lengthM: 0.02, steps: 5, modes: [{ betas: [0, 0, -0.02] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
    { fwhmFs: 100, peakPowerW: 2000 },
  );
  const before = ledger.current('gpu');
  const backend = GpuJsStepBackend.openSync(model, { mode: 'cpu' });
  try {
    const held = MemoryMonitor.getGpuMemoryMB() * MB - before;
    t.is(held, backend.bytesHeld);
    const field = backend.field();
    backend.uploadInto(field, spectrum0);
    t.is(MemoryMonitor.getGpuMemoryMB() * MB - before - held, 8 * points, 'float32 real and imaginary parts');
    t.is(MemoryMonitor.getMemorySummary().gpuMB * MB - before, backend.bytesHeld);
  } finally {
    backend.dispose();
  }
  t.is(ledger.current('gpu'), before);
});
