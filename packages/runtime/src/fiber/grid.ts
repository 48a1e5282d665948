/**
 * The time/frequency grid of the spec: t_j = (j - N/2)·dt, Omega_k = 2π·fftfreq(N, dt)_k.
 *
 * The field is E = Re[A(t)·exp(-i·omega0·t)], so the spectral amplitude of
 * frequency omega0 + Omega_k is the coefficient of exp(-i·Omega_k·t): the spec's
 * time→frequency transform is the exp(+i·Omega·t) sum, i.e. `ComplexFft.positive`
 * (MMTools' ifft), and frequency→time is `ComplexFft.negative` (MMTools' fft).
 * The t origin at j = N/2 only multiplies spectra by (-1)^k, which every operator
 * of the solver (diagonal in frequency, pointwise in time) and every objective
 * (built from |Â|²) ignores; like MMTools we transform the samples as stored.
 */

/** Speed of light in nm/ps (wavelengths in nm, angular frequencies in rad/ps). */
export const C_NM_PER_PS = 299792.458;
/** Speed of light in m/ps (gamma_0 = n2·omega0/c). */
export const C_M_PER_PS = 2.99792458e-4;

export interface TimeGrid {
  readonly points: number;
  readonly windowPs: number;
  readonly dt: number;
  /** t_j in ps. */
  readonly t: Float64Array;
  /** Omega_k in rad/ps, fftfreq order. */
  readonly omega: Float64Array;
  /** rad/ps. */
  readonly omega0: number;
  readonly centerWavelengthNm: number;
  /** 2π·c/(omega0 + Omega_k) in nm, fftfreq order. */
  readonly wavelengthNm: Float64Array;
}

/** omega0 = 2π·c/λ0 in rad/ps. */
export function centerOmega(centerWavelengthNm: number): number {
  return (2 * Math.PI * C_NM_PER_PS) / centerWavelengthNm;
}

export function makeGrid(points: number, windowPs: number, centerWavelengthNm: number): TimeGrid {
  const dt = windowPs / points;
  const t = new Float64Array(points);
  const omega = new Float64Array(points);
  const wavelengthNm = new Float64Array(points);
  const omega0 = centerOmega(centerWavelengthNm);
  for (let j = 0; j < points; j++) t[j] = (j - points / 2) * dt;
  for (let k = 0; k < points; k++) {
    const index = k < points / 2 ? k : k - points;
    omega[k] = (2 * Math.PI * index) / (points * dt);
    wavelengthNm[k] = (2 * Math.PI * C_NM_PER_PS) / (omega0 + omega[k]);
  }
  return { points, windowPs, dt, t, omega, omega0, centerWavelengthNm, wavelengthNm };
}

/** The most negative Omega on the grid; omega0 + this must stay positive for wavelengths to exist. */
export function lowestOmega(points: number, windowPs: number): number {
  return -Math.PI * points / windowPs;
}
