/**
 * The discretised physics of a fiber, independent of any compute backend: the grid,
 * the half-step dispersion operator, the nonlinear prefactor, the overlap couplings
 * and the Raman response. Backends build their kernels from it.
 */
import { dispersionPhases, phaseOperator } from './dispersion';
import { C_M_PER_PS, makeGrid, type TimeGrid } from './grid';
import { sparseOverlap, type SparseOverlap } from './overlap';
import type { FiberSpec, GridSpec } from './problem';
import { DEFAULT_RAMAN_FRACTION, ramanResponse, type RamanModel } from './raman';

/** Terms of the equation that can be switched off (SimConfig's switches). */
export interface PhysicsSwitches {
  readonly dispersion: boolean;
  readonly kerr: boolean;
  /** Off means fR = 0 whatever the fiber's Raman model. */
  readonly raman: boolean;
  /** Off means s = 0 whatever the fiber says. */
  readonly selfSteepening: boolean;
}

export interface ModelOptions {
  readonly switches?: Partial<PhysicsSwitches>;
  /** Drop overlap entries below this fraction of |S_1111| (see overlap.ts); exact when absent. */
  readonly dropOverlapBelow?: number;
}

export interface FiberModel {
  readonly grid: TimeGrid;
  /** The switches this model was built with (absent ones on). */
  readonly switches: PhysicsSwitches;
  readonly modes: number;
  readonly steps: number;
  /** h = lengthM/steps (m). */
  readonly stepSize: number;
  /** phi_p(Omega_k) per mode (dispersion.ts; zero with dispersion off): D_p = i·phi_p. */
  readonly phases: readonly Float64Array[];
  /** E = exp(h·D/2), interleaved M×N. */
  readonly halfStep: Float64Array;
  /** gamma_0 of the spec (1/(W m)), whether or not the Kerr term is on. */
  readonly gamma0: number;
  /** h·i·gamma_0·(1 + s·Omega_k/omega0), interleaved N; null when there is no nonlinearity. */
  readonly nonlinearFactor: Float64Array | null;
  readonly overlap: SparseOverlap;
  readonly ramanFraction: number;
  /**
   * The response whose weight fR is, wherever the Raman term exists (a model, the switch on, a
   * nonlinearity), even at fR = 0: d/dfR needs it there too. Null otherwise.
   */
  readonly ramanModel: Exclude<RamanModel, 'none'> | null;
  /** h_k (raman.ts), null when fR = 0. */
  readonly ramanResponse: Float64Array | null;
}

export function fiberModel(gridSpec: GridSpec, fiber: FiberSpec, options: ModelOptions = {}): FiberModel {
  const switches: PhysicsSwitches = { dispersion: true, kerr: true, raman: true, selfSteepening: true, ...options.switches };
  const grid = makeGrid(gridSpec.points, gridSpec.windowPs, gridSpec.centerWavelengthNm);
  const modes = fiber.modes.length;
  const N = grid.points;
  const stepSize = fiber.lengthM / fiber.steps;

  const phases = switches.dispersion
    ? dispersionPhases(
        fiber.modes.map((m) => m.betas),
        grid.omega,
      )
    : fiber.modes.map(() => new Float64Array(N));
  const halfStep = phaseOperator(phases, stepSize / 2);

  const gamma0 = fiber.gamma ?? ((fiber.n2 ?? 0) * grid.omega0) / C_M_PER_PS;
  const overlap = sparseOverlap(fiber.gamma !== undefined ? [1] : (fiber.overlap ?? []), modes, { dropBelow: options.dropOverlapBelow });
  const nonlinear = switches.kerr && gamma0 !== 0 && overlap.couplings.length > 0;
  let nonlinearFactor: Float64Array | null = null;
  if (nonlinear) {
    nonlinearFactor = new Float64Array(2 * N);
    const s = switches.selfSteepening && fiber.selfSteepening ? 1 : 0;
    for (let k = 0; k < N; k++) nonlinearFactor[2 * k + 1] = stepSize * gamma0 * (1 + (s * grid.omega[k]) / grid.omega0);
  }

  const ramanModel = fiber.raman.model;
  const raman = nonlinear && switches.raman && ramanModel !== 'none' ? ramanModel : null;
  const fR = raman === null ? 0 : (fiber.raman.fR ?? DEFAULT_RAMAN_FRACTION[raman]);
  const response = fR !== 0 && raman !== null ? ramanResponse(raman, N, grid.dt) : null;
  return {
    grid,
    switches,
    modes,
    steps: fiber.steps,
    stepSize,
    phases,
    halfStep,
    gamma0,
    nonlinearFactor,
    overlap,
    ramanFraction: fR,
    ramanModel: raman,
    ramanResponse: response,
  };
}
