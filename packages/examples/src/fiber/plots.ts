/**
 * The fiber example's plots, drawn with the runtime's svgPlot and rasterised with
 * svgToPng (memory/report.ts): spectra against wavelength (dB), temporal intensity,
 * the spectral evolution along z, and the optimizer's loss curve.
 */
import { svgPlot, svgToPng, type PlotSeries } from '@adjoint/runtime/memory/index';
import { timeFields, type FiberProblem, type Simulation, type TimeGrid } from './engine';
import type { OutputFile } from './output';

/** Spectra fields (2·M·N interleaved) with a legend name. */
export interface Curve {
  readonly name: string;
  readonly spectrum: Float64Array;
}

export interface Plot {
  /** File name without extension. */
  readonly name: string;
  readonly svg: string;
}

/** Lowest level shown on dB plots, relative to the highest curve's peak. */
const FLOOR_DB = -60;
/** Curves keep at most this many points (peak-preserving), so a 2^14-point grid stays a small SVG. */
const MAX_POINTS = 1200;
/** At most this many spectra in the evolution plot. */
const EVOLUTION_CURVES = 6;

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
export function temporalPlot(grid: TimeGrid, curves: readonly Curve[], title: string): string {
  const intensities = curves.map((c) => modeSum(timeFields(c.spectrum, grid.points), grid.points));
  const peak = Math.max(...intensities.map((p) => Math.max(...p)));
  const [lo, hi] = visibleRange(grid.t, intensities, 1e-3 * peak, 0.2);
  const series: PlotSeries[] = curves.map((curve, c) => ({
    name: curve.name,
    points: decimate(Array.from(grid.t).flatMap((t, j) => (t >= lo && t <= hi ? [[t, intensities[c][j]] as const] : []))),
  }));
  return svgPlot(series, { title, xLabel: 'time (ps)', yLabel: 'intensity (W)' });
}

/** Spectra at up to six evenly spaced positions along the fiber, input and output included. */
export function evolutionPlot(simulation: Simulation, title: string): string {
  const saved = simulation.evolution;
  const picks = saved.length <= EVOLUTION_CURVES ? saved : Array.from({ length: EVOLUTION_CURVES }, (_, i) => saved[Math.round((i * (saved.length - 1)) / (EVOLUTION_CURVES - 1))]);
  const digits = Math.max(0, Math.ceil(-Math.log10(saved[saved.length - 1].z / 10)));
  return spectraPlot(
    simulation.grid,
    picks.map((s) => ({ name: `z = ${s.z.toFixed(digits)} m`, spectrum: s.spectrum })),
    { title },
  );
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
    { name: 'evolution', svg: evolutionPlot(simulation, `Spectral evolution along ${problem.fiber.lengthM} m of fiber`) },
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
    { name: 'evolution', svg: evolutionPlot(after, `Spectral evolution along the fiber (optimized, ${optimized.fiber.lengthM} m)`) },
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
