/**
 * What the evolution maps keep of each saved position along the fiber: the power
 * spectrum and the temporal intensity, both summed over modes, as dB levels averaged
 * into at most MAX_EVOLUTION_BINS bins across the whole window (the range a map shows
 * is only known once the last position is in, so the bins cover everything). The
 * complex fields are reduced as they arrive and never kept: a 10-mode 2^14-point
 * position costs 16 KiB here instead of 2.5 MiB of fields.
 */
import type { TimeGrid } from './engine';

/** Bins per axis at most; a map's columns are resampled from these. */
export const MAX_EVOLUTION_BINS = 2048;

interface EvolutionRow {
  /** Distance along the fiber (m). */
  readonly z: number;
  /** 10·log10 of Σ_p|Â_p|² averaged over each frequency bin, lowest frequency first (-Infinity where zero). */
  readonly spectrum: Float32Array;
  /** 10·log10 of Σ_p|A_p(t)|² (W) averaged over each delay bin, earliest first. */
  readonly intensity: Float32Array;
}

export interface Evolution {
  /** Grid points averaged into one bin, on both axes. */
  readonly group: number;
  /** The input, every saved position along the fiber, and the output, in order of z. */
  readonly rows: readonly EvolutionRow[];
}

/** Grid points per bin for a grid of `points`: the least that keeps the bins within MAX_EVOLUTION_BINS. */
export function binGroup(points: number): number {
  return Math.ceil(points / MAX_EVOLUTION_BINS);
}

/** Index into fftfreq order of the i-th lowest frequency. */
function fftIndex(i: number, points: number): number {
  return (i + Math.ceil(points / 2)) % points;
}

/** The mean of each run of `group` consecutive values (the last run may be shorter), values taken in index order. */
function binMeans(points: number, group: number, valueAt: (i: number) => number): Float64Array {
  const means = new Float64Array(Math.ceil(points / group));
  for (let b = 0; b < means.length; b++) {
    const end = Math.min(points, (b + 1) * group);
    let sum = 0;
    for (let i = b * group; i < end; i++) sum += valueAt(i);
    means[b] = sum / (end - b * group);
  }
  return means;
}

const decibels = (means: Float64Array) => Float32Array.from(means, (m) => 10 * Math.log10(m));

/** Accumulates an Evolution from saved spectra (2·M·N interleaved, mode-major, fftfreq order), one at a time. */
export class EvolutionRecorder {
  private readonly group: number;
  private readonly rows: EvolutionRow[] = [];
  // Scratch reused for every position; only the binned levels outlive a call.
  private readonly power: Float64Array;
  private readonly intensity: Float64Array;
  private readonly field: Float64Array;

  /** `toTime(spectrum, field)` writes one mode's time-domain field (2·N interleaved) for its spectrum. */
  constructor(
    private readonly points: number,
    private readonly toTime: (spectrum: Float64Array, field: Float64Array) => void,
  ) {
    this.group = binGroup(points);
    this.power = new Float64Array(points);
    this.intensity = new Float64Array(points);
    this.field = new Float64Array(2 * points);
  }

  record(z: number, spectrum: Float64Array): void {
    const n = this.points;
    if (spectrum.length === 0 || spectrum.length % (2 * n) !== 0) {
      throw new Error(`EvolutionRecorder: ${spectrum.length} numbers are not whole modes of ${n} complex points`);
    }
    this.power.fill(0);
    this.intensity.fill(0);
    for (let offset = 0; offset < spectrum.length; offset += 2 * n) {
      const mode = spectrum.subarray(offset, offset + 2 * n);
      for (let k = 0; k < n; k++) this.power[k] += mode[2 * k] ** 2 + mode[2 * k + 1] ** 2;
      this.toTime(mode, this.field);
      for (let j = 0; j < n; j++) this.intensity[j] += this.field[2 * j] ** 2 + this.field[2 * j + 1] ** 2;
    }
    this.rows.push({
      z,
      spectrum: decibels(binMeans(n, this.group, (i) => this.power[fftIndex(i, n)])),
      intensity: decibels(binMeans(n, this.group, (j) => this.intensity[j])),
    });
  }

  finish(): Evolution {
    return { group: this.group, rows: this.rows.slice() };
  }
}

/** Omega (rad/ps) at the centre of each spectral bin (the mean of its frequencies), increasing. */
export function spectralBinOmega(grid: TimeGrid, group: number): Float64Array {
  return binMeans(grid.points, group, (i) => grid.omega[fftIndex(i, grid.points)]);
}

/** Delay t (ps) at the centre of each temporal bin (the mean of its times), increasing. */
export function temporalBinTime(grid: TimeGrid, group: number): Float64Array {
  return binMeans(grid.points, group, (j) => grid.t[j]);
}
