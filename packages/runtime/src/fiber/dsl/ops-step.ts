/**
 * The RK4IP step written only with array-DSL operations, straight from the spec
 * (shared/specs/gmmnlse-problem.md): dispersion as expi of the Taylor phase, Kerr and
 * Raman as the full sum Σ_lmn S_plmn A_l·[(1-fR)·A_m A_n* + fR·h ⊛ (A_m A_n*)] with the
 * convolution by FFT, and self-steepening in the nonlinear prefactor. It shares no
 * kernel with the float64 solver (no pair/coupling reduction, no hand adjoint), so the
 * tape's reverse mode over it is an independent check of the hand-derived adjoint.
 * It is slow by design: for small grids and tests, not for production runs.
 *
 * Transforms: the solver's time fields are numpy's fft of the spectra and spectra the
 * ifft of time fields (grid.ts); the DSL's fft/ifft follow numpy.
 */
import { add, complex, conj, expi, fft, ifft, matmul, mul, reshape, sum } from '../../ops/primitives';
import { stack } from '../../ops/composite';
import { ones, tensor, zeros } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { C_M_PER_PS, makeGrid } from '../grid';
import type { FiberSpec, GridSpec } from '../problem';
import { DEFAULT_RAMAN_FRACTION, ramanResponse } from '../raman';

/** One RK4IP step over spectra, complex128 [modes, points] → same. */
export function rk4ipStepOps(gridSpec: GridSpec, fiber: FiberSpec): (spectra: Tensor) => Tensor {
  const grid = makeGrid(gridSpec.points, gridSpec.windowPs, gridSpec.centerWavelengthNm);
  const N = grid.points;
  const M = fiber.modes.length;
  const h = fiber.lengthM / fiber.steps;
  const omega = tensor(grid.omega);

  // E = exp(h·D/2), D_p = i·Σ_n b_n,p·Omega^n/n! with beta_0, beta_1 relative to mode 0.
  const reference = fiber.modes[0].betas;
  const phases = fiber.modes.map(({ betas }) => {
    let phase = zeros([N]);
    let power = ones([N]);
    let factorial = 1;
    // The spec's D_p always has the (b0_p - b0_1) and (b1_p - b1_1)·Omega terms; unlisted betas are 0.
    for (let n = 0; n < Math.max(betas.length, 2); n++) {
      if (n > 0) {
        power = mul(power, omega);
        factorial *= n;
      }
      phase = add(phase, mul(power, (n < 2 ? (betas[n] ?? 0) - (reference[n] ?? 0) : betas[n]) / factorial));
    }
    return phase;
  });
  const halfStep = expi(mul(stack(phases), h / 2));

  // h·i·gamma_0·(1 + s·Omega/omega0).
  const gamma0 = fiber.gamma ?? ((fiber.n2 ?? 0) * grid.omega0) / C_M_PER_PS;
  const s = fiber.selfSteepening ? 1 : 0;
  const prefactor = complex(0, mul(h * gamma0, add(1, mul(omega, s / grid.omega0))));
  const overlap = tensor(fiber.gamma !== undefined ? [1] : (fiber.overlap ?? []), [M * M, M * M]);

  const model = fiber.raman.model;
  const fR = model === 'none' ? 0 : (fiber.raman.fR ?? DEFAULT_RAMAN_FRACTION[model]);
  // (h ⊛ g)_j = dt·Σ_k h_k·g_{j-k} = ifft(fft(dt·h)·fft(g)).
  const transfer = model === 'none' || fR === 0 ? null : fft(mul(tensor(ramanResponse(model, N, grid.dt)), grid.dt));

  /** h·N(Â) for spectra Â [M, N]. */
  const nonlinear = (spectra: Tensor): Tensor => {
    const a = fft(spectra);
    const products = mul(reshape(a, [M, 1, N]), reshape(conj(a), [1, M, N])); // A_m·A_n*
    const response = transfer === null ? products : add(mul(products, 1 - fR), mul(ifft(mul(transfer, fft(products))), fR));
    const couplings = matmul(overlap, reshape(response, [M * M, N])); // W_pl = Σ_mn S_plmn·V_mn
    const field = sum(mul(reshape(couplings, [M, M, N]), reshape(a, [1, M, N])), 1); // Σ_l W_pl·A_l
    return mul(prefactor, ifft(field));
  };

  return (spectra: Tensor): Tensor => {
    const interaction = mul(halfStep, spectra);
    const k1 = mul(halfStep, nonlinear(spectra));
    const k2 = nonlinear(add(interaction, mul(k1, 0.5)));
    const k3 = nonlinear(add(interaction, mul(k2, 0.5)));
    const k4 = nonlinear(mul(halfStep, add(interaction, k3)));
    const sumOfStages = add(add(interaction, mul(k1, 1 / 6)), mul(add(k2, k3), 1 / 3));
    return add(mul(halfStep, sumOfStages), mul(k4, 1 / 6));
  };
}
