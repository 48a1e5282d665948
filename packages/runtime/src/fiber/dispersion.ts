/**
 * Linear propagation operators. D_p(Omega) = i·phi_p(Omega) with
 * phi_p = (b0_p - b0_1) + (b1_p - b1_1)·Omega + Σ_{n≥2} b_n,p·Omega^n/n!
 * (mode 1 is the reference frame), so exp(z·D_p) is a pure phase.
 */

/** Σ_n betas[n]·Omega^n/n! (Horner in Omega/n). */
export function taylorPhase(betas: readonly number[], omega: number): number {
  let value = 0;
  for (let n = betas.length - 1; n >= 0; n--) value = betas[n] + (value * omega) / (n + 1);
  return value;
}

/**
 * phi_p(Omega_k) for every mode p, relative to mode 0's beta_0 and beta_1. A beta a mode
 * does not list is 0, so a mode with fewer than two still moves against the reference's.
 */
export function dispersionPhases(modeBetas: readonly (readonly number[])[], omega: Float64Array): Float64Array[] {
  const reference = modeBetas[0];
  return modeBetas.map((betas) => {
    const relative = Array.from({ length: Math.max(betas.length, 2) }, (_, n) => (n < 2 ? (betas[n] ?? 0) - (reference[n] ?? 0) : betas[n]));
    return omega.map((w) => taylorPhase(relative, w));
  });
}

/** exp(i·phi_p(Omega_k)·z) for all modes, as one interleaved M×N complex array (mode-major). */
export function phaseOperator(phases: readonly Float64Array[], z: number): Float64Array {
  const points = phases[0].length;
  const out = new Float64Array(2 * points * phases.length);
  phases.forEach((phase, p) => {
    for (let k = 0; k < points; k++) {
      const angle = phase[k] * z;
      out[2 * (p * points + k)] = Math.cos(angle);
      out[2 * (p * points + k) + 1] = Math.sin(angle);
    }
  });
  return out;
}
