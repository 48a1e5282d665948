/**
 * The input spectra of the spec and their vector-Jacobian product w.r.t. the pulse
 * parameters. Â_p(Omega) = g_p·sqrt(P)·χ(Omega)·F[s(t/T0)](Omega) with
 * g_p = c_p/‖c‖, χ = exp(i·(GDD·Omega²/2 + TOD·Omega³/6)), s = sech or the Gaussian.
 */
import { taylorPhase } from './dispersion';
import type { ComplexFft } from './fft';
import type { TimeGrid } from './grid';
import type { PulseShape, PulseSpec } from './problem';

/** FWHM of |A|² over T0. */
export const FWHM_PER_T0: Record<PulseShape, number> = { sech: 1.7627, gaussian: 1.6651 };

/** d(objective)/d(pulse parameter), each in the parameter's own units (fs², fs³, W, fs, 1). */
export interface PulseGradient {
  readonly gddFs2: number;
  readonly todFs3: number;
  readonly peakPowerW: number;
  readonly fwhmFs: number;
  readonly modeCoefficients: Float64Array;
}

/** χ·F[s] (and, with `dT0`, χ·F[∂s/∂T0]) as interleaved complex arrays of N numbers. */
function unitSpectrum(pulse: PulseSpec, grid: TimeGrid, fft: ComplexFft, dT0: boolean): Float64Array {
  const T0 = (pulse.fwhmFs * 1e-3) / FWHM_PER_T0[pulse.shape];
  const N = grid.points;
  const samples = new Float64Array(2 * N);
  for (let j = 0; j < N; j++) {
    const t = grid.t[j];
    const x = t / T0;
    if (pulse.shape === 'sech') {
      const s = 1 / Math.cosh(x);
      samples[2 * j] = dT0 ? s * Math.tanh(x) * (t / (T0 * T0)) : s;
    } else {
      const s = Math.exp(-0.5 * x * x);
      samples[2 * j] = dT0 ? (s * x * x) / T0 : s;
    }
  }
  const spectrum = new Float64Array(2 * N);
  fft.positive(samples, spectrum);
  const chirp = [0, 0, pulse.gddFs2 * 1e-6, pulse.todFs3 * 1e-9];
  for (let k = 0; k < N; k++) {
    const phase = taylorPhase(chirp, grid.omega[k]);
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    const re = spectrum[2 * k];
    const im = spectrum[2 * k + 1];
    spectrum[2 * k] = c * re - s * im;
    spectrum[2 * k + 1] = s * re + c * im;
  }
  return spectrum;
}

function modeWeights(coefficients: readonly number[]): Float64Array {
  const norm = Math.hypot(...coefficients);
  return Float64Array.from(coefficients, (c) => c / norm);
}

/** The input spectra Â_p(Omega_k), interleaved, mode-major (2·M·N numbers). */
export function inputSpectrum(pulse: PulseSpec, grid: TimeGrid, fft: ComplexFft): Float64Array {
  const N = grid.points;
  const unit = unitSpectrum(pulse, grid, fft, false);
  const weights = modeWeights(pulse.modeCoefficients);
  const out = new Float64Array(2 * N * weights.length);
  const amplitude = Math.sqrt(pulse.peakPowerW);
  weights.forEach((g, p) => {
    for (let i = 0; i < 2 * N; i++) out[2 * p * N + i] = g * amplitude * unit[i];
  });
  return out;
}

/** Gradient of J w.r.t. the pulse parameters, given the adjoint of the input spectra (Wirtinger, nonlinear.ts). */
export function inputSpectrumVjp(pulse: PulseSpec, grid: TimeGrid, fft: ComplexFft, spectrumAdjoint: Float64Array): PulseGradient {
  const N = grid.points;
  const M = pulse.modeCoefficients.length;
  const unit = unitSpectrum(pulse, grid, fft, false);
  const unitDT0 = unitSpectrum(pulse, grid, fft, true);
  const weights = modeWeights(pulse.modeCoefficients);
  const amplitude = Math.sqrt(pulse.peakPowerW);

  // J is linear in each Â_p = g_p·sqrt(P)·B: dJ = Re Σ conj(Ā)·dÂ.
  const byMode = new Float64Array(M);
  let dGdd = 0;
  let dTod = 0;
  let dT0 = 0;
  for (let k = 0; k < N; k++) {
    // sumRe + i·sumIm = Σ_p g_p·conj(Ā_pk)
    let sumRe = 0;
    let sumIm = 0;
    for (let p = 0; p < M; p++) {
      const aRe = spectrumAdjoint[2 * (p * N + k)];
      const aIm = spectrumAdjoint[2 * (p * N + k) + 1];
      byMode[p] += aRe * unit[2 * k] + aIm * unit[2 * k + 1];
      sumRe += weights[p] * aRe;
      sumIm -= weights[p] * aIm;
    }
    // d/dGDD multiplies Â by i·Omega²/2, and Re(i·z) = -Im(z)
    const bRe = unit[2 * k];
    const bIm = unit[2 * k + 1];
    const imSumB = sumRe * bIm + sumIm * bRe;
    const w = grid.omega[k];
    dGdd -= imSumB * (w * w) / 2;
    dTod -= imSumB * (w * w * w) / 6;
    dT0 += sumRe * unitDT0[2 * k] - sumIm * unitDT0[2 * k + 1];
  }
  const dWeights = byMode.map((r) => amplitude * r);
  let dPower = 0;
  for (let p = 0; p < M; p++) dPower += (weights[p] * byMode[p]) / (2 * amplitude);
  const norm = Math.hypot(...pulse.modeCoefficients);
  let projection = 0;
  for (let p = 0; p < M; p++) projection += dWeights[p] * pulse.modeCoefficients[p];
  const modeCoefficients = Float64Array.from(pulse.modeCoefficients, (c, q) => (dWeights[q] - (c * projection) / (norm * norm)) / norm);
  return {
    gddFs2: amplitude * dGdd * 1e-6,
    todFs3: amplitude * dTod * 1e-9,
    peakPowerW: dPower,
    fwhmFs: amplitude * dT0 * (1e-3 / FWHM_PER_T0[pulse.shape]),
    modeCoefficients,
  };
}
