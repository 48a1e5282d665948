/**
 * Control scaling: the optimizers work on unitless variables u, one per control,
 * chosen so that a change of u by 1 is a comparable, physically sizeable change of
 * every control whatever its units (fs², fs³, W, unitless):
 *
 *   pulse.peakPowerW, pulse.fwhmFs   x = x0·exp(u)        (positive: u is a log ratio,
 *                                                          so u = ±1 is ×e or ×1/e, and
 *                                                          x can never reach zero)
 *   pulse.gddFs2                     x = x0 + T0²·u       (T0²: the GDD that stretches the
 *                                                          input pulse by about √2)
 *   pulse.todFs3                     x = x0 + T0³·u       (the matching third-order scale)
 *   pulse.modeCoefficients.i         x = x0 + ‖c0‖·u      (only the direction of c matters)
 *   fiber.gamma, fiber.n2,           x = x0·exp(u)        (log ratio; keeps gamma's or n2's
 *   fiber.lengthM                                          sign, and L stays positive)
 *   fiber.raman.fR                   x = x0 + 0.1·u       (fR is a fraction in [0, 1], 0.18–0.245
 *                                                          for silica)
 *   fiber.modes.p.betas.n            x = x0 + T0ⁿ/L·u     (T0 in ps: for n = 2, 3 the GDD and TOD
 *                                                          scales above spread over the fiber length L)
 *
 * T0 = fwhm/1.7627 (sech) or fwhm/1.6651 (gaussian) of the starting pulse, in fs.
 * u = 0 at the start. With Adam, whose steps are about learningRate in u, a learning
 * rate of 0.05 moves each control by about 5 % of its scale per iteration; L-BFGS
 * sees a better-conditioned problem. Gradients follow by the chain rule:
 * dJ/du = dJ/dx·dx/du (x for the log controls, the scale for the others).
 */
import { FWHM_PER_T0, type FiberProblem } from '../engine';

type ScaleKind = 'log' | 'linear';

interface ControlScale {
  readonly control: string;
  readonly kind: ScaleKind;
  /** x at u = 0. */
  readonly start: number;
  /** dx/du at u = 0 for linear controls (for log ones, x0). */
  readonly scale: number;
  /** The scale in words, for the optimizer's report. */
  readonly description: string;
}

export class ControlScaling {
  readonly scales: readonly ControlScale[];

  constructor(scales: readonly ControlScale[]) {
    this.scales = scales;
  }

  /** Control values at u. */
  toControls(u: Float64Array): Float64Array {
    return Float64Array.from(this.scales, (s, i) => (s.kind === 'log' ? s.start * Math.exp(u[i]) : s.start + s.scale * u[i]));
  }

  /** u of control values (the inverse of toControls). */
  fromControls(x: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.scales, (s, i) => (s.kind === 'log' ? Math.log(x[i] / s.start) : (x[i] - s.start) / s.scale));
  }

  /** dJ/du from dJ/dx at the control values x. */
  gradToScaled(x: Float64Array, gradX: Float64Array): Float64Array {
    return Float64Array.from(this.scales, (s, i) => gradX[i] * (s.kind === 'log' ? x[i] : s.scale));
  }
}

/** u = 1 moves the Raman fraction by this much. */
const FRACTION_SCALE = 0.1;

/** The scaling of the problem's (expanded) controls at their current values. */
export function controlScaling(problem: FiberProblem, controls: readonly string[], values: ArrayLike<number>): ControlScaling {
  const t0 = problem.pulse.fwhmFs / FWHM_PER_T0[problem.pulse.shape];
  const norm = Math.hypot(...problem.pulse.modeCoefficients);
  return new ControlScaling(
    controls.map((control, i): ControlScale => {
      const start = values[i];
      if (control === 'pulse.peakPowerW' || control === 'pulse.fwhmFs') {
        return { control, kind: 'log', start, scale: start, description: `log(x/${start.toPrecision(4)})` };
      }
      if (control === 'pulse.gddFs2') return { control, kind: 'linear', start, scale: t0 ** 2, description: `${(t0 ** 2).toPrecision(4)} fs² (T0²)` };
      if (control === 'pulse.todFs3') return { control, kind: 'linear', start, scale: t0 ** 3, description: `${(t0 ** 3).toPrecision(4)} fs³ (T0³)` };
      if (control.startsWith('pulse.modeCoefficients.')) return { control, kind: 'linear', start, scale: norm, description: `${norm.toPrecision(4)} (‖c‖)` };
      if (control === 'fiber.gamma' || control === 'fiber.n2' || control === 'fiber.lengthM') {
        return { control, kind: 'log', start, scale: start, description: `log(x/${start.toPrecision(4)})` };
      }
      if (control === 'fiber.raman.fR') return { control, kind: 'linear', start, scale: FRACTION_SCALE, description: `${FRACTION_SCALE} (fraction)` };
      const beta = /^fiber\.modes\.\d+\.betas\.(\d+)$/.exec(control);
      if (beta !== null) {
        const order = Number(beta[1]);
        const scale = (t0 * 1e-3) ** order / problem.fiber.lengthM;
        return { control, kind: 'linear', start, scale, description: `${scale.toPrecision(4)} ps^${order}/m (T0^${order}/L)` };
      }
      throw new Error(`controlScaling: no scale known for control "${control}"`);
    }),
  );
}
