/**
 * A minimal PNG encoder for 8-bit RGB rasters (the density maps' pixels), so a map
 * is one <image> in its SVG rather than one <rect> per cell. Each row gets the filter
 * (None, Sub or Up) whose output has the smallest sum of |signed byte|, the usual
 * heuristic that lets deflate find the long runs of smooth colour gradients.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from '@adjoint/runtime/tree';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const BYTES_PER_PIXEL = 3;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  // The CRC covers the chunk type and its data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Filter byte then filtered bytes for each row, each row filtered the way that looks most compressible. */
function filterRows(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const stride = width * BYTES_PER_PIXEL;
  const out = new Uint8Array(height * (stride + 1));
  const candidate = [new Uint8Array(stride), new Uint8Array(stride), new Uint8Array(stride)];
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : undefined;
    let best = 0;
    let bestCost = Infinity;
    for (let filter = 0; filter < 3; filter++) {
      const bytes = candidate[filter];
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const left = filter === 1 && i >= BYTES_PER_PIXEL ? row[i - BYTES_PER_PIXEL] : 0;
        const up = filter === 2 && above !== undefined ? above[i] : 0;
        const value = (row[i] - left - up) & 0xff;
        bytes[i] = value;
        cost += value < 128 ? value : 256 - value;
      }
      if (cost < bestCost) [best, bestCost] = [filter, cost];
    }
    out[y * (stride + 1)] = best;
    out.set(candidate[best], y * (stride + 1) + 1);
  }
  return out;
}

/** PNG bytes of a width × height image given as rows of (r, g, b) bytes, top row first. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: width and height must be whole numbers >= 1, got ${width} × ${height}`);
  }
  if (rgb.length !== width * height * BYTES_PER_PIXEL) {
    throw new Error(`encodePng: ${width} × ${height} RGB pixels need ${width * height * BYTES_PER_PIXEL} bytes, got ${rgb.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(filterRows(width, height, rgb), { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
