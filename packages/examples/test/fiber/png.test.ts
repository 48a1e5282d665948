import test from 'ava';
import { encodePng } from '../../src/fiber/png';
import { decodePng, pixelAt } from './helpers';

test('encodePng round-trips through an independent decoder, pixel for pixel', (t) => {
  const [width, height] = [37, 23];
  const rgb = new Uint8Array(3 * width * height);
  // Gradients (which the Sub and Up filters flatten), a noisy block and a hard edge.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const noisy = x > 20 && y > 10;
      rgb.set(noisy ? [(x * 97 + y * 31) % 256, (x * y * 13) % 256, (x ^ y) * 7 % 256] : [x * 6, y * 11, x < 10 ? 0 : 255], i);
    }
  }
  const decoded = decodePng(encodePng(width, height, rgb));
  t.is(decoded.width, width);
  t.is(decoded.height, height);
  t.is(decoded.channels, 3);
  t.deepEqual(decoded.pixels, rgb);
  t.deepEqual(pixelAt(decoded, 0, 0), [0, 0, 0]);
  t.deepEqual(pixelAt(decoded, 12, 3), [72, 33, 255]);
});

test('a one-pixel image and a single row encode too', (t) => {
  t.deepEqual(Array.from(decodePng(encodePng(1, 1, Uint8Array.of(1, 2, 3))).pixels), [1, 2, 3]);
  const row = Uint8Array.from({ length: 3 * 300 }, (_, i) => i % 251);
  t.deepEqual(decodePng(encodePng(300, 1, row)).pixels, row);
});

test('encodePng refuses sizes that do not match the bytes', (t) => {
  t.throws(() => encodePng(2, 2, new Uint8Array(11)), { message: 'encodePng: 2 × 2 RGB pixels need 12 bytes, got 11' });
  t.throws(() => encodePng(0, 2, new Uint8Array(0)), { message: /width and height must be whole numbers >= 1, got 0 × 2/ });
});
