import test from 'ava';
import { svgToPng } from '@adjoint/runtime/memory/index';
import { COLORMAP, colormapIndex } from '../../src/fiber/colormap';
import { levelsToRgb, mapFigureSvg, type MapFigure } from '../../src/fiber/heatmap';
import { checkWellFormedXml, decodePng, pixelAt, type DecodedPng } from './helpers';

const RANGE = 40;
const colourOf = (db: number) => {
  const i = 3 * colormapIndex(1 + db / RANGE);
  return Array.from(COLORMAP.subarray(i, i + 3));
};

/** Attributes of every <image> in an SVG, in document order. */
function images(svg: string): Record<string, string>[] {
  return Array.from(svg.matchAll(/<image\b([^>]*)\/>/g), ([, attributes]) => Object.fromEntries(Array.from(attributes.matchAll(/([\w:-]+)="([^"]*)"/g), ([, k, v]) => [k, v])));
}

const embedded = (image: Record<string, string>): DecodedPng => {
  const uri = image['xlink:href'];
  if (!uri.startsWith('data:image/png;base64,')) throw new Error(`not an embedded PNG: ${uri.slice(0, 30)}`);
  return decodePng(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64'));
};

/** Two panels: 4 × 2 and 3 × 3 levels, the first half 0 dB and half -20 dB. */
function figure(): MapFigure {
  return {
    title: 'test & figure',
    yLabel: 'distance z (m)',
    y: [0, 2],
    rangeDb: RANGE,
    colorbarLabel: 'relative to peak (dB)',
    panels: [
      { title: 'left', xLabel: 'wavelength (nm)', x: [1000, 2000], columns: 4, rows: 2, levels: Float32Array.of(0, 0, -20, -20, 0, 0, -20, -20), marks: { at: [1200, 1300], label: 'band' } },
      { title: 'right', xLabel: 'delay (ps)', x: [-1, 1], columns: 3, rows: 3, levels: Float32Array.of(-40, -50, -Infinity, -10, -10, -10, -30, 0, -5) },
    ],
  };
}

test('levelsToRgb puts row 0 (lowest y) at the bottom and colours -rangeDb..0 along the map, clamping below', (t) => {
  const rgb = levelsToRgb(Float32Array.of(0, -40, -100, -20), 2, 2, RANGE);
  const pixel = (i: number) => Array.from(rgb.subarray(3 * i, 3 * i + 3));
  t.deepEqual([pixel(0), pixel(1), pixel(2), pixel(3)], [colourOf(-100), colourOf(-20), colourOf(0), colourOf(-40)]);
  t.deepEqual(colourOf(-100), colourOf(-40));
  t.throws(() => levelsToRgb(new Float32Array(3), 2, 2, RANGE), { message: 'levelsToRgb: 2 × 2 levels expected, got 3' });
});

test('the figure SVG is well-formed, labelled, and embeds one PNG per panel at its raster size plus the colour bar', (t) => {
  const svg = mapFigureSvg(figure());
  t.notThrows(() => checkWellFormedXml(svg));
  for (const text of ['test &amp; figure', 'distance z (m)', 'wavelength (nm)', 'delay (ps)', 'relative to peak (dB)', '>band<', '>-40<', '>0<']) t.true(svg.includes(text), text);
  t.is(svg.match(/<rect /g)?.length, 1 + 2 + 1); // background, two panel frames, colour bar frame
  const [left, right, bar] = images(svg);
  t.is(images(svg).length, 3);
  const a = embedded(left);
  const b = embedded(right);
  t.deepEqual([a.width, a.height, b.width, b.height], [4, 2, 3, 3]);
  // Top image row = highest y = the last row of levels.
  t.deepEqual(pixelAt(a, 0, 0), colourOf(0));
  t.deepEqual(pixelAt(a, 3, 1), colourOf(-20));
  t.deepEqual(pixelAt(b, 1, 0), colourOf(0));
  t.deepEqual(pixelAt(b, 2, 0), colourOf(-5));
  t.deepEqual(pixelAt(b, 0, 2), colourOf(-40));
  t.deepEqual(pixelAt(b, 2, 2), colourOf(-40)); // -Infinity is the floor
  const colourbar = embedded(bar);
  t.deepEqual([colourbar.width, colourbar.height], [1, 256]);
  t.deepEqual(pixelAt(colourbar, 0, 0), colourOf(0));
  t.deepEqual(pixelAt(colourbar, 0, 255), colourOf(-40));
});

test('resvg rasterises the embedded maps: the PNG shows the colour map\'s colours where the panels are', async (t) => {
  const svg = mapFigureSvg(figure());
  const [left] = images(svg);
  const png = decodePng(await svgToPng(svg));
  const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(left[k]));
  // The centres of the first panel's outer columns (its scaling filter weighs only the centre pixel
  // there), away from the marks' lines; each column is uniform, 0 dB on the left, -20 dB on the right.
  const near = (got: number[], want: number[]) => got.slice(0, 3).every((v, k) => Math.abs(v - want[k]) <= 2);
  const first = pixelAt(png, Math.round(x + 0.125 * w), Math.round(y + h / 2));
  const last = pixelAt(png, Math.round(x + 0.875 * w), Math.round(y + h / 2));
  t.true(near(first, colourOf(0)), `${first} vs ${colourOf(0)}`);
  t.true(near(last, colourOf(-20)), `${last} vs ${colourOf(-20)}`);
});

test('marks are dashed lines inside the panel only, captioned beside them', (t) => {
  const dashes = (svg: string) => svg.match(/stroke-dasharray/g)?.length ?? 0;
  t.is(dashes(mapFigureSvg(figure())), 2);
  const [first, second] = figure().panels;
  const outside = mapFigureSvg({ ...figure(), panels: [{ ...first, marks: { at: [500, 1950], label: 'edge' } }, second] });
  t.is(dashes(outside), 1);
  // 1950 nm sits too near the right frame for the caption: it goes left of the line, right-aligned.
  t.regex(outside, /text-anchor="end" font-size="11" fill="white">edge</);
});

test('a figure needs a panel', (t) => {
  t.throws(() => mapFigureSvg({ ...figure(), panels: [] }), { message: 'mapFigureSvg: no panels' });
});
