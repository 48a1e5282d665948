import test from 'ava';
import { COLORMAP, COLORMAP_SIZE, colormapIndex } from '../../src/fiber/colormap';

/** sRGB bytes to OKLab, written out here independently of colormap.ts (which only goes the other way). */
function oklab(r: number, g: number, b: number): [number, number, number] {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

const entry = (i: number) => oklab(COLORMAP[3 * i], COLORMAP[3 * i + 1], COLORMAP[3 * i + 2]);

test('the colour map gets lighter at every step, from near black to near white', (t) => {
  t.is(COLORMAP.length, 3 * COLORMAP_SIZE);
  const lightness = Array.from({ length: COLORMAP_SIZE }, (_, i) => entry(i)[0]);
  for (let i = 1; i < COLORMAP_SIZE; i++) t.true(lightness[i] > lightness[i - 1], `entry ${i}: L ${lightness[i]} after ${lightness[i - 1]}`);
  t.true(lightness[0] < 0.2 && lightness[COLORMAP_SIZE - 1] > 0.95);
});

test('equal steps along the map are equal perceptual distances (OKLab) within 5%', (t) => {
  // Steps of 15 entries: a single 8-bit entry's rounding is a large part of a one-entry step.
  const distances: number[] = [];
  for (let i = 15; i < COLORMAP_SIZE; i += 15) distances.push(Math.hypot(...entry(i).map((v, k) => v - entry(i - 15)[k])));
  const mean = distances.reduce((a, b) => a + b) / distances.length;
  for (const d of distances) t.true(Math.abs(d / mean - 1) < 0.05, `step ${d} vs mean ${mean}`);
});

test('levels map onto entries: clamped, NaN lowest', (t) => {
  t.is(colormapIndex(0), 0);
  t.is(colormapIndex(-3), 0);
  t.is(colormapIndex(Number.NaN), 0);
  t.is(colormapIndex(1), COLORMAP_SIZE - 1);
  t.is(colormapIndex(7), COLORMAP_SIZE - 1);
  t.is(colormapIndex(0.5), 128);
});
