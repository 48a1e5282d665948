/**
 * The fiber example's plots, drawn with the runtime's svgPlot and rasterised with
 * svgToPng (memory/report.ts): spectra against wavelength (dB), temporal intensity,
 * the optimizer's loss curve, and the evolution along z as density maps (heatmap.ts).
 */
import { svgPlot, svgToPng, type PlotSeries } from '@adjoint/runtime/memory/index';
import { timeFields, type FiberProblem, type Simulation, type TimeGrid } from './engine';
import { spectralBinOmega, temporalBinTime } from './evolution';
import { mapFigureSvg, type MapFigure } from './heatmap';
import type { OutputFile } from './output';

/** Spectra fields (2·M·N interleaved) with a legend name. */
interface Curve {
  readonly name: string;
  readonly spectrum: Float64Array;
}

interface Plot {
  /** File name without extension. */
  readonly name: string;
  readonly svg: string;
}

/** Lowest level shown on dB plots, relative to the highest curve's peak. */
const FLOOR_DB = -60;
/** Curves keep at most this many points (peak-preserving), so a 2^14-point grid stays a small SVG. */
const MAX_POINTS = 1200;

/** Σ_p |field_pk|² for fields of `points` complex samples per mode. */
export function modeSum(fields: Float64Array, points: number): Float64Array {
  const sum = new Float64Array(points);
  for (let offset = 0; offset < fields.length; offset += 2 * points) {
    for (let k = 0; k < points; k++) sum[k] += fields[offset + 2 * k] ** 2 + fields[offset + 2 * k + 1] ** 2;
  }
  return sum;
}

/** Thins a curve, sorted by x, to about `max` points, keeping each bin's highest point so peaks survive. */
export function decimate(points: readonly (readonly [number, number])[], max: number = MAX_POINTS): [number, number][] {
  if (points.length <= max) return points.map(([x, y]) => [x, y]);
  const out: [number, number][] = [];
  const bin = points.length / max;
  for (let b = 0; b < max; b++) {
    let top = points[Math.floor(b * bin)];
    for (let i = Math.floor(b * bin) + 1; i < Math.floor((b + 1) * bin); i++) if (points[i][1] > top[1]) top = points[i];
    out.push([top[0], top[1]]);
  }
  return out;
}

/** Indices of the grid's frequencies in increasing wavelength. */
function byWavelength(grid: TimeGrid): number[] {
  return Array.from(grid.wavelengthNm.keys()).sort((a, b) => grid.wavelengthNm[a] - grid.wavelengthNm[b]);
}

/** The x range where any of the values exceeds `threshold`, widened by `pad` of its span on both sides. */
function visibleRange(xs: ArrayLike<number>, curves: readonly ArrayLike<number>[], threshold: number, pad: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ys of curves) {
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] > threshold) {
        lo = Math.min(lo, xs[i]);
        hi = Math.max(hi, xs[i]);
      }
    }
  }
  const span = hi - lo || Math.abs(lo) || 1;
  return [lo - pad * span, hi + pad * span];
}

function decibels(power: Float64Array, peak: number): Float64Array {
  return power.map((p) => Math.max(FLOOR_DB, 10 * Math.log10(p / peak)));
}

interface SpectraOptions {
  readonly title: string;
  /** Marks the objective's band or target on the plot. */
  readonly objective?: FiberProblem['objective'];
}

/** Power spectra Σ_p|Â_p|² against wavelength, in dB below the highest peak of all curves. */
export function spectraPlot(grid: TimeGrid, curves: readonly Curve[], options: SpectraOptions): string {
  const order = byWavelength(grid);
  const wavelengths = order.map((k) => grid.wavelengthNm[k]);
  const powers = curves.map((c) => modeSum(c.spectrum, grid.points));
  const peak = Math.max(...powers.map((p) => Math.max(...p)));
  const levels = powers.map((p) => decibels(p, peak));
  const sortedLevels = levels.map((level) => order.map((k) => level[k]));
  let [lo, hi] = visibleRange(wavelengths, sortedLevels, FLOOR_DB + 20, 0.1);
  const objective = options.objective;
  const marks: [number, number] | undefined =
    objective === undefined ? undefined : objective.kind === 'bandEnergyFraction' ? [objective.bandNm[0], objective.bandNm[1]] : [objective.centerNm - objective.fwhmNm, objective.centerNm + objective.fwhmNm];
  if (marks !== undefined) [lo, hi] = [Math.min(lo, marks[0] - 0.1 * (marks[1] - marks[0])), Math.max(hi, marks[1] + 0.1 * (marks[1] - marks[0]))];
  lo = Math.max(lo, wavelengths[0]);
  hi = Math.min(hi, wavelengths[wavelengths.length - 1]);
  const inRange = (i: number) => wavelengths[i] >= lo && wavelengths[i] <= hi;

  const series: PlotSeries[] = curves.map((curve, c) => ({
    name: curve.name,
    points: decimate(wavelengths.flatMap((w, i) => (inRange(i) ? [[w, sortedLevels[c][i]] as const] : []))),
  }));
  if (objective?.kind === 'bandEnergyFraction') {
    const [a, b] = objective.bandNm;
    series.push({ name: 'objective band', color: '#777777', points: [[a, FLOOR_DB], [a, 0], [b, 0], [b, FLOOR_DB]] });
  } else if (objective?.kind === 'targetSpectrum') {
    // The objective compares spectra normalised to their own maximum with this gaussian.
    const target = wavelengths.flatMap((w, i) =>
      inRange(i) ? [[w, Math.max(FLOOR_DB, (10 * (-4 * Math.LN2 * (w - objective.centerNm) ** 2)) / objective.fwhmNm ** 2 / Math.LN10)] as const] : [],
    );
    series.push({ name: 'target (own max = 0 dB)', color: '#777777', points: decimate(target) });
  }
  return svgPlot(series, { title: options.title, xLabel: 'wavelength (nm)', yLabel: 'power spectral density (dB)' });
}

/** Temporal intensity Σ_p|A_p(t)|² in W against t in ps. */
function temporalPlot(grid: TimeGrid, curves: readonly Curve[], title: string): string {
  const intensities = curves.map((c) => modeSum(timeFields(c.spectrum, grid.points), grid.points));
  const peak = Math.max(...intensities.map((p) => Math.max(...p)));
  const [lo, hi] = visibleRange(grid.t, intensities, 1e-3 * peak, 0.2);
  const series: PlotSeries[] = curves.map((curve, c) => ({
    name: curve.name,
    points: decimate(Array.from(grid.t).flatMap((t, j) => (t >= lo && t <= hi ? [[t, intensities[c][j]] as const] : []))),
  }));
  return svgPlot(series, { title, xLabel: 'time (ps)', yLabel: 'intensity (W)' });
}

/** Levels this far below a map's peak and lower all get the colour map's lowest colour. */
export const EVOLUTION_RANGE_DB = 40;
/** Raster columns of each evolution map (its rows are the saved positions). */
export const EVOLUTION_COLUMNS = 480;

/**
 * Each row of levels (bins with increasing `centres`) resampled onto columns given by their
 * [low, high] spans in the same coordinate: a column shows the highest bin centred inside it, so a
 * line narrower than a column survives, or, where no bin centre falls inside, the level interpolated
 * at its middle. Levels are made relative to `peak` and floored at -EVOLUTION_RANGE_DB first.
 */
function resampleRows(rows: readonly Float32Array[], centres: Float64Array, spans: Float64Array, peak: number): Float32Array[] {
  const columns = spans.length / 2;
  const level = (row: Float32Array, b: number) => Math.max(-EVOLUTION_RANGE_DB, row[b] - peak);
  /** Index of the first centre >= v. */
  const firstAtLeast = (v: number) => {
    let [lo, hi] = [0, centres.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (centres[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const from = new Int32Array(columns);
  const to = new Int32Array(columns);
  for (let c = 0; c < columns; c++) [from[c], to[c]] = [firstAtLeast(spans[2 * c]), firstAtLeast(spans[2 * c + 1])];
  return rows.map((row) => {
    const out = new Float32Array(columns);
    for (let c = 0; c < columns; c++) {
      if (to[c] > from[c]) {
        let top = -Infinity;
        for (let b = from[c]; b < to[c]; b++) top = Math.max(top, level(row, b));
        out[c] = top;
        continue;
      }
      const middle = (spans[2 * c] + spans[2 * c + 1]) / 2;
      const b = Math.min(Math.max(firstAtLeast(middle), 1), centres.length - 1);
      const f = Math.min(1, Math.max(0, (middle - centres[b - 1]) / (centres[b] - centres[b - 1])));
      out[c] = level(row, b - 1) + f * (level(row, b) - level(row, b - 1));
    }
    return out;
  });
}

/** Rows of columns at `positions` (increasing), interpolated linearly onto `count` evenly spaced rows over [0, length], row centres. */
function evenRows(rows: readonly Float32Array[], positions: readonly number[], length: number, count: number): Float32Array {
  const columns = rows[0].length;
  const out = new Float32Array(count * columns);
  let i = 0;
  for (let r = 0; r < count; r++) {
    const z = ((r + 0.5) * length) / count;
    while (i < positions.length - 2 && positions[i + 1] < z) i++;
    const f = positions.length === 1 ? 0 : Math.min(1, Math.max(0, (z - positions[i]) / (positions[i + 1] - positions[i])));
    for (let c = 0; c < columns; c++) out[r * columns + c] = rows[i][c] + f * ((rows[i + 1] ?? rows[i])[c] - rows[i][c]);
  }
  return out;
}

/** The first and last bin whose level, in any row, is within EVOLUTION_RANGE_DB of `peak`. */
function litBins(rows: readonly Float32Array[], peak: number): [number, number] {
  let [first, last] = [Infinity, -Infinity];
  for (const row of rows) {
    for (let b = 0; b < row.length; b++) {
      if (row[b] >= peak - EVOLUTION_RANGE_DB) [first, last] = [Math.min(first, b), Math.max(last, b)];
    }
  }
  return [first, last];
}

const highest = (rows: readonly Float32Array[]) => rows.reduce((top, row) => row.reduce((a, v) => Math.max(a, v), top), -Infinity);

/** [lo, hi] widened by `pad` of its span on both sides, then kept within [min, max]. */
function padded(lo: number, hi: number, pad: number, min: number, max: number): [number, number] {
  const span = hi - lo || Math.abs(lo) * 0.1 || 1;
  return [Math.max(min, lo - pad * span), Math.min(max, hi + pad * span)];
}

/** Where the objective sits on the wavelength axis: its band, or the target's FWHM. */
function objectiveMarks(objective: FiberProblem['objective'] | undefined): { at: [number, number]; label: string } | undefined {
  if (objective?.kind === 'bandEnergyFraction') return { at: [objective.bandNm[0], objective.bandNm[1]], label: 'objective band' };
  if (objective?.kind === 'targetSpectrum') return { at: [objective.centerNm - objective.fwhmNm / 2, objective.centerNm + objective.fwhmNm / 2], label: 'target FWHM' };
  return undefined;
}

/**
 * The evolution along z as two density maps sharing the z axis: the power spectrum against
 * wavelength and the temporal intensity against delay, both summed over modes, in dB below
 * each map's peak over the whole fiber, EVOLUTION_RANGE_DB deep. Each map shows the range
 * where any position comes within EVOLUTION_RANGE_DB of that peak (and the objective's marks).
 */
export function evolutionFigure(simulation: Simulation, title: string, objective?: FiberProblem['objective']): MapFigure {
  const { grid, evolution } = simulation;
  const positions = evolution.rows.map((row) => row.z);
  const length = positions[positions.length - 1];
  const rowCount = evolution.rows.length;
  // 2π·c in nm·rad/ps, from the grid's own centre, so wavelengths match grid.wavelengthNm.
  const twoPiC = grid.centerWavelengthNm * grid.omega0;
  const toWavelength = (omega: number) => twoPiC / (grid.omega0 + omega);
  const toOmega = (nm: number) => twoPiC / nm - grid.omega0;

  const spectra = evolution.rows.map((row) => row.spectrum);
  const omegas = spectralBinOmega(grid, evolution.group);
  const spectralPeak = highest(spectra);
  const [firstLit, lastLit] = litBins(spectra, spectralPeak);
  const marks = objectiveMarks(objective);
  let [shortest, longest] = [toWavelength(omegas[lastLit]), toWavelength(omegas[firstLit])];
  if (marks !== undefined) [shortest, longest] = [Math.min(shortest, ...marks.at), Math.max(longest, ...marks.at)];
  const [lambdaLo, lambdaHi] = padded(shortest, longest, 0.05, toWavelength(omegas[omegas.length - 1]), toWavelength(omegas[0]));
  const step = (lambdaHi - lambdaLo) / EVOLUTION_COLUMNS;
  const lambdaSpans = new Float64Array(2 * EVOLUTION_COLUMNS);
  for (let c = 0; c < EVOLUTION_COLUMNS; c++) [lambdaSpans[2 * c], lambdaSpans[2 * c + 1]] = [toOmega(lambdaLo + (c + 1) * step), toOmega(lambdaLo + c * step)];

  const intensities = evolution.rows.map((row) => row.intensity);
  const times = temporalBinTime(grid, evolution.group);
  const temporalPeak = highest(intensities);
  const [firstBright, lastBright] = litBins(intensities, temporalPeak);
  const [tLo, tHi] = padded(times[firstBright], times[lastBright], 0.05, grid.t[0], grid.t[grid.points - 1]);
  const tStep = (tHi - tLo) / EVOLUTION_COLUMNS;
  const timeSpans = new Float64Array(2 * EVOLUTION_COLUMNS);
  for (let c = 0; c < EVOLUTION_COLUMNS; c++) [timeSpans[2 * c], timeSpans[2 * c + 1]] = [tLo + c * tStep, tLo + (c + 1) * tStep];

  const panel = (name: string, xLabel: string, x: [number, number], rows: Float32Array[]) => ({
    title: name,
    xLabel,
    x,
    columns: EVOLUTION_COLUMNS,
    rows: rowCount,
    levels: evenRows(rows, positions, length, rowCount),
  });
  const summed = simulation.modes > 1 ? ' (mode sum)' : '';
  return {
    title,
    yLabel: 'distance z (m)',
    y: [0, length],
    rangeDb: EVOLUTION_RANGE_DB,
    colorbarLabel: 'relative to peak (dB)',
    panels: [
      { ...panel(`spectrum${summed}`, 'wavelength (nm)', [lambdaLo, lambdaHi], resampleRows(spectra, omegas, lambdaSpans, spectralPeak)), marks },
      panel(`temporal intensity${summed}`, 'delay (ps)', [tLo, tHi], resampleRows(intensities, times, timeSpans, temporalPeak)),
    ],
  };
}

/** evolutionFigure as an SVG document. */
function evolutionPlot(simulation: Simulation, title: string, objective?: FiberProblem['objective']): string {
  return mapFigureSvg(evolutionFigure(simulation, title, objective));
}

/** The objective at every loss evaluation. */
export function lossPlot(losses: readonly number[], objective: string, direction: 'maximize' | 'minimize'): string {
  return svgPlot([{ name: objective, mode: 'both', points: losses.map((loss, i) => [i, loss] as const) }], {
    title: `${objective} (${direction}d) per loss evaluation`,
    xLabel: 'loss evaluation',
    yLabel: objective,
  });
}

/** The plots of one forward simulation. */
export function simulationPlots(problem: FiberProblem, simulation: Simulation): Plot[] {
  const { grid } = simulation;
  const curves = [
    { name: 'input', spectrum: simulation.input },
    { name: 'output', spectrum: simulation.output },
  ];
  return [
    { name: 'spectra', svg: spectraPlot(grid, curves, { title: 'Input and output spectra', objective: problem.objective }) },
    { name: 'temporal', svg: temporalPlot(grid, curves, 'Input and output temporal intensity') },
    { name: 'evolution', svg: evolutionPlot(simulation, `Evolution along ${problem.fiber.lengthM} m of fiber`, problem.objective) },
  ];
}

/** The plots of an optimization: before/after spectra and pulses, the optimized evolution, the loss curve. */
export function optimizationPlots(
  optimized: FiberProblem,
  before: Simulation,
  after: Simulation,
  losses: readonly number[],
  direction: 'maximize' | 'minimize',
): Plot[] {
  const { grid } = after;
  return [
    {
      name: 'spectra',
      svg: spectraPlot(
        grid,
        [
          { name: 'input (optimized)', spectrum: after.input },
          { name: 'output (initial)', spectrum: before.output },
          { name: 'output (optimized)', spectrum: after.output },
        ],
        { title: 'Spectra before and after optimization', objective: optimized.objective },
      ),
    },
    {
      name: 'temporal',
      svg: temporalPlot(
        grid,
        [
          { name: 'input (initial)', spectrum: before.input },
          { name: 'input (optimized)', spectrum: after.input },
          { name: 'output (initial)', spectrum: before.output },
          { name: 'output (optimized)', spectrum: after.output },
        ],
        'Temporal intensity before and after optimization',
      ),
    },
    { name: 'evolution', svg: evolutionPlot(after, `Evolution along ${optimized.fiber.lengthM} m of fiber (optimized)`, optimized.objective) },
    { name: 'loss', svg: lossPlot(losses, optimized.objective.kind, direction) },
  ];
}

/** Each plot as `name.svg` and `name.png` (`pngWidth` pixels wide). */
export async function renderPlots(plots: readonly Plot[], pngWidth = 1280): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const plot of plots) {
    files.push({ name: `${plot.name}.svg`, data: plot.svg });
    files.push({ name: `${plot.name}.png`, data: await svgToPng(plot.svg, { width: pngWidth }) });
  }
  return files;
}
