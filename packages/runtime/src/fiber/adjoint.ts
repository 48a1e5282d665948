/**
 * The hand-derived adjoint (vector-Jacobian product) of one RK4IP step.
 *
 * Convention (Wirtinger): for a real loss J and complex z, z̄ = ∂J/∂Re z + i·∂J/∂Im z
 * = 2·∂J/∂z*, so that dJ = Re Σ conj(z̄)·dz. A map y(x) with R-linearisation
 * dy = L·dx + K·conj(dx) has x̄ = L^H·ȳ + K^T·conj(ȳ): complex-linear maps contribute
 * their conjugate transpose (E → conj(E), real coefficients → themselves), and only
 * the nonlinear operator N, which contains A_n*, has a K part; its VJP lives in the
 * backend (nonlinear.ts derives it: Q̄_pl = Re(conj(NL̄_p)·A_l), Ā_l += Q_pl·NL̄_p,
 * Ā_m += Ū_mn·A_n, Ā_n += Ū_mn·A_m, Raman convolution ↦ correlation).
 *
 * Forward (rk4ip.ts), with x1 = Â, x2 = A_I + k1/2, x3 = A_I + k2/2, x4 = E·(A_I + k3):
 *   A_I = E·Â, k1 = E·n1, n1 = h·N(x1), k_i = h·N(x_i) (i = 2, 3, 4),
 *   out = E·s + k4/6, s = A_I + k1/6 + k2/3 + k3/3.
 * Reverse, from ō:
 *   t = conj(E)·ō;  Ā_I = t;  k̄1 = t/6;  k̄2 = k̄3 = t/3;  k̄4 = ō/6
 *   x̄4 = VJP_4(k̄4);  u = conj(E)·x̄4;  Ā_I += u;  k̄3 += u
 *   x̄3 = VJP_3(k̄3);  Ā_I += x̄3;  k̄2 += x̄3/2
 *   x̄2 = VJP_2(k̄2);  Ā_I += x̄2;  k̄1 += x̄2/2
 *   Â̄ = VJP_1(conj(E)·k̄1) + conj(E)·Ā_I
 * where VJP_i(v) = (∂(h·N)/∂x at x_i)^H·v, evaluated from the tapes of the forward.
 *
 * Parameters θ the step only reads add dJ/dθ += Re⟨ȳ, ∂y/∂θ⟩ for every operation y they
 * enter, summed over steps (the checkpoint engine's contract: a pullback accumulates its
 * parameters' adjoints itself). Both kinds of operation are diagonal, so the sums are kept
 * per mode and frequency as Σ conj(ȳ)⊙(...) and reduced once at the end (parameters.ts):
 *   - E = exp(i·phi·h/2) enters through y = E·u four times a step (A_I, k1, x4, E·s), and
 *     ∂y/∂angle = i·y, so dJ/d(angle of E) = -Im Σ conj(ȳ)⊙y, where conj(ȳ)⊙y = conj(ū)⊙u
 *     (|E| = 1) with ū = conj(E)·ȳ, which the sweep already forms for E·s and x4.
 *   - h·N is linear in gamma_0 and h, so Σ_i conj(k̄_i)⊙k_i gives gamma_0·∂J/∂gamma_0; for
 *     stage 1, conj(n̄1)⊙n1 = conj(k̄1)⊙k1 since k1 = E·n1. The Raman fraction enters the
 *     stages through ∂(h·N)/∂fR at x_i, paired with the adjoint of h·N(x_i) (n̄1 for stage 1).
 */
import type { StepBackend } from './backend';
import type { Op } from '../drive/index';
import type { StageRecord, StepTapes } from './rk4ip';

/**
 * Device fields where a step's parameter adjoints accumulate over the sweep (null: not
 * wanted), with the stage record the forward kept and two work fields.
 */
export interface ParameterAccumulators<F> {
  readonly record: StageRecord<F>;
  /** Σ conj(ȳ)⊙y over the half steps y = E·u. */
  readonly dispersion: F | null;
  /** Σ conj(k̄_i)⊙k_i over the stages. */
  readonly nonlinear: F | null;
  /** Σ conj(adjoint of h·N(x_i))⊙∂(h·N)/∂fR(x_i) over the stages. */
  readonly ramanFraction: F | null;
  readonly work: F;
  readonly tangent: F;
}

export class Rk4ipAdjoint<F, T> {
  private readonly backend: StepBackend<F, T>;
  private readonly t: F;
  private readonly kBar: F;
  private readonly xBar: F;
  private readonly interactionBar: F;
  private readonly temp: F;

  constructor(backend: StepBackend<F, T>) {
    this.backend = backend;
    this.t = backend.field();
    this.kBar = backend.field();
    this.xBar = backend.field();
    this.interactionBar = backend.field();
    this.temp = backend.field();
  }

  /**
   * inputAdjoint = (∂step/∂input)^H·outputAdjoint at the input whose step filled `tapes`,
   * yielding each answer (drive.ts). With `parameters` (whose record that step filled too),
   * also adds this step's terms to their accumulators.
   */
  *run(tapes: StepTapes<T>, outputAdjoint: F, inputAdjoint: F, parameters?: ParameterAccumulators<F>): Op<void> {
    const b = this.backend;
    const { t, kBar, xBar, interactionBar: aIBar, temp } = this;
    const stages = parameters?.record.stages;
    yield b.halfStep(outputAdjoint, t, true);
    if (parameters?.dispersion) {
      const [k1, k2, k3] = stages!;
      yield b.combine(parameters.work, [
        [1, parameters.record.interaction],
        [1 / 6, k1],
        [1 / 3, k2],
        [1 / 3, k3],
      ]); // s
      yield b.accumulateProduct(parameters.dispersion, t, parameters.work);
    }
    yield b.combine(kBar, [[1 / 6, outputAdjoint]]); // k̄4
    yield* this.stageParameters(parameters, tapes[3], kBar, 3);
    yield b.nonlinearVjp(tapes[3], kBar, xBar); // x̄4
    yield b.halfStep(xBar, temp, true); // u
    if (parameters?.dispersion) {
      yield b.combine(parameters.work, [
        [1, parameters.record.interaction],
        [1, stages![2]],
      ]); // A_I + k3
      yield b.accumulateProduct(parameters.dispersion, temp, parameters.work);
    }
    yield b.combine(aIBar, [
      [1, t],
      [1, temp],
    ]);
    yield b.combine(kBar, [
      [1 / 3, t],
      [1, temp],
    ]); // k̄3
    yield* this.stageParameters(parameters, tapes[2], kBar, 2);
    yield b.nonlinearVjp(tapes[2], kBar, xBar); // x̄3
    yield b.combine(aIBar, [
      [1, aIBar],
      [1, xBar],
    ]);
    yield b.combine(kBar, [
      [1 / 3, t],
      [0.5, xBar],
    ]); // k̄2
    yield* this.stageParameters(parameters, tapes[1], kBar, 1);
    yield b.nonlinearVjp(tapes[1], kBar, xBar); // x̄2
    yield b.combine(aIBar, [
      [1, aIBar],
      [1, xBar],
    ]);
    yield b.combine(temp, [
      [1 / 6, t],
      [0.5, xBar],
    ]); // k̄1
    if (parameters?.dispersion) yield b.accumulateProduct(parameters.dispersion, temp, stages![0]);
    if (parameters?.nonlinear) yield b.accumulateProduct(parameters.nonlinear, temp, stages![0]);
    yield b.halfStep(temp, kBar, true); // n̄1
    if (parameters?.ramanFraction) yield* this.ramanFraction(parameters, tapes[0], kBar);
    yield b.nonlinearVjp(tapes[0], kBar, inputAdjoint);
    if (parameters?.dispersion) yield b.accumulateProduct(parameters.dispersion, aIBar, parameters.record.interaction);
    yield b.halfStep(aIBar, temp, true);
    yield b.combine(inputAdjoint, [
      [1, inputAdjoint],
      [1, temp],
    ]);
  }

  /** The terms of the stage whose output stages[i] = h·N(x) (k2, k3 or k4 for i = 1, 2, 3) has adjoint `stageAdjoint`. */
  private *stageParameters(parameters: ParameterAccumulators<F> | undefined, tape: T, stageAdjoint: F, i: 1 | 2 | 3): Op<void> {
    if (parameters?.nonlinear) yield this.backend.accumulateProduct(parameters.nonlinear, stageAdjoint, parameters.record.stages[i]);
    if (parameters?.ramanFraction) yield* this.ramanFraction(parameters, tape, stageAdjoint);
  }

  private *ramanFraction(parameters: ParameterAccumulators<F>, tape: T, nonlinearAdjoint: F): Op<void> {
    yield this.backend.ramanFractionTangent!(tape, parameters.tangent); // FiberStepHooks checked it exists
    yield this.backend.accumulateProduct(parameters.ramanFraction!, nonlinearAdjoint, parameters.tangent);
  }
}
