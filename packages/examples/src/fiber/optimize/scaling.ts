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
 *
 * T0 = fwhm/1.7627 (sech) or fwhm/1.6651 (gaussian) of the starting pulse, in fs.
 * u = 0 at the start. With Adam, whose steps are about learningRate in u, a learning
 * rate of 0.05 moves each control by about 5 % of its scale per iteration; L-BFGS
 * sees a better-conditioned problem. Gradients follow by the chain rule:
 * dJ/du = dJ/dx·dx/du (x for the log controls, the scale for the others).
 */
import { FWHM_PER_T0, type FiberProblem } from '../engine';

export type ScaleKind = 'log' | 'linear';

export interface ControlScale {
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
      throw new Error(`controlScaling: no scale known for control "${control}"`);
    }),
  );
}
