/**
 * The viscous Burgers equation of dolfin-adjoint's tutorial, u_t + u·u_x = ν·u_xx on
 * [0, 1] with u = 0 at both ends and u(x, 0) = sin(2πx), by finite differences: central
 * differences in space, forward Euler in time, on the interior points. The objective is
 * the energy of the final state, J = ∫ u(x, T)² dx ≈ dx·Σ u_i², and its gradient is taken
 * with respect to the initial condition and the viscosity.
 */
import { add, mul, pad, slice, square, sub, sum } from '@adjoint/runtime/ops/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { type LoopMode, runLoop } from '../shared/loop-modes';

export interface BurgersSetup {
  /** Grid intervals on [0, 1]; the intervals − 1 interior points are the unknowns. */
  readonly intervals: number;
  readonly steps: number;
  readonly dt: number;
}

/** What the gradient is taken with respect to. A type, not an interface: a value tree needs its implicit index signature. */
export type BurgersControls = {
  /** u at the interior points at t = 0. */
  readonly u0: Tensor;
  /** The viscosity ν. */
  readonly nu: number | Tensor;
};

/** The tutorial's initial condition sin(2πx) at the interior points. */
export function initialCondition(intervals: number): Tensor {
  const dx = 1 / intervals;
  return new Tensor(Float64Array.from({ length: intervals - 1 }, (_, i) => Math.sin(2 * Math.PI * (i + 1) * dx)), [intervals - 1]);
}

/**
 * Checks that forward Euler is stable for this setup: dt <= dx²/(2ν) for the diffusion
 * and dt·max|u0| <= dx for the advection (it is not for larger steps: the solution blows up).
 */
export function checkStability(setup: BurgersSetup, nu: number, maxU: number): void {
  const { intervals, steps, dt } = setup;
  if (!Number.isInteger(intervals) || intervals < 3) throw new RangeError(`burgers: intervals must be an integer >= 3, got ${String(intervals)}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`burgers: steps must be a non-negative integer, got ${String(steps)}`);
  if (!(nu > 0)) throw new RangeError(`burgers: the viscosity nu must be positive, got ${String(nu)}`);
  const dx = 1 / intervals;
  if (!(dt > 0 && dt <= (dx * dx) / (2 * nu))) {
    throw new RangeError(`burgers: dt = ${dt} is unstable for the diffusion: it must be at most dx²/(2·nu) = ${((dx * dx) / (2 * nu)).toPrecision(4)}`);
  }
  if (dt * maxU > dx) throw new RangeError(`burgers: dt = ${dt} breaks the CFL condition dt·max|u| <= dx = ${dx} (max|u| = ${maxU})`);
}

export function burgersStep(setup: BurgersSetup, nu: number | Tensor): (u: Tensor) => Tensor {
  const dx = 1 / setup.intervals;
  const m = setup.intervals - 1;
  return (u) => {
    const right = pad(slice(u, [1]), [[0, 1]]); // u_{i+1}, with u = 0 past the right end
    const left = pad(slice(u, [0], [m - 1]), [[1, 0]]); // u_{i-1}
    const advection = mul(u, mul(sub(right, left), 1 / (2 * dx)));
    const diffusion = mul(nu, mul(add(sub(right, mul(2, u)), left), 1 / (dx * dx)));
    return add(u, mul(setup.dt, sub(diffusion, advection)));
  };
}

/** J(u0, ν) = dx·Σ u(T)², the loop run as `mode` says (default: revolve, default snapshots). */
export function burgersLoss(setup: BurgersSetup, mode: LoopMode = {}): (controls: BurgersControls) => Tensor {
  return ({ u0, nu }) => {
    const uT = runLoop(burgersStep(setup, nu), u0, setup.steps, mode);
    return mul(1 / setup.intervals, sum(square(uT)));
  };
}
