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
 */
import type { StepBackend } from './backend';
import type { Op } from './drive';
import type { StepTapes } from './rk4ip';

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

  /** inputAdjoint = (∂step/∂input)^H·outputAdjoint at the input whose step filled `tapes`, yielding each answer (drive.ts). */
  *run(tapes: StepTapes<T>, outputAdjoint: F, inputAdjoint: F): Op<void> {
    const b = this.backend;
    const { t, kBar, xBar, interactionBar: aIBar, temp } = this;
    yield b.halfStep(outputAdjoint, t, true);
    yield b.combine(kBar, [[1 / 6, outputAdjoint]]); // k̄4
    yield b.nonlinearVjp(tapes[3], kBar, xBar); // x̄4
    yield b.halfStep(xBar, temp, true); // u
    yield b.combine(aIBar, [
      [1, t],
      [1, temp],
    ]);
    yield b.combine(kBar, [
      [1 / 3, t],
      [1, temp],
    ]); // k̄3
    yield b.nonlinearVjp(tapes[2], kBar, xBar); // x̄3
    yield b.combine(aIBar, [
      [1, aIBar],
      [1, xBar],
    ]);
    yield b.combine(kBar, [
      [1 / 3, t],
      [0.5, xBar],
    ]); // k̄2
    yield b.nonlinearVjp(tapes[1], kBar, xBar); // x̄2
    yield b.combine(aIBar, [
      [1, aIBar],
      [1, xBar],
    ]);
    yield b.combine(temp, [
      [1 / 6, t],
      [0.5, xBar],
    ]); // k̄1
    yield b.halfStep(temp, kBar, true); // n̄1
    yield b.nonlinearVjp(tapes[0], kBar, inputAdjoint);
    yield b.halfStep(aIBar, temp, true);
    yield b.combine(inputAdjoint, [
      [1, inputAdjoint],
      [1, temp],
    ]);
  }
}
