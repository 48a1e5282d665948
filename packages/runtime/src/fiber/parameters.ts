/**
 * Gradients w.r.t. the fiber's physical parameters, from the sums the reverse sweep
 * accumulated per mode and frequency (adjoint.ts derives them):
 *   - dispersion: D = Σ conj(ȳ)⊙y over every half step y = E·u, E = exp(i·angle),
 *     angle_pk = phi_p(Omega_k)·h/2, so dJ/d(angle_pk) = -Im D_pk;
 *   - nonlinear: S = Re Σ conj(k̄)⊙k over every stage k = h·N(x), linear in gamma_0 and in h
 *     at fixed x, so dJ/dgamma_0 = S/gamma_0 and h·N contributes S/L to dJ/dL;
 *   - ramanFraction: dJ/dfR itself.
 * Then, with h = L/steps and phi_q = Σ_n rel_qn·Omega^n/n! (dispersion.ts: rel_qn =
 * b_qn - b_0n for n < 2, mode 0 being the reference frame, else b_qn; unlisted betas are 0):
 *   dJ/db_pK = Σ_qk -Im D_qk·(h/2)·∂phi_qk/∂b_pK,  dJ/dL = S/L + Σ_pk -Im D_pk·phi_pk/(2·steps),
 *   dJ/dn2 = dJ/dgamma_0·omega0/c.
 */
import { C_M_PER_PS } from './grid';
import type { FiberModel } from './model';
import type { FiberSpec } from './problem';

/** A physical fiber parameter the sweep can differentiate. */
export type FiberParameter =
  | { readonly kind: 'gamma' }
  | { readonly kind: 'n2' }
  | { readonly kind: 'lengthM' }
  | { readonly kind: 'ramanFraction' }
  | { readonly kind: 'beta'; readonly mode: number; readonly order: number };

/** Which sums the sweep must accumulate. */
export interface ParameterNeeds {
  readonly dispersion: boolean;
  readonly nonlinear: boolean;
  readonly ramanFraction: boolean;
}

/** The sums over the sweep, on the host; null where not accumulated. */
export interface ParameterAdjoints {
  /** D, interleaved M×N complex. */
  readonly dispersion: Float64Array | null;
  /** S. */
  readonly nonlinear: number | null;
  /** dJ/dfR. */
  readonly ramanFraction: number | null;
}

export function parameterNeeds(parameters: readonly FiberParameter[]): ParameterNeeds {
  const kinds = new Set(parameters.map((p) => p.kind));
  return {
    dispersion: kinds.has('beta') || kinds.has('lengthM'),
    nonlinear: kinds.has('gamma') || kinds.has('n2') || kinds.has('lengthM'),
    ramanFraction: kinds.has('ramanFraction'),
  };
}

/** d(objective)/d(parameter) in the parameter's own units. */
export function parameterGradient(parameter: FiberParameter, fiber: FiberSpec, model: FiberModel, adjoints: ParameterAdjoints): number {
  switch (parameter.kind) {
    case 'gamma':
      return gamma0Gradient(model, adjoints, 'fiber.gamma');
    case 'n2':
      return (gamma0Gradient(model, adjoints, 'fiber.n2') * model.grid.omega0) / C_M_PER_PS;
    case 'ramanFraction':
      return required(adjoints.ramanFraction, 'ramanFraction');
    case 'lengthM':
      return lengthGradient(fiber, model, adjoints);
    case 'beta':
      return betaGradient(parameter.mode, parameter.order, model, adjoints);
  }
}

function required<V>(sum: V | null, name: string): V {
  if (sum === null) throw new Error(`parameterGradient: the sweep did not accumulate the ${name} sums (see parameterNeeds)`);
  return sum;
}

function gamma0Gradient(model: FiberModel, adjoints: ParameterAdjoints, key: string): number {
  const sum = required(adjoints.nonlinear, 'nonlinear');
  if (model.nonlinearFactor !== null) return sum / model.gamma0;
  if (model.gamma0 === 0 && model.switches.kerr) {
    // S/gamma_0 is 0/0 there: the model leaves out the nonlinear term whose slope this is.
    throw new Error(`${key}: the gradient at gamma_0 = 0 is not available (the nonlinear term is not evaluated there); start from a nonzero value`);
  }
  return 0; // the Kerr term is switched off: the objective does not depend on gamma_0
}

/** -Im D_pk = dJ/d(angle_pk). */
function angleAdjoint(adjoints: ParameterAdjoints, index: number): number {
  return -required(adjoints.dispersion, 'dispersion')[2 * index + 1];
}

function lengthGradient(fiber: FiberSpec, model: FiberModel, adjoints: ParameterAdjoints): number {
  const N = model.grid.points;
  let dispersion = 0;
  model.phases.forEach((phi, p) => {
    for (let k = 0; k < N; k++) dispersion += angleAdjoint(adjoints, p * N + k) * phi[k];
  });
  const nonlinear = required(adjoints.nonlinear, 'nonlinear');
  return nonlinear / fiber.lengthM + dispersion / (2 * fiber.steps);
}

function betaGradient(mode: number, order: number, model: FiberModel, adjoints: ParameterAdjoints): number {
  if (!model.switches.dispersion) return 0;
  const N = model.grid.points;
  const omega = model.grid.omega;
  // ∂phi_q/∂b_pK = (δ_qp - [p = 0, K < 2])·Omega^K/K!, which is 0 for q = p = 0, K < 2.
  const weight = (q: number) => (q === mode ? 1 : 0) - (mode === 0 && order < 2 ? 1 : 0);
  let sum = 0;
  for (let q = 0; q < model.modes; q++) {
    const w = weight(q);
    if (w === 0) continue;
    for (let k = 0; k < N; k++) sum += w * angleAdjoint(adjoints, q * N + k) * taylorTerm(omega[k], order);
  }
  return (sum * model.stepSize) / 2;
}

/** Omega^K/K!. */
function taylorTerm(omega: number, order: number): number {
  let term = 1;
  for (let n = 1; n <= order; n++) term *= omega / n;
  return term;
}
