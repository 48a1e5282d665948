import FFT from 'fft.js';
import { checkPlanes, complexPlanes, ComplexPlanes } from './field';

/**
 * Float64 host tables for the step's diagonal operators. They are computed
 * once per stepper and uploaded, so no kernel evaluates exp, sin or cos.
 */

/** exp(h·D/2) elementwise, for the RK4IP interaction-picture half step. */
export function halfStepDispersion(dispersion: ComplexPlanes, stepSize: number): ComplexPlanes {
  const out = complexPlanes(dispersion.re.length);
  for (let i = 0; i < out.re.length; i++) {
    const magnitude = Math.exp((stepSize / 2) * dispersion.re[i]);
    const phase = (stepSize / 2) * dispersion.im[i];
    out.re[i] = magnitude * Math.cos(phase);
    out.im[i] = magnitude * Math.sin(phase);
  }
  return out;
}

/** i·γ0·(1 + s·Ω_k/ω0): the nonlinear prefactor with the self-steepening factor (s = 1 when on). */
export function nonlinearPrefactor(gamma0: number, omega: Float64Array, omega0: number, selfSteepening: boolean): ComplexPlanes {
  const out = complexPlanes(omega.length);
  const s = selfSteepening ? 1 : 0;
  for (let k = 0; k < omega.length; k++) out.im[k] = gamma0 * (1 + (s * omega[k]) / omega0);
  return out;
}

/**
 * Σ_j w_j·exp(sign·2πi·j·k/n): the spectrum of the circular-convolution
 * weights w_j = dt·h(j·dt), so that conv(g) = inverse(spectrum ⊙ forward(g))
 * for transforms of that same sign.
 */
export function ramanSpectrum(weights: Float64Array, sign: 1 | -1): ComplexPlanes {
  const n = weights.length;
  const fft = new FFT(n);
  const spectrum = fft.createComplexArray();
  fft.realTransform(spectrum, Array.from(weights));
  fft.completeSpectrum(spectrum);
  const out = complexPlanes(n);
  // fft.js uses exp(−2πi·jk/n); real weights make the + sign its conjugate
  for (let k = 0; k < n; k++) {
    out.re[k] = spectrum[2 * k];
    out.im[k] = -sign * spectrum[2 * k + 1];
  }
  return out;
}

export function checkTable(planes: ComplexPlanes, n: number, batch: number, key: string): ComplexPlanes {
  checkPlanes(planes, n, batch, key);
  for (let i = 0; i < planes.re.length; i++) {
    if (!Number.isFinite(planes.re[i]) || !Number.isFinite(planes.im[i])) {
      throw new Error(`${key}: value ${i} is not finite`);
    }
  }
  return planes;
}
