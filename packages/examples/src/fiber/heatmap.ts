/**
 * Density-map figures: side-by-side panels sharing a vertical axis, each a raster of
 * dB levels coloured with the perceptual map of colormap.ts, embedded as one PNG
 * <image> (png.ts) so the SVG stays small and resvg rasterises it like any picture;
 * axes with ticks and units, and one colour bar for all panels.
 */
import { escapeXml, formatTick, linearTicks } from '@adjoint/runtime/memory/report';
import { COLORMAP, COLORMAP_SIZE, colormapIndex } from './colormap';
import { encodePng } from './png';

interface MapPanel {
  readonly title: string;
  readonly xLabel: string;
  /** Axis values at the left and right edges of the raster. */
  readonly x: readonly [number, number];
  readonly columns: number;
  readonly rows: number;
  /** rows × columns levels in dB (0 = the panel's peak), row 0 at the bottom of the y axis, each row left to right. */
  readonly levels: Float32Array;
  /** Dashed vertical lines at these x values, captioned. */
  readonly marks?: { readonly at: readonly number[]; readonly label: string };
}

export interface MapFigure {
  readonly title: string;
  readonly yLabel: string;
  /** Axis values at the bottom and top edges of every raster. */
  readonly y: readonly [number, number];
  readonly panels: readonly MapPanel[];
  /** Levels at or below -rangeDb get the lowest colour. */
  readonly rangeDb: number;
  readonly colorbarLabel: string;
}

const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
const PANEL_WIDTH = 360;
const PANEL_HEIGHT = 300;
const PANEL_GAP = 30;
const LEFT = 78;
const TOP = 62;
const COLORBAR_GAP = 22;
const COLORBAR_WIDTH = 16;
const RIGHT_MARGIN = 78;
const BOTTOM_MARGIN = 62;
/** Room a mark's caption needs to the right of its line. */
const MARK_CAPTION_WIDTH = 94;

const px = (v: number) => String(Math.round(v * 100) / 100);

/** RGB bytes of a panel's raster, top row (highest y) first as PNG wants, levels scaled from -rangeDb..0 onto the colour map. */
export function levelsToRgb(levels: Float32Array, columns: number, rows: number, rangeDb: number): Uint8Array {
  if (levels.length !== columns * rows) throw new Error(`levelsToRgb: ${columns} × ${rows} levels expected, got ${levels.length}`);
  const rgb = new Uint8Array(3 * columns * rows);
  for (let r = 0; r < rows; r++) {
    const source = (rows - 1 - r) * columns;
    for (let c = 0; c < columns; c++) {
      const entry = colormapIndex(1 + levels[source + c] / rangeDb);
      rgb.set(COLORMAP.subarray(3 * entry, 3 * entry + 3), 3 * (r * columns + c));
    }
  }
  return rgb;
}

const pngDataUri = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** Ticks of linearTicks that fall inside [a, b] (either order). */
function ticksWithin(a: number, b: number, target: number): number[] {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const slack = 1e-9 * (hi - lo);
  return linearTicks(lo, hi, target).filter((v) => v >= lo - slack && v <= hi + slack);
}

/** An SVG document of the figure: panels left to right, the shared y axis on the left, the colour bar on the right. */
export function mapFigureSvg(figure: MapFigure): string {
  const { panels, y, rangeDb } = figure;
  if (panels.length === 0) throw new Error('mapFigureSvg: no panels');
  const panelsRight = LEFT + panels.length * PANEL_WIDTH + (panels.length - 1) * PANEL_GAP;
  const barLeft = panelsRight + COLORBAR_GAP;
  const width = barLeft + COLORBAR_WIDTH + RIGHT_MARGIN;
  const bottom = TOP + PANEL_HEIGHT;
  const height = bottom + BOTTOM_MARGIN;
  const yMap = (v: number) => bottom - ((v - y[0]) / (y[1] - y[0])) * PANEL_HEIGHT;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="13">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<text x="${px((LEFT + panelsRight) / 2)}" y="24" text-anchor="middle" font-size="16">${escapeXml(figure.title)}</text>`,
  ];

  panels.forEach((panel, i) => {
    const left = LEFT + i * (PANEL_WIDTH + PANEL_GAP);
    const right = left + PANEL_WIDTH;
    const xMap = (v: number) => left + ((v - panel.x[0]) / (panel.x[1] - panel.x[0])) * PANEL_WIDTH;
    const png = encodePng(panel.columns, panel.rows, levelsToRgb(panel.levels, panel.columns, panel.rows, rangeDb));
    out.push(`<g class="panel">`);
    out.push(`<text x="${left}" y="${TOP - 9}" font-size="14">${escapeXml(panel.title)}</text>`);
    out.push(
      `<image class="density-map" x="${left}" y="${TOP}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" preserveAspectRatio="none" xlink:href="${pngDataUri(png)}"/>`,
    );
    if (panel.marks !== undefined) {
      const xs = panel.marks.at.map(xMap).filter((x) => x >= left && x <= right);
      for (const x of xs) out.push(`<line x1="${px(x)}" y1="${TOP}" x2="${px(x)}" y2="${bottom}" stroke="white" stroke-width="1.2" stroke-dasharray="5 4"/>`);
      if (xs.length > 0) {
        // Right of the rightmost line, unless the caption would run past the frame: then left of the leftmost.
        const fits = Math.max(...xs) + MARK_CAPTION_WIDTH < right;
        const [x, anchor] = fits ? [Math.max(...xs) + 4, 'start'] : [Math.min(...xs) - 4, 'end'];
        out.push(`<text x="${px(x)}" y="${TOP + 16}" text-anchor="${anchor}" font-size="11" fill="white">${escapeXml(panel.marks.label)}</text>`);
      }
    }
    out.push(`<rect x="${left}" y="${TOP}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#222"/>`);
    out.push('<g class="ticks" fill="#222">');
    for (const v of ticksWithin(panel.x[0], panel.x[1], 5)) {
      out.push(`<line x1="${px(xMap(v))}" y1="${bottom}" x2="${px(xMap(v))}" y2="${bottom + 5}" stroke="#222"/>`);
      out.push(`<text x="${px(xMap(v))}" y="${bottom + 19}" text-anchor="middle">${escapeXml(formatTick(v))}</text>`);
    }
    for (const v of ticksWithin(y[0], y[1], 5)) {
      out.push(`<line x1="${left - 5}" y1="${px(yMap(v))}" x2="${left}" y2="${px(yMap(v))}" stroke="#222"/>`);
      if (i === 0) out.push(`<text x="${left - 8}" y="${px(yMap(v) + 4.5)}" text-anchor="end">${escapeXml(formatTick(v))}</text>`);
    }
    out.push('</g>');
    out.push(`<text x="${px((left + right) / 2)}" y="${bottom + 42}" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
    out.push('</g>');
  });

  const yLabelY = px(TOP + PANEL_HEIGHT / 2);
  out.push(`<text x="20" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 20 ${yLabelY})">${escapeXml(figure.yLabel)}</text>`);

  // The colour bar: the colour map itself as a one-pixel-wide image, highest level on top.
  const bar = new Uint8Array(3 * COLORMAP_SIZE);
  for (let i = 0; i < COLORMAP_SIZE; i++) bar.set(COLORMAP.subarray(3 * (COLORMAP_SIZE - 1 - i), 3 * (COLORMAP_SIZE - i)), 3 * i);
  const barMap = (db: number) => TOP + (-db / rangeDb) * PANEL_HEIGHT;
  out.push('<g class="colorbar">');
  out.push(`<image x="${barLeft}" y="${TOP}" width="${COLORBAR_WIDTH}" height="${PANEL_HEIGHT}" preserveAspectRatio="none" xlink:href="${pngDataUri(encodePng(1, COLORMAP_SIZE, bar))}"/>`);
  out.push(`<rect x="${barLeft}" y="${TOP}" width="${COLORBAR_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#222"/>`);
  for (const db of ticksWithin(-rangeDb, 0, 4)) {
    const ty = px(barMap(db));
    out.push(`<line x1="${barLeft + COLORBAR_WIDTH}" y1="${ty}" x2="${barLeft + COLORBAR_WIDTH + 5}" y2="${ty}" stroke="#222"/>`);
    out.push(`<text x="${barLeft + COLORBAR_WIDTH + 8}" y="${px(barMap(db) + 4.5)}" fill="#222">${escapeXml(formatTick(db))}</text>`);
  }
  const labelX = barLeft + COLORBAR_WIDTH + 52;
  out.push(`<text x="${labelX}" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 ${labelX} ${yLabelY})">${escapeXml(figure.colorbarLabel)}</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
