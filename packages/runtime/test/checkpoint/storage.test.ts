import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DiskStore, TEMP_DIR_PREFIX } from '@adjoint/runtime/checkpoint/storage/disk';
import { RamStore } from '@adjoint/runtime/checkpoint/storage/ram';
import { openTempDirs } from '@adjoint/runtime/checkpoint/storage/cleanup';
import { SnapshotError } from '@adjoint/runtime/checkpoint/errors';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { sameBits } from './helpers/problem';

const parent = mkdtempSync(join(tmpdir(), 'adjoint-storage-test-'));
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

function f64FromBits(...hex: bigint[]): Float64Array {
  return new Float64Array(new BigUint64Array(hex).buffer);
}

function f32FromBits(...bits: number[]): Float32Array {
  return new Float32Array(new Uint32Array(bits).buffer);
}

/** Every awkward float: signed zeros, NaNs with payloads (quiet and signalling), subnormals, infinities. */
function awkwardTree() {
  return {
    scalars: [-0, 0, NaN, Infinity, -Infinity, 5e-324, -2.2250738585072014e-308, Number.MAX_VALUE, 1 / 3],
    f64: f64FromBits(0x8000000000000000n, 0x7ff8deadbeef0001n, 0x7ff0000000000001n, 0xfff4000000000abcn, 0x0000000000000001n, 0x3ff0000000000000n),
    f32: f32FromBits(0x80000000, 0x7fc0beef, 0x7f800001, 0x00000001, 0xff800000, 0x3eaaaaab),
    tensors: {
      a64: new Tensor(f64FromBits(0x7ff8000000000123n, 0x8000000000000000n, 0x4009211004b7df3an, 0x1n, 0x0n, 0xbff0000000000000n), [2, 3]),
      a32: new Tensor(f32FromBits(0x7fc00001, 0x80000000, 0x00000002, 0x40490fdb), [4], 'float32'),
      z: new Tensor(new Float64Array([1.5, -0, NaN, 5e-324]), [2], 'complex128'),
      scalar: new Tensor(new Float64Array([42]), []),
    },
    nested: [[], {}, [[1, [2]], { 'odd key': new Float64Array(0) }]],
  };
}

function assertSameTree(t: import('ava').ExecutionContext, a: unknown, b: unknown, path = 'state'): void {
  if (typeof a === 'number') {
    t.true(typeof b === 'number' && sameBits(new Float64Array([a]), new Float64Array([b as number])), `${path}: ${a} vs ${String(b)}`);
  } else if (a instanceof Float64Array || a instanceof Float32Array) {
    t.true(b instanceof a.constructor && sameBits(a, b as Float64Array), path);
  } else if (a instanceof Tensor) {
    t.true(b instanceof Tensor, path);
    const bt = b as Tensor;
    t.deepEqual([bt.dtype, [...bt.shape]], [a.dtype, [...a.shape]], path);
    t.true(sameBits(a.data, bt.data), `${path}.data`);
  } else if (Array.isArray(a)) {
    t.true(Array.isArray(b) && b.length === a.length, path);
    a.forEach((x, i) => assertSameTree(t, x, (b as unknown[])[i], `${path}[${i}]`));
  } else {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    t.deepEqual(Object.keys(bo).sort(), Object.keys(ao).sort(), path);
    for (const k of Object.keys(ao)) assertSameTree(t, ao[k], bo[k], `${path}.${k}`);
  }
}

test('the disk tier round-trips a value tree bit-exactly and counts file bytes in the ledger', (t) => {
  const store = new DiskStore({ dir: parent });
  const tree = awkwardTree();
  const before = ledger.current('snapshotsDisk');
  store.save(3, tree);
  const dir = store.dir!;
  t.true(dir.startsWith(join(parent, TEMP_DIR_PREFIX)));
  const size = statSync(store.fileOf(3)).size;
  t.is(store.bytes, size);
  t.is(ledger.current('snapshotsDisk'), before + size);
  assertSameTree(t, store.load(3), tree);
  assertSameTree(t, store.load(3), tree, 'second load');
  store.drop(3);
  t.is(ledger.current('snapshotsDisk'), before);
  t.false(existsSync(store.fileOf(3)));
  store.save(4, 1.25);
  store.close();
  t.is(ledger.current('snapshotsDisk'), before);
  t.false(existsSync(dir));
  t.deepEqual(openTempDirs(), []);
});

test('the RAM tier copies typed arrays on save and on load, shares tensors, and counts bytes', (t) => {
  const store = new RamStore();
  const tensor = new Tensor(new Float32Array([1, 2, 3]), [3]);
  const state = { h: new Float64Array([1, 2]), t: 0.5, k: tensor };
  store.save(0, state);
  t.is(store.bytes, 16 + 8 + 12);
  t.is(ledger.current('snapshotsRam'), 36);
  state.h[0] = 99;
  const a = store.load(0) as typeof state;
  t.is(a.h[0], 1);
  a.h[1] = -7;
  const b = store.load(0) as typeof state;
  t.is(b.h[1], 2);
  t.is(b.k, tensor);
  store.close();
  t.is(store.count, 0);
  t.is(ledger.current('snapshotsRam'), 0);
});

test('a corrupted, truncated or missing snapshot file gives a SnapshotError naming step and file', (t) => {
  const store = new DiskStore({ dir: parent });
  store.save(7, { h: new Float64Array([1, 2, 3]) });
  const file = store.fileOf(7);
  const bytes = readFileSync(file);
  for (const at of [5, 20, bytes.length - 3]) {
    const bad = Buffer.from(bytes);
    bad[at] ^= 0x10;
    writeFileSync(file, bad);
    const e = t.throws(() => store.load(7), { instanceOf: SnapshotError });
    t.is(e!.step, 7);
    t.is(e!.file, file);
    t.regex(e!.message, /step 7/);
    t.true(e!.message.includes(file));
    t.regex(e!.message, at === 5 ? /corrupted: unsupported format version/ : /corrupted: checksum mismatch/);
  }
  writeFileSync(file, bytes.subarray(0, bytes.length - 8));
  t.throws(() => store.load(7), { instanceOf: SnapshotError, message: /step 7 is corrupted/ });
  rmSync(file);
  const e = t.throws(() => store.load(7), { instanceOf: SnapshotError, message: /step 7 is missing/ });
  t.is(e!.file, file);
  store.drop(7);
  store.close();
  t.deepEqual(readdirSync(parent), []);
});

test('a bit flipped in any byte of a snapshot file is a SnapshotError, never a value', (t) => {
  const store = new DiskStore({ dir: parent });
  store.save(5, { h: new Float64Array([1, -0]), t: 0.5, k: [new Tensor(new Float32Array([1, 2, 3]), [3]), 4] });
  const file = store.fileOf(5);
  const intact = readFileSync(file);
  let flips = 0;
  for (let at = 0; at < intact.length; at++) {
    // The CRC covers bytes 16.. (one bit each suffices); the 16-byte prefix it does not cover gets every bit.
    for (const bit of at < 16 ? [0, 1, 2, 3, 4, 5, 6, 7] : [at % 8]) {
      const bad = Buffer.from(intact);
      bad[at] ^= 1 << bit;
      writeFileSync(file, bad);
      try {
        store.load(5);
        t.fail(`byte ${at}, bit ${bit}: the corrupted file was read as a state`);
      } catch (e) {
        if (!(e instanceof SnapshotError && e.step === 5 && e.file === file)) t.fail(`byte ${at}, bit ${bit}: ${String(e)}`);
      }
      flips++;
    }
  }
  t.is(flips, intact.length + 7 * 16);
  store.close();
  t.deepEqual(readdirSync(parent), []);
});

test('an unwritable snapshot location gives a SnapshotError naming step and file', (t) => {
  const notADir = join(parent, 'plain-file');
  writeFileSync(notADir, 'x');
  const store = new DiskStore({ dir: notADir });
  const e = t.throws(() => store.save(2, 1), { instanceOf: SnapshotError, message: /step 2 could not be written/ });
  t.true(e!.file.startsWith(notADir));
  store.close();
  rmSync(notADir);
  const gone = new DiskStore({ dir: join(parent, 'does', 'not', 'exist') });
  t.throws(() => gone.save(0, 1), { instanceOf: SnapshotError, message: /step 0 could not be written/ });
  t.deepEqual(openTempDirs(), []);
});
