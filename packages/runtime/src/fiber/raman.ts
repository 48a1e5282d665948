/**
 * The Raman response h(t) of the spec, sampled on lags k·dt (k < N/2, zero for
 * negative lags) and scaled so that dt·Σ h_k = 1, and its transfer function.
 */
import { ComplexFft } from './fft';

export type RamanModel = 'blow-wood' | 'lin-agrawal' | 'none';

/** Raman fraction when the problem gives none. */
export const DEFAULT_RAMAN_FRACTION: Record<RamanModel, number> = { 'blow-wood': 0.18, 'lin-agrawal': 0.245, none: 0 };

const TAU1_PS = 0.0122;
const TAU2_PS = 0.032;
const TAU_B_PS = 0.096;
const LIN_AGRAWAL = { fa: 0.75, fb: 0.21, fc: 0.04 };

function blowWood(t: number): number {
  return ((TAU1_PS ** 2 + TAU2_PS ** 2) / (TAU1_PS * TAU2_PS ** 2)) * Math.exp(-t / TAU2_PS) * Math.sin(t / TAU1_PS);
}

function boson(t: number): number {
  return ((2 * TAU_B_PS - t) / TAU_B_PS ** 2) * Math.exp(-t / TAU_B_PS);
}

/** h_k for k = 0..N-1 (lags k·dt, zero from N/2 on), normalised to dt·Σ h = 1. */
export function ramanResponse(model: Exclude<RamanModel, 'none'>, points: number, dt: number): Float64Array {
  const h = new Float64Array(points);
  let sum = 0;
  for (let k = 0; k < points / 2; k++) {
    const t = k * dt;
    h[k] = model === 'blow-wood' ? blowWood(t) : (LIN_AGRAWAL.fa + LIN_AGRAWAL.fc) * blowWood(t) + LIN_AGRAWAL.fb * boson(t);
    sum += h[k];
  }
  const scale = 1 / (dt * sum);
  for (let k = 0; k < points / 2; k++) h[k] *= scale;
  return h;
}

/**
 * H = dt·Σ_k h_k·exp(-2πi·jk/N) (interleaved), so that the circular convolution
 * (h ⊛ g)_j = dt·Σ_k h_k·g_{j-k} equals fft.positive(H ⊙ fft.negative(g)).
 */
export function ramanTransfer(h: Float64Array, dt: number, fft: ComplexFft): Float64Array {
  const complex = new Float64Array(2 * h.length);
  for (let k = 0; k < h.length; k++) complex[2 * k] = dt * h[k];
  fft.negative(complex, complex);
  return complex;
}

/** The first moment fR·∫t·h(t)dt of the sampled response: Gordon's T_R (ps). */
export function ramanDelay(h: Float64Array, dt: number, fR: number): number {
  let moment = 0;
  for (let k = 0; k < h.length / 2; k++) moment += k * dt * h[k];
  return fR * dt * moment;
}

/** T_R of the analytic Blow-Wood response: fR·2τ1²τ2/(τ1²+τ2²) (ps). */
export function blowWoodDelay(fR: number): number {
  return (fR * 2 * TAU1_PS ** 2 * TAU2_PS) / (TAU1_PS ** 2 + TAU2_PS ** 2);
}
