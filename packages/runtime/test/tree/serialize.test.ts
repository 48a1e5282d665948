import test from 'ava';
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'zlib';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { crc32 } from '@adjoint/runtime/tree/checksum';
import { deserializeTree, serializeTree, TreeDecodeError } from '@adjoint/runtime/tree/serialize';
import type { Tree } from '@adjoint/runtime/tree/types';

test('CRC-32 matches the standard check value and zlib (an independent implementation), also when continued', (t) => {
  t.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  t.is(crc32(new Uint8Array(0)), 0);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
      const k = Math.min(cut, bytes.length);
      return crc32(bytes) === zlibCrc32(bytes) && crc32(bytes.subarray(k), crc32(bytes.subarray(0, k))) === crc32(bytes);
    }),
  );
});

/** Any double or float, by bit pattern: NaN payloads, signed zeros, subnormals, infinities. */
const f64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => new Float64Array(new BigUint64Array([b]).buffer)[0]);
const f64Array = fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 8 }).map((bs) => new Float64Array(new BigUint64Array(bs).buffer));
const f32Array = fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 8 }).map((bs) => new Float32Array(new Uint32Array(bs).buffer));
const tensor = fc.oneof(
  fc.tuple(f64Array, fc.constant('float64' as const)),
  fc.tuple(f32Array, fc.constant('float32' as const)),
  fc.tuple(f64Array.filter((a) => a.length % 2 === 0), fc.constant('complex128' as const)),
).map(([data, dtype]) => new Tensor(data, [dtype === 'complex128' ? data.length / 2 : data.length], dtype));
const { tree } = fc.letrec<{ tree: Tree }>((rec) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    f64,
    f64Array,
    f32Array,
    tensor,
    fc.array(rec('tree'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__'), rec('tree'), { maxKeys: 4 }),
  ),
}));

/** Canonical bytes of a tree: serialization is deterministic, so equal bytes mean equal trees, bit for bit. */
test('round trip is bit-exact for random trees (every float bit pattern, nested arrays and objects, tensors of each dtype)', (t) => {
  fc.assert(
    fc.property(tree, (x) => {
      const bytes = serializeTree(x);
      const back = deserializeTree(bytes);
      const again = serializeTree(back);
      return Buffer.compare(Buffer.from(bytes), Buffer.from(again)) === 0 && sameLeafBits(x, back);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

/** An independent check of the leaves (not through serialization): same types, same bits. */
function sameLeafBits(a: Tree, b: Tree): boolean {
  const bits = (x: Float64Array | Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  if (typeof a === 'number') return typeof b === 'number' && bits(new Float64Array([a])).equals(bits(new Float64Array([b])));
  if (a instanceof Float64Array || a instanceof Float32Array) return b instanceof a.constructor && bits(a).equals(bits(b as Float64Array));
  if (a instanceof Tensor) return b instanceof Tensor && a.dtype === b.dtype && a.shape.join() === b.shape.join() && sameLeafBits(a.data, b.data);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameLeafBits(x, (b as Tree[])[i]));
  const ao = a as Record<string, Tree>;
  const bo = b as Record<string, Tree>;
  const keys = Object.keys(ao).sort();
  return keys.join('\0') === Object.keys(bo).sort().join('\0') && keys.every((k) => sameLeafBits(ao[k], bo[k]));
}

test('the layout is the documented one: magic, version, header length, CRC, JSON header, little-endian data', (t) => {
  const bytes = serializeTree(new Float64Array([1]));
  const header = JSON.stringify({ kind: 'Float64Array', length: 1 });
  const view = new DataView(bytes.buffer);
  t.is(Buffer.from(bytes.subarray(0, 4)).toString(), 'ADJS');
  t.is(view.getUint32(4, true), 1);
  t.is(view.getUint32(8, true), header.length);
  t.is(view.getUint32(12, true), zlibCrc32(bytes.subarray(16)));
  t.is(Buffer.from(bytes.subarray(16, 16 + header.length)).toString(), header);
  t.deepEqual([...bytes.subarray(16 + header.length)], [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
});

test('every single flipped bit is detected; truncation and bad magic too', (t) => {
  const bytes = serializeTree({ h: new Float64Array([1, -0, NaN]), t: 2, k: new Tensor(new Float32Array([1, 2]), [2]) });
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const bad = bytes.slice();
      bad[i] ^= 1 << bit;
      t.throws(() => deserializeTree(bad), { instanceOf: TreeDecodeError }, `byte ${i} bit ${bit}`);
    }
  }
  t.throws(() => deserializeTree(bytes.subarray(0, 10)), { message: /truncated/ });
  t.throws(() => deserializeTree(bytes.subarray(0, bytes.length - 1)), { message: /checksum mismatch/ });
});
