/**
 * Controls: the problem's numeric inputs named by dot paths, as one flat vector of
 * values and of gradients in each control's own units. "pulse.modeCoefficients"
 * stands for every coefficient; "pulse.modeCoefficients.2" for one.
 */
import type { PulseGradient } from './input';
import type { FiberProblem, PulseSpec } from './problem';

const SCALARS = ['gddFs2', 'todFs3', 'peakPowerW', 'fwhmFs'] as const;
type ScalarControl = (typeof SCALARS)[number];

type Target = { readonly scalar: ScalarControl } | { readonly coefficient: number };

function target(path: string, modes: number): Target | string {
  const parts = path.split('.');
  if (parts[0] !== 'pulse') {
    return `"${path}" is not a differentiable control (supported: ${SCALARS.map((s) => `pulse.${s}`).join(', ')}, pulse.modeCoefficients[.i])`;
  }
  if (parts.length === 2 && (SCALARS as readonly string[]).includes(parts[1])) return { scalar: parts[1] as ScalarControl };
  if (parts[1] === 'modeCoefficients' && parts.length === 3) {
    const index = Number(parts[2]);
    if (/^\d+$/.test(parts[2]) && index < modes) return { coefficient: index };
    return `"${path}": mode index must be an integer in 0..${modes - 1}`;
  }
  return `"${path}" is not a numeric pulse key (supported: ${SCALARS.map((s) => `pulse.${s}`).join(', ')}, pulse.modeCoefficients[.i])`;
}

/** Why a control path is invalid, or null when it is fine. */
export function controlError(path: string, modes: number): string | null {
  if (path === 'pulse.modeCoefficients') return null;
  const resolved = target(path, modes);
  return typeof resolved === 'string' ? resolved : null;
}

/** One scalar control per entry, "pulse.modeCoefficients" expanded to "pulse.modeCoefficients.i". */
export function expandControls(controls: readonly string[], modes: number): string[] {
  return controls.flatMap((path) => (path === 'pulse.modeCoefficients' ? Array.from({ length: modes }, (_, i) => `${path}.${i}`) : [path]));
}

function resolve(path: string, modes: number): Target {
  const resolved = target(path, modes);
  if (typeof resolved === 'string') throw new Error(`controls: ${resolved}`);
  return resolved;
}

/** The current values of the (expanded) controls of a problem. */
export function readControls(problem: FiberProblem, controls: readonly string[] = problem.controls): Float64Array {
  const modes = problem.fiber.modes.length;
  const expanded = expandControls(controls, modes);
  return Float64Array.from(expanded, (path) => {
    const t = resolve(path, modes);
    return 'scalar' in t ? problem.pulse[t.scalar] : problem.pulse.modeCoefficients[t.coefficient];
  });
}

/** A copy of the problem with the (expanded) controls set to `values`. */
export function withControls(problem: FiberProblem, values: ArrayLike<number>, controls: readonly string[] = problem.controls): FiberProblem {
  const modes = problem.fiber.modes.length;
  const expanded = expandControls(controls, modes);
  if (values.length !== expanded.length) throw new Error(`withControls: ${expanded.length} controls (${expanded.join(', ')}) but ${values.length} values`);
  const pulse: { -readonly [K in keyof PulseSpec]: PulseSpec[K] } = { ...problem.pulse, modeCoefficients: [...problem.pulse.modeCoefficients] };
  const coefficients = pulse.modeCoefficients as number[];
  expanded.forEach((path, i) => {
    const t = resolve(path, modes);
    if ('scalar' in t) pulse[t.scalar] = values[i];
    else coefficients[t.coefficient] = values[i];
  });
  return { ...problem, pulse };
}

/** The gradient w.r.t. the (expanded) controls, picked from the pulse gradient. */
export function controlGradient(gradient: PulseGradient, controls: readonly string[], modes: number): Float64Array {
  return Float64Array.from(expandControls(controls, modes), (path) => {
    const t = resolve(path, modes);
    return 'scalar' in t ? gradient[t.scalar] : gradient.modeCoefficients[t.coefficient];
  });
}
