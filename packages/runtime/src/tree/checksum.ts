/**
 * CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final
 * xor 0xFFFFFFFF; crc32("123456789") = 0xCBF43926), computed slicing-by-8: eight
 * table lookups per 8 input bytes (about 1.5x slicing-by-4, 4x byte-at-a-time).
 * It detects every burst error up to 32 bits and any odd number of flipped bits,
 * which is what a snapshot file needs: catching torn writes and bit rot, not tampering.
 */

const TABLES = buildTables(8);

/** tables[j][b] is the CRC of byte b followed by j zero bytes. */
function buildTables(count: number): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let j = 1; j < count; j++) {
    const prev = tables[j - 1];
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n] >>> 8) ^ t0[prev[n] & 0xff];
    tables.push(t);
  }
  return tables;
}

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them) when given. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~previous >>> 0;
  const n = bytes.length;
  const whole = n - (n % 8);
  let i = 0;
  for (; i < whole; i += 8) {
    const lo = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    const hi = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
    c =
      t7[lo & 0xff] ^ t6[(lo >>> 8) & 0xff] ^ t5[(lo >>> 16) & 0xff] ^ t4[lo >>> 24] ^
      t3[hi & 0xff] ^ t2[(hi >>> 8) & 0xff] ^ t1[(hi >>> 16) & 0xff] ^ t0[hi >>> 24];
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
