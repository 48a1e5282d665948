import { GpuDevice } from './device';
import { Op } from '../../drive/index';
import { ComplexPlanes, DeviceField, uploadConstantField } from './field';
import { uploadTwiddles } from './fft';
import { couplingTables } from './couplings';
import { NonlinearOperator, TransformConvention } from './nonlinear';
import { checkTable, halfStepDispersion, nonlinearPrefactor, ramanSpectrum } from './operators';

/** Everything one fixed RK4IP step needs, in float64 on the host (see the GMMNLSE spec). */
export interface GpuStepProblem {
  /** Samples per mode (a power of two). */
  n: number;
  modes: number;
  /** h = lengthM / steps. */
  stepSize: number;
  /** D_p(Ω_k) per mode and frequency bin, modes × n. */
  dispersion: ComplexPlanes;
  gamma0: number;
  /** Ω_k of frequency bin k under `transform` (rad/ps). */
  omega: Float64Array;
  omega0: number;
  selfSteepening: boolean;
  /** S[p][l][m][n], row-major, modes⁴ numbers ([1] for one mode with gamma). */
  overlap: ArrayLike<number>;
  /** fR; 0 turns the Raman term off. */
  ramanFraction: number;
  /** Circular-convolution weights dt·h(k·dt), k = 0..n−1; required when ramanFraction > 0. */
  ramanWeights: Float64Array | null;
  /** Default { sign: 1, scale: 1 }: Â_k = Σ_j A_j·exp(+2πi·jk/n). */
  transform?: TransformConvention;
}

/** The step's operators on the device: E = exp(h·D/2) and N, from float64 host tables. */
export function* uploadStepOperators(
  device: GpuDevice,
  problem: GpuStepProblem,
): Op<{ halfStep: DeviceField; nonlinear: NonlinearOperator }> {
  const { n, modes } = problem;
  if (!Number.isInteger(modes) || modes < 1) throw new Error(`modes: must be a positive integer, got ${modes}`);
  if (!(Number.isFinite(problem.stepSize) && problem.stepSize > 0)) {
    throw new Error(`stepSize: must be a positive number, got ${problem.stepSize}`);
  }
  if (problem.omega.length !== n) throw new Error(`omega: expected ${n} frequencies, got ${problem.omega.length}`);
  const transform = problem.transform ?? { sign: 1, scale: 1 };
  if (transform.sign !== 1 && transform.sign !== -1) throw new Error(`transform.sign: must be 1 or -1, got ${transform.sign}`);
  if (!(Number.isFinite(transform.scale) && transform.scale !== 0)) {
    throw new Error(`transform.scale: must be a nonzero number, got ${transform.scale}`);
  }
  const fR = problem.ramanFraction;
  if (fR > 0 && problem.ramanWeights?.length !== n) {
    throw new Error(`ramanWeights: expected ${n} weights when ramanFraction > 0, got ${problem.ramanWeights?.length ?? 'none'}`);
  }
  const dispersion = checkTable(problem.dispersion, n, modes, 'dispersion');
  const prefactorTable = checkTable(
    nonlinearPrefactor(problem.gamma0, problem.omega, problem.omega0, problem.selfSteepening),
    n,
    1,
    'gamma0/omega/omega0',
  );
  const twiddles = yield* uploadTwiddles(device, n);
  const halfStep = yield* uploadConstantField(device, 'rk.halfStep', halfStepDispersion(dispersion, problem.stepSize), n, modes);
  const prefactor = yield* uploadConstantField(device, 'nl.prefactorTable', prefactorTable, n, 1);
  const spectrum =
    fR > 0 ? yield* uploadConstantField(device, 'raman.spectrumTable', ramanSpectrum(problem.ramanWeights!, transform.sign), n, 1) : null;
  const nonlinear = yield* NonlinearOperator.create(device, {
    n,
    modes,
    couplings: couplingTables(problem.overlap, modes),
    ramanFraction: fR,
    prefactor,
    ramanSpectrum: spectrum,
    twiddles,
    transform,
  });
  return { halfStep, nonlinear };
}
