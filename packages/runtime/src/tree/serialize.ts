/**
 * Binary form of a value tree, bit-exact (-0, NaN payloads of typed arrays, subnormals):
 *
 *   offset 0   "ADJS"                      magic
 *          4   u32 format version (1)
 *          8   u32 H, header length
 *         12   u32 CRC-32 of every byte from offset 16 to the end (see checksum.ts)
 *         16   header: the tree's Structure as UTF-8 JSON (H bytes)
 *     16 + H   payload: each leaf's numbers in flatten order, raw IEEE 754, little-endian:
 *              number -> float64; Float64Array -> float64 x length; Float32Array -> float32 x length;
 *              Tensor -> its data (float32 for dtype float32, float64 for float64 and complex128)
 *
 * All integers are little-endian. The file length must be exactly what the header implies.
 */
import { alloc, DTYPES } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { DType, Storage, Tensor } from '../tensor/tensor';
import { crc32 } from './checksum';
import { flatten, unflatten } from './flatten';
import type { Structure } from './structure';
import type { Leaf, Tree } from './types';

const MAGIC = [0x41, 0x44, 0x4a, 0x53]; // "ADJS"
const VERSION = 1;
const PREFIX = 16;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes that are not a valid serialized tree (wrong magic, checksum mismatch, truncated, ...). */
export class TreeDecodeError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TreeDecodeError';
  }
}

export function serializeTree(tree: Tree): Uint8Array {
  const { structure, leaves } = flatten(tree);
  const header = new TextEncoder().encode(JSON.stringify(structure));
  let payload = 0;
  for (const leaf of leaves) payload += leafBytes(leaf);
  const out = new Uint8Array(PREFIX + header.length + payload);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, PREFIX);
  let offset = PREFIX + header.length;
  for (const leaf of leaves) offset = writeLeaf(leaf, out, view, offset);
  view.setUint32(12, crc32(out.subarray(PREFIX)), true);
  return out;
}

function leafBytes(leaf: Leaf): number {
  if (typeof leaf === 'number') return 8;
  return leaf instanceof Tensor ? leaf._data.byteLength : leaf.byteLength;
}

function writeLeaf(leaf: Leaf, out: Uint8Array, view: DataView, offset: number): number {
  if (typeof leaf === 'number') {
    view.setFloat64(offset, leaf, true);
    return offset + 8;
  }
  const data = leaf instanceof Tensor ? leaf._data : leaf;
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
  } else if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) view.setFloat64(offset + 8 * i, data[i], true);
  } else {
    for (let i = 0; i < data.length; i++) view.setFloat32(offset + 4 * i, data[i], true);
  }
  return offset + data.byteLength;
}

/** The tree `serializeTree` wrote; throws TreeDecodeError unless the bytes are intact. */
export function deserializeTree(bytes: Uint8Array): Tree {
  if (bytes.length < PREFIX) throw new TreeDecodeError(`truncated: ${bytes.length} bytes, shorter than the ${PREFIX}-byte prefix`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new TreeDecodeError('not a snapshot file (bad magic number)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new TreeDecodeError(`unsupported format version ${version} (expected ${VERSION})`);
  const stored = view.getUint32(12, true);
  const actual = crc32(bytes.subarray(PREFIX));
  if (stored !== actual) {
    throw new TreeDecodeError(`checksum mismatch (stored CRC-32 ${hex(stored)}, computed ${hex(actual)}): the file is corrupted`);
  }
  const headerLength = view.getUint32(8, true);
  if (PREFIX + headerLength > bytes.length) throw new TreeDecodeError('truncated header');
  const structure = parseStructure(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength)));
  const leaves: Leaf[] = [];
  const end = readLeaves(structure, bytes, view, PREFIX + headerLength, leaves);
  if (end !== bytes.length) throw new TreeDecodeError(`length mismatch: the header describes ${end} bytes, the file has ${bytes.length}`);
  return unflatten(structure, leaves);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function readLeaves(s: Structure, bytes: Uint8Array, view: DataView, offset: number, out: Leaf[]): number {
  switch (s.kind) {
    case 'array':
      for (const item of s.items) offset = readLeaves(item, bytes, view, offset, out);
      return offset;
    case 'object':
      for (const value of s.values) offset = readLeaves(value, bytes, view, offset, out);
      return offset;
    case 'number':
      need(bytes, offset, 8);
      out.push(view.getFloat64(offset, true));
      return offset + 8;
    case 'Float64Array':
    case 'Float32Array': {
      const data = readInto(s.kind === 'Float64Array' ? new Float64Array(s.length) : new Float32Array(s.length), bytes, view, offset);
      out.push(data);
      return offset + data.byteLength;
    }
    case 'Tensor': {
      const data = readInto(alloc(s.dtype, sizeOf(s.shape)), bytes, view, offset);
      out.push(new Tensor(data, s.shape, s.dtype));
      return offset + data.byteLength;
    }
  }
}

function readInto<A extends Storage>(data: A, bytes: Uint8Array, view: DataView, offset: number): A {
  const length = data.length;
  need(bytes, offset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + data.byteLength));
  } else if (data instanceof Float64Array) {
    for (let i = 0; i < length; i++) data[i] = view.getFloat64(offset + 8 * i, true);
  } else {
    for (let i = 0; i < length; i++) data[i] = view.getFloat32(offset + 4 * i, true);
  }
  return data;
}

function need(bytes: Uint8Array, offset: number, count: number): void {
  if (offset + count > bytes.length) throw new TreeDecodeError(`truncated payload: needs ${offset + count} bytes, the file has ${bytes.length}`);
}

/** The header passed the checksum, so it is ours; still, only well-formed structures get through. */
function parseStructure(json: string): Structure {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new TreeDecodeError('unreadable header (not JSON)');
  }
  return checkStructure(raw);
}

function checkStructure(raw: unknown): Structure {
  const s = raw as { kind?: unknown; [key: string]: unknown };
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (typeof s === 'object' && s !== null) {
    switch (s.kind) {
      case 'number':
        return { kind: 'number' };
      case 'Float64Array':
      case 'Float32Array':
        if (isCount(s.length)) return { kind: s.kind, length: s.length };
        break;
      case 'Tensor':
        if (DTYPES.includes(s.dtype as DType) && Array.isArray(s.shape) && s.shape.every(isCount)) {
          return { kind: 'Tensor', dtype: s.dtype as DType, shape: s.shape as number[] };
        }
        break;
      case 'array':
        if (Array.isArray(s.items)) return { kind: 'array', items: s.items.map(checkStructure) };
        break;
      case 'object':
        if (Array.isArray(s.keys) && Array.isArray(s.values) && s.keys.length === s.values.length && s.keys.every((k) => typeof k === 'string')) {
          return { kind: 'object', keys: s.keys as string[], values: s.values.map(checkStructure) };
        }
        break;
    }
  }
  throw new TreeDecodeError(`malformed header: ${JSON.stringify(raw)?.slice(0, 80)}`);
}
