import test from 'ava';
import * as v8 from 'v8';
import * as vm from 'vm';
import { grad } from '@adjoint/runtime/autodiff/index';
import { RamStore } from '@adjoint/runtime/checkpoint/storage/ram';
import { createMemoryMonitors } from '@adjoint/runtime/memory/config';
import { mb } from '@adjoint/runtime/memory/format';
import type { RegionReport } from '@adjoint/runtime/memory/region';
import { trackMemory } from '@adjoint/runtime/memory/track';
import { HOST_RAM_CATEGORIES, ledger } from '@adjoint/runtime/memory/ledger';
import { hostRamBytes } from '@adjoint/runtime/memory/figures';
import { holdTensorTracking, tensorTracking, trackTensorMemory } from '@adjoint/runtime/memory/tensors';
import { add, mul, reshape, sum } from '@adjoint/runtime/ops/index';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { zeros } from '@adjoint/runtime/tensor/create';
import { fakeIO } from './helpers';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const tensorBytes = () => ledger.current('tensors');

/**
 * Collects garbage until `done()`: a finalizer runs in a task after the collection, so
 * each round yields a macrotask. False if it never happened within the rounds.
 */
async function collectUntil(done: () => boolean, rounds = 30): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (done()) return true;
  }
  return false;
}

/** Every test here drops the tensors it counted, so all of them can be collected away. */
async function settle(t: { true(value: boolean, message?: string): void }): Promise<void> {
  t.true(await collectUntil(() => tensorBytes() === 0), `tensors still counted before the test: ${tensorBytes()} B`);
}

/** Runs `body` with tracking switched on, then restores the switch; `body` must not leak its tensors. */
function tracked<T>(body: () => T): T {
  const previous = trackTensorMemory(true);
  try {
    return body();
  } finally {
    trackTensorMemory(previous);
  }
}

test.serial('tracking on: a 1000×1000 float64 tensor adds exactly 8,000,000 bytes, its reshape 0, complex128 16 B and float32 4 B per element', async (t) => {
  await settle(t);
  tracked(() => {
    const before = tensorBytes();
    const x = zeros([1000, 1000]);
    t.is(tensorBytes() - before, 8_000_000);
    const flat = reshape(x, [1_000_000]);
    const traced = new Tensor(x._data, [10, 100_000]);
    t.is(tensorBytes() - before, 8_000_000, 'views share the buffer: counted once');
    t.is(flat.size + traced.size, 2_000_000);
    zeros([1000], 'complex128');
    t.is(tensorBytes() - before, 8_000_000 + 16_000);
    zeros([1000], 'float32');
    t.is(tensorBytes() - before, 8_000_000 + 16_000 + 4_000);
    // A view of part of a buffer counts the whole buffer, which it keeps alive.
    new Tensor(new Float64Array(100).subarray(0, 10), [10]);
    t.is(tensorBytes() - before, 8_000_000 + 16_000 + 4_000 + 800);
  });
});

test.serial('a dropped tensor leaves the count once collected and finalized; host RAM includes the tensors', async (t) => {
  await settle(t);
  const ramBefore = hostRamBytes(ledger.counts());
  t.true(HOST_RAM_CATEGORIES.includes('tensors'));
  tracked(() => {
    zeros([1000, 1000]);
  });
  t.is(tensorBytes(), 8_000_000, 'no finalizer can run inside the synchronous code that made it');
  t.is(hostRamBytes(ledger.counts()) - ramBefore, 8_000_000);
  t.true(await collectUntil(() => tensorBytes() === 0), `still ${tensorBytes()} B after collections`);
  t.is(hostRamBytes(ledger.counts()), ramBefore);
});

test.serial('tracking off: creating, viewing and computing on tensors never moves the count', async (t) => {
  await settle(t);
  t.false(tensorTracking());
  const x = zeros([1000]);
  const y = add(mul(x, x), reshape(x, [10, 100]).data.length);
  t.is(sum(y).item(), 1000 * 1000);
  t.is(tensorBytes(), 0);
  // Made before tracking was on, so never counted, even when tracking is on later.
  tracked(() => {
    t.is(x.size, 1000);
    t.is(tensorBytes(), 0);
  });
});

test.serial('a tape and a RAM snapshot count the tensor data they hold; it is not counted as live tensors meanwhile', async (t) => {
  await settle(t);
  tracked(() => {
    const x = zeros([1000]);
    const base = ledger.counts();
    t.is(base.tensors, 8000);
    let inside = base;
    grad((v: Tensor) => {
      const squared = mul(v, v);
      inside = ledger.counts();
      return sum(squared);
    })(x);
    t.is(inside.tapes - base.tapes, 8000, 'the tape holds x²');
    t.is(inside.tensors - base.tensors, 0, '... which is therefore not also a live tensor');
    t.is(ledger.current('tapes'), base.tapes);
    t.true(tensorBytes() - base.tensors >= 8000, 'released by the tape, x² is a live tensor until finalized');

    const store = new RamStore();
    const held = tensorBytes();
    store.save(0, { h: x, t: 0.5 });
    t.is(ledger.current('snapshotsRam') - base.snapshotsRam, 8008);
    t.is(tensorBytes(), held - 8000);
    store.close();
    t.is(tensorBytes(), held);
    t.is(ledger.current('snapshotsRam'), base.snapshotsRam);
  });
});

test.serial('holds nest and overlap; releasing twice is harmless; the switch outlasts them', (t) => {
  t.false(tensorTracking());
  const a = holdTensorTracking();
  const b = holdTensorTracking();
  t.true(tensorTracking());
  a();
  a();
  t.true(tensorTracking(), 'b still holds it');
  t.false(trackTensorMemory(true));
  b();
  t.true(tensorTracking(), 'the switch is on');
  t.true(trackTensorMemory(false));
  t.false(tensorTracking());
  t.throws(() => trackTensorMemory('on' as never), { message: 'trackTensorMemory: on must be true or false, got "on"' });
});

test.serial('trackMemory with trackTensors holds tracking until an async region settles, and releases it on a throw', async (t) => {
  await settle(t);
  const { io } = fakeIO();
  let report: RegionReport | undefined;
  const kept = await trackMemory(
    'async',
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      t.true(tensorTracking());
      return zeros([1000]);
    },
    { ...io, trackTensors: true, onReport: (r) => (report = r) },
  );
  t.false(tensorTracking());
  const r = report as RegionReport;
  t.is(r.runtimePeak.tensors - r.before.runtime.tensors, 8000);
  t.is(r.after.runtime.tensors - r.before.runtime.tensors, 8000, 'still referenced');
  t.is(kept.size, 1000);
  const fails = () => {
    zeros([10]);
    throw new Error('boom');
  };
  t.throws(() => trackMemory('throws', fails, { ...io, trackTensors: true }), { message: 'boom' });
  t.false(tensorTracking());
  trackMemory('untracked', () => zeros([10]), io);
  t.is(tensorBytes(), 8000 + 80, 'without trackTensors the region counts nothing');
});

test.serial('monitoring with trackTensorMemory counts the run\'s tensors and prints them, then restores tracking; without either, tracking never starts', async (t) => {
  await settle(t);
  const { io, lines } = fakeIO();
  for (const config of [{ enableMemoryMonitoring: false, trackTensorMemory: true }, { enableMemoryMonitoring: true }]) {
    const inert = createMemoryMonitors(config, { ...io, sink: () => undefined });
    inert.epoch.startEpoch();
    inert.track('step', () => zeros([1000]));
    t.false(tensorTracking(), JSON.stringify(config));
    inert.epoch.endEpoch();
  }
  t.is(tensorBytes(), 0);
  t.throws(() => createMemoryMonitors({ enableMemoryMonitoring: true, trackTensorMemory: 'yes' as never }), { message: /trackTensorMemory must be true or false/ });

  const monitors = createMemoryMonitors({ enableMemoryMonitoring: true, trackTensorMemory: true, memoryMonitorBatches: 1 }, io);
  t.false(tensorTracking(), 'creating the monitors starts nothing');
  monitors.epoch.startEpoch();
  t.true(tensorTracking());
  const kept = monitors.track('step', () => zeros([1000]));
  t.true(tensorTracking(), 'the epoch still holds it');
  monitors.epoch.batch(0, 1);
  monitors.epoch.endEpoch();
  t.false(tensorTracking(), 'restored');
  t.is(kept.size, 1000);
  t.is(tensorBytes(), 8000);
  t.deepEqual(lines.slice(0, 2), [
    '[Memory] step: CPU +0.0 MB, GPU +0.0 MB (peak 100.0 MB)',
    `         Peak runtime: RAM ${mb(hostRamBytes(ledger.counts()))} MB (tensors ${mb(8000)} MB, buffers ${mb(ledger.current('buffers'))} MB, ` +
      `snapshots ${mb(ledger.current('snapshotsRam'))} MB, tapes ${mb(ledger.current('tapes'))} MB), disk ${mb(ledger.current('snapshotsDisk'))} MB, GPU ${mb(ledger.current('gpu'))} MB`,
  ]);
  t.regex(lines[2], / runtime 0\.0076 MB, loss=1\.000000$/);

  trackTensorMemory(true);
  monitors.epoch.startEpoch();
  monitors.epoch.endEpoch();
  t.true(tensorTracking(), 'a switch that was on stays on');
  trackTensorMemory(false);
});
