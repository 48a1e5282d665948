/**
 * Dependency-free report output for the benchmarks: SVG line/scatter plots (e.g.
 * memory against recomputation per schedule), Markdown tables, and PNG
 * rasterisation through @resvg/resvg-js when it is installed.
 */

export interface PlotSeries {
  name: string;
  /** [x, y] pairs; a line joins them in the order given. */
  points: ReadonlyArray<readonly [number, number]>;
  /** Default 'line'. */
  mode?: 'line' | 'scatter' | 'both';
  /** Any SVG colour; default from a fixed palette by position. */
  color?: string;
}

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels; default 640 × 400. */
  width?: number;
  height?: number;
  logX?: boolean;
  logY?: boolean;
}

/** A colour-blind-friendly palette (Okabe–Ito), then repeats. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Ticks at 1, 2, 2.5 or 5 × 10^k spanning [min, max], about `target` of them; the first and last enclose the data. */
export function linearTicks(min: number, max: number, target = 6): number[] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    return linearTicks(min - pad, max + pad, target);
  }
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) as number;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks: number[] = [];
  // Multiplying integer indices (not accumulating the step) keeps 0.1 + 0.2 noise out of the labels.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Ticks for a log axis: whole decades enclosing [min, max] (min > 0), with 2 and 5 added when the data span at most one decade. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-12);
  const top = Math.max(Math.ceil(Math.log10(max) - 1e-12), lo + 1);
  // At most about ten labelled decades; the last one still encloses the data.
  const stride = Math.ceil((top - lo) / 10);
  const hi = lo + stride * Math.ceil((top - lo) / stride);
  const decade = (m: number, k: number) => Number((m * 10 ** k).toPrecision(12));
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k += stride) {
    ticks.push(decade(1, k));
    if (hi - lo === 1 && k < hi) ticks.push(decade(2, k), decade(5, k));
  }
  return ticks;
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(v);
}

interface Axis {
  ticks: number[];
  /** Data value to pixel. */
  map(v: number): number;
}

function makeAxis(values: number[], log: boolean, from: number, to: number): Axis {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const ticks = log ? logTicks(min, max) : linearTicks(min, max);
  const t = log ? Math.log10 : (v: number) => v;
  const lo = t(ticks[0]);
  const hi = t(ticks[ticks.length - 1]);
  return { ticks, map: (v) => from + ((t(v) - lo) / (hi - lo)) * (to - from) };
}

function checkSize(value: number, key: string): number {
  if (!Number.isFinite(value) || value < 100) throw new Error(`svgPlot: ${key} must be a number of pixels >= 100, got ${value}`);
  return value;
}

const px = (v: number) => String(Math.round(v * 100) / 100);

/** An SVG document plotting the series on shared axes, with ticks, labels, grid and a legend. */
export function svgPlot(series: readonly PlotSeries[], options: PlotOptions = {}): string {
  const width = checkSize(options.width ?? 640, 'width');
  const height = checkSize(options.height ?? 400, 'height');
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    s.points.forEach(([x, y], i) => {
      for (const [axis, v, log] of [['x', x, options.logX], ['y', y, options.logY]] as const) {
        if (!Number.isFinite(v)) throw new Error(`svgPlot: series '${s.name}' point ${i} has ${axis} = ${v}, which is not a finite number`);
        if (log && v <= 0) throw new Error(`svgPlot: series '${s.name}' point ${i} has ${axis} = ${v}, which a log-scale ${axis} axis cannot show`);
      }
      xs.push(x);
      ys.push(y);
    });
  }
  if (xs.length === 0) throw new Error('svgPlot: no points to plot');

  const longestName = Math.max(...series.map((s) => s.name.length));
  const legendWidth = 40 + 7 * longestName;
  const left = 70;
  const right = width - legendWidth - 20;
  const top = options.title ? 40 : 20;
  const bottom = height - (options.xLabel ? 55 : 35);
  if (right - left < 50) throw new Error(`svgPlot: width ${width} leaves no room for the plot beside a legend ${legendWidth}px wide`);
  const x = makeAxis(xs, options.logX ?? false, left, right);
  const y = makeAxis(ys, options.logY ?? false, bottom, top);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) out.push(`<text x="${px((left + right) / 2)}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`);
  out.push('<g class="grid" stroke="#e0e0e0" stroke-width="1">');
  for (const v of x.ticks) out.push(`<line x1="${px(x.map(v))}" y1="${top}" x2="${px(x.map(v))}" y2="${bottom}"/>`);
  for (const v of y.ticks) out.push(`<line x1="${left}" y1="${px(y.map(v))}" x2="${right}" y2="${px(y.map(v))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`);
  out.push('<g class="ticks" fill="#333">');
  for (const v of x.ticks) {
    out.push(`<line x1="${px(x.map(v))}" y1="${bottom}" x2="${px(x.map(v))}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${px(x.map(v))}" y="${bottom + 18}" text-anchor="middle">${escapeXml(formatTick(v))}</text>`);
  }
  for (const v of y.ticks) {
    out.push(`<line x1="${left - 5}" y1="${px(y.map(v))}" x2="${left}" y2="${px(y.map(v))}" stroke="#333"/>`);
    out.push(`<text x="${left - 8}" y="${px(y.map(v) + 4)}" text-anchor="end">${escapeXml(formatTick(v))}</text>`);
  }
  out.push('</g>');
  if (options.xLabel) out.push(`<text x="${px((left + right) / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) {
    const cy = px((top + bottom) / 2);
    out.push(`<text x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeXml(options.yLabel)}</text>`);
  }

  series.forEach((s, i) => {
    const color = escapeXml(s.color ?? PALETTE[i % PALETTE.length]);
    const mode = s.mode ?? 'line';
    const coords = s.points.map(([vx, vy]) => [px(x.map(vx)), px(y.map(vy))]);
    out.push(`<g class="series" stroke="${color}" fill="${color}">`);
    if (mode !== 'scatter') out.push(`<polyline fill="none" stroke-width="2" points="${coords.map((c) => c.join(',')).join(' ')}"/>`);
    if (mode !== 'line') for (const [cx, cy] of coords) out.push(`<circle cx="${cx}" cy="${cy}" r="3.5"/>`);
    out.push('</g>');
    const ly = top + 10 + 20 * i;
    const lx = right + 15;
    out.push(`<g class="legend" stroke="${color}" fill="${color}">`);
    if (mode !== 'scatter') out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke-width="2"/>`);
    if (mode !== 'line') out.push(`<circle cx="${lx + 11}" cy="${ly}" r="3.5"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}" stroke="none" fill="#333">${escapeXml(s.name)}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export type Align = 'left' | 'right' | 'center';

function cellText(cell: string | number): string {
  return String(cell).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * A GitHub-flavoured Markdown table with padded columns. Columns whose cells are
 * all numbers align right unless `align` says otherwise.
 */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, align?: readonly Align[]): string {
  if (headers.length === 0) throw new Error('markdownTable: at least one header is needed');
  if (align && align.length !== headers.length) {
    throw new Error(`markdownTable: align has ${align.length} entries, expected ${headers.length} (one per header)`);
  }
  rows.forEach((row, i) => {
    if (row.length !== headers.length) throw new Error(`markdownTable: row ${i} has ${row.length} cells, expected ${headers.length} (one per header)`);
  });
  const aligns = headers.map((_, c) => align?.[c] ?? (rows.length > 0 && rows.every((r) => typeof r[c] === 'number') ? 'right' : 'left'));
  const body = [headers.map(cellText), ...rows.map((r) => r.map(cellText))];
  const widths = headers.map((_, c) => Math.max(3, ...body.map((r) => r[c].length)));
  const pad = (text: string, c: number) => (aligns[c] === 'right' ? text.padStart(widths[c]) : text.padEnd(widths[c]));
  const rule = aligns.map((a, c) => {
    const dashes = '-'.repeat(widths[c]);
    if (a === 'right') return dashes.slice(1) + ':';
    if (a === 'center') return ':' + dashes.slice(2) + ':';
    return dashes;
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(body[0].map(pad)), line(rule), ...body.slice(1).map((r) => line(r.map(pad)))].join('\n') + '\n';
}

/** The parts of @resvg/resvg-js used here. */
interface ResvgModule {
  Resvg: new (
    svg: string,
    options?: { fitTo?: { mode: 'original' } | { mode: 'width'; value: number }; background?: string; font?: { loadSystemFonts?: boolean; defaultFontFamily?: string } },
  ) => { render(): { asPng(): Buffer } };
}

const RESVG_MODULE = '@resvg/resvg-js';

/** Loads the optional rasteriser; its absence gets an error that says what to install. */
export async function loadResvg(specifier: string = RESVG_MODULE): Promise<ResvgModule> {
  try {
    const loaded = (await import(specifier)) as ResvgModule & { default?: ResvgModule };
    // A CommonJS package imported from ESM may expose its exports only as `default`.
    return typeof loaded.Resvg === 'function' ? loaded : (loaded.default as ResvgModule);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`svgToPng needs the optional package '${specifier}' (a dependency of @adjoint/examples); install it with: npm i -E @resvg/resvg-js@2.6.2`);
    }
    throw error;
  }
}

/** Rasterises an SVG to PNG bytes, `width` pixels wide (default: the SVG's own size) on white. */
export async function svgToPng(svg: string, options: { width?: number } = {}): Promise<Buffer> {
  if (options.width !== undefined && !(Number.isSafeInteger(options.width) && options.width > 0)) {
    throw new Error(`svgToPng: width must be a positive whole number of pixels, got ${options.width}`);
  }
  const { Resvg } = await loadResvg();
  const renderer = new Resvg(svg, {
    fitTo: options.width === undefined ? { mode: 'original' } : { mode: 'width', value: options.width },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return renderer.render().asPng();
}
