import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';

// The ledger is process-wide: every test here is serial and leaves it as it found it.

test.serial('add/sub move current by exactly the bytes given; peak keeps the maximum', (t) => {
  const base = ledger.current('tapes');
  ledger.resetPeaks();
  ledger.add('tapes', 4096);
  ledger.add('tapes', 1000);
  ledger.sub('tapes', 4096);
  t.is(ledger.current('tapes'), base + 1000);
  t.is(ledger.peak('tapes'), base + 5096);
  ledger.sub('tapes', 1000);
  t.is(ledger.current('tapes'), base);
  t.deepEqual(ledger.counts().tapes, base);
});

test.serial('a window sees the combined peak of its categories at one moment, not the sum of their peaks', (t) => {
  const w = ledger.openWindow(['buffers', 'tapes']);
  ledger.add('buffers', 800); // combined 800
  ledger.add('tapes', 300); // 1100
  ledger.sub('buffers', 800); // 300
  ledger.add('tapes', 600); // 900
  ledger.add('gpu', 5000); // not in the combined figure
  w.close();
  ledger.add('tapes', 10_000); // after close: ignored
  t.is(w.peakTotal, 1100);
  t.is(w.peak('buffers') - ledger.current('buffers'), 800);
  t.is(w.peak('tapes'), ledger.current('tapes') - 10_000);
  t.is(w.peak('gpu'), ledger.current('gpu'));
  ledger.sub('tapes', 10_900);
  ledger.sub('gpu', 5000);
});

test.serial('nested windows and resetPeaks do not disturb one another', (t) => {
  const before = ledger.openWindowCount();
  const outer = ledger.openWindow();
  ledger.add('snapshotsRam', 2000);
  ledger.sub('snapshotsRam', 2000);
  const inner = ledger.openWindow();
  ledger.resetPeaks();
  ledger.add('snapshotsRam', 500);
  ledger.sub('snapshotsRam', 500);
  t.is(ledger.openWindowCount(), before + 2);
  inner.close();
  outer.close();
  outer.close();
  t.is(ledger.openWindowCount(), before);
  t.is(inner.peakTotal - outer.peakTotal, -1500);
  t.is(inner.peak('snapshotsRam') + 1500, outer.peak('snapshotsRam'));
  t.is(ledger.peak('snapshotsRam'), ledger.current('snapshotsRam') + 500);
});

test.serial('bad amounts, unknown categories and double frees are refused and change nothing', (t) => {
  const counts = ledger.counts();
  t.throws(() => ledger.add('buffers', -1), { message: /ledger\.add\('buffers', -1\).*non-negative integer/ });
  t.throws(() => ledger.add('buffers', 1.5), { message: /non-negative integer/ });
  t.throws(() => ledger.add('buffers', NaN), { message: /non-negative integer/ });
  t.throws(() => ledger.add('textures' as never, 1), { message: /unknown ledger category 'textures'/ });
  t.throws(() => ledger.openWindow(['tensor' as never]), { message: /unknown ledger category 'tensor'/ });
  t.throws(() => ledger.sub('toString' as never, 1), { message: /unknown ledger category 'toString'/ });
  ledger.add('gpu', 10);
  t.throws(() => ledger.sub('gpu', ledger.current('gpu') + 1), { message: /only \d+ bytes are held in 'gpu'/ });
  ledger.sub('gpu', 10);
  t.deepEqual(ledger.counts(), counts);
});
