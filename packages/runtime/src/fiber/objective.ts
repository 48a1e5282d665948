/**
 * Objectives of the output spectra and their adjoints. Both depend on the power
 * spectrum P_pk = |Â_pk|² only, so the Wirtinger adjoint (nonlinear.ts) of Â_pk is
 * 2·(∂J/∂P_pk)·Â_pk.
 */
import type { TimeGrid } from './grid';
import type { ObjectiveSpec } from './problem';

export interface ObjectiveValue {
  readonly value: number;
  /** Adjoint of the output spectra, same layout (2·M·N interleaved). */
  readonly adjoint: Float64Array;
}

export function evaluateObjective(objective: ObjectiveSpec, spectrum: Float64Array, grid: TimeGrid): ObjectiveValue {
  return objective.kind === 'bandEnergyFraction'
    ? bandEnergyFraction(spectrum, grid, objective.bandNm, objective.modes)
    : targetSpectrum(spectrum, grid, objective.centerNm, objective.fwhmNm);
}

/** Σ_{p in modes} Σ_{k in band} P_pk / Σ_p Σ_k P_pk. */
export function bandEnergyFraction(spectrum: Float64Array, grid: TimeGrid, bandNm: readonly [number, number], modes?: readonly number[]): ObjectiveValue {
  const N = grid.points;
  const M = spectrum.length / (2 * N);
  const counted = (p: number) => modes === undefined || modes.includes(p);
  const inBand = grid.wavelengthNm.map((w) => (w >= bandNm[0] && w <= bandNm[1] ? 1 : 0));
  let numerator = 0;
  let total = 0;
  for (let p = 0; p < M; p++) {
    const weight = counted(p) ? 1 : 0;
    for (let k = 0; k < N; k++) {
      const i = 2 * (p * N + k);
      const power = spectrum[i] ** 2 + spectrum[i + 1] ** 2;
      total += power;
      numerator += weight * inBand[k] * power;
    }
  }
  const value = numerator / total;
  // ∂J/∂P_pk = (mask_pk - J)/total
  const adjoint = new Float64Array(spectrum.length);
  for (let p = 0; p < M; p++) {
    const weight = counted(p) ? 1 : 0;
    for (let k = 0; k < N; k++) {
      const i = 2 * (p * N + k);
      const scale = (2 * (weight * inBand[k] - value)) / total;
      adjoint[i] = scale * spectrum[i];
      adjoint[i + 1] = scale * spectrum[i + 1];
    }
  }
  return { value, adjoint };
}

/** exp(-4·ln2·(λ - center)²/fwhm²) on the grid's wavelengths. */
export function gaussianTarget(grid: TimeGrid, centerNm: number, fwhmNm: number): Float64Array {
  return grid.wavelengthNm.map((w) => Math.exp((-4 * Math.LN2 * (w - centerNm) ** 2) / fwhmNm ** 2));
}

/** mean_k (S_k - target_k)², S the mode-summed power spectrum over its maximum. */
export function targetSpectrum(spectrum: Float64Array, grid: TimeGrid, centerNm: number, fwhmNm: number): ObjectiveValue {
  const N = grid.points;
  const M = spectrum.length / (2 * N);
  const target = gaussianTarget(grid, centerNm, fwhmNm);
  const power = new Float64Array(N);
  for (let p = 0; p < M; p++) {
    for (let k = 0; k < N; k++) power[k] += spectrum[2 * (p * N + k)] ** 2 + spectrum[2 * (p * N + k) + 1] ** 2;
  }
  let peak = 0;
  for (let k = 1; k < N; k++) if (power[k] > power[peak]) peak = k;
  const max = power[peak];
  let value = 0;
  // g_k = ∂J/∂S_k; then ∂J/∂P_j = g_j/max - [j = peak]·Σ_k g_k·P_k/max².
  const g = new Float64Array(N);
  let weighted = 0;
  for (let k = 0; k < N; k++) {
    const difference = power[k] / max - target[k];
    value += difference ** 2 / N;
    g[k] = (2 * difference) / N;
    weighted += g[k] * power[k];
  }
  const dPower = g.map((gk) => gk / max);
  dPower[peak] -= weighted / (max * max);
  const adjoint = new Float64Array(spectrum.length);
  for (let p = 0; p < M; p++) {
    for (let k = 0; k < N; k++) {
      const i = 2 * (p * N + k);
      adjoint[i] = 2 * dPower[k] * spectrum[i];
      adjoint[i + 1] = 2 * dPower[k] * spectrum[i + 1];
    }
  }
  return { value, adjoint };
}
