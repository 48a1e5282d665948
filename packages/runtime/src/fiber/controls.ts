/**
 * Controls: the problem's numeric inputs named by dot paths, as one flat vector of
 * values and of gradients in each control's own units.
 *
 *   pulse.gddFs2, pulse.todFs3, pulse.peakPowerW, pulse.fwhmFs
 *   pulse.modeCoefficients.i            one coefficient; "pulse.modeCoefficients" is every one
 *   fiber.gamma (single mode), fiber.n2 (n2 + overlap), fiber.lengthM, fiber.raman.fR
 *   fiber.modes.p.betas.n               beta_n of mode p (ps^n/m); "fiber.modes.p.betas" is all of them
 *
 * Indices are 0-based, as in the problem file's arrays. Gradients w.r.t. pulse keys come
 * from the input spectrum's adjoint (input.ts), those w.r.t. fiber keys from the sums the
 * reverse sweep accumulates (parameters.ts). Integer and discretization keys are refused
 * with the reason.
 */
import type { PulseGradient } from './input';
import type { FiberParameter } from './parameters';
import type { FiberProblem, FiberSpec, PulseSpec } from './problem';
import { DEFAULT_RAMAN_FRACTION } from './raman';

const SCALARS = ['gddFs2', 'todFs3', 'peakPowerW', 'fwhmFs'] as const;
type ScalarControl = (typeof SCALARS)[number];

type Target = { readonly scalar: ScalarControl } | { readonly coefficient: number } | { readonly fiber: FiberParameter };

const SUPPORTED =
  'supported: ' +
  [...SCALARS.map((s) => `pulse.${s}`), 'pulse.modeCoefficients[.i]', 'fiber.gamma', 'fiber.n2', 'fiber.lengthM', 'fiber.raman.fR', 'fiber.modes.p.betas[.n]'].join(', ');

/** Keys of the problem file that hold numbers but are not differentiable controls, and why. */
const REFUSED: readonly (readonly [RegExp, string])[] = [
  [/^version$/, 'the format version, not a physical input'],
  [/^grid(\.|$)/, 'grid keys set the discretization (points is an integer; windowPs and centerWavelengthNm define the frequency grid the objective is measured on)'],
  [/^fiber\.steps$/, 'the step count is an integer that sets the discretization'],
  [
    /^fiber\.overlap(\.\d+)?$/,
    'overlap entries are tied together by the tensor\'s index-permutation symmetry (one cannot change alone), and their gradient would need the Kerr kernel\'s coupling adjoints, which are not exposed',
  ],
  [/^objective(\.|$)/, 'objective settings are not controls; controls are the physical inputs (pulse.*, fiber.*)'],
  [/^(pulse\.shape|fiber\.selfSteepening|fiber\.raman\.model)$/, 'not a numeric key'],
];

function modeIndex(text: string, modes: number, path: string): number | string {
  const index = Number(text);
  if (/^\d+$/.test(text) && index < modes) return index;
  return `"${path}": mode index must be an integer in 0..${modes - 1}`;
}

type Resolved = readonly { readonly path: string; readonly target: Target }[];

function one(path: string, target: Target): Resolved {
  return [{ path, target }];
}

/** The scalar controls a path stands for (several for a group path), or why it is not a control. */
function resolvePath(path: string, fiber: FiberSpec): Resolved | string {
  for (const [pattern, why] of REFUSED) {
    if (pattern.test(path)) return `"${path}" cannot be a control: ${why}`;
  }
  const parts = path.split('.');
  if (parts[0] === 'pulse') return pulsePath(path, parts, fiber);
  if (parts[0] === 'fiber') return fiberPath(path, parts, fiber);
  return `"${path}" is not a differentiable control (${SUPPORTED})`;
}

function pulsePath(path: string, parts: readonly string[], fiber: FiberSpec): Resolved | string {
  if (parts.length === 2 && (SCALARS as readonly string[]).includes(parts[1])) return one(path, { scalar: parts[1] as ScalarControl });
  if (path === 'pulse.modeCoefficients') return fiber.modes.map((_, i) => ({ path: `${path}.${i}`, target: { coefficient: i } }));
  if (parts[1] === 'modeCoefficients' && parts.length === 3) {
    const mode = modeIndex(parts[2], fiber.modes.length, path);
    return typeof mode === 'string' ? mode : one(path, { coefficient: mode });
  }
  return `"${path}" is not a numeric pulse key (${SUPPORTED})`;
}

function fiberPath(path: string, parts: readonly string[], fiber: FiberSpec): Resolved | string {
  const single = (kind: 'gamma' | 'n2' | 'lengthM' | 'ramanFraction') => one(path, { fiber: { kind } });
  if (path === 'fiber.lengthM') return single('lengthM');
  if (path === 'fiber.gamma') return fiber.gamma !== undefined ? single('gamma') : `"${path}": this fiber gives n2 + overlap, not gamma; use fiber.n2`;
  if (path === 'fiber.n2') return fiber.n2 !== undefined ? single('n2') : `"${path}": this fiber gives gamma, not n2 + overlap; use fiber.gamma`;
  if (path === 'fiber.raman.fR') {
    return fiber.raman.model === 'none' ? `"${path}": the Raman model is "none", so fR is 0 and has no effect` : single('ramanFraction');
  }
  if (parts[1] === 'modes' && parts[3] === 'betas' && (parts.length === 4 || parts.length === 5)) {
    const mode = modeIndex(parts[2], fiber.modes.length, path);
    if (typeof mode === 'string') return mode;
    const betas = fiber.modes[mode].betas;
    const beta = (order: number) => ({ path: `fiber.modes.${mode}.betas.${order}`, target: { fiber: { kind: 'beta', mode, order } } as const });
    if (parts.length === 4) return betas.map((_, order) => beta(order));
    const order = Number(parts[4]);
    if (/^\d+$/.test(parts[4]) && order < betas.length) return one(path, beta(order).target);
    return `"${path}": mode ${mode} has betas 0..${betas.length - 1}`;
  }
  return `"${path}" is not a differentiable control (${SUPPORTED})`;
}

/** Why a control path is invalid for this fiber, or null when it is fine. */
export function controlError(path: string, fiber: FiberSpec): string | null {
  const resolved = resolvePath(path, fiber);
  return typeof resolved === 'string' ? resolved : null;
}

function resolveAll(controls: readonly string[], fiber: FiberSpec): Resolved {
  return controls.flatMap((path) => {
    const resolved = resolvePath(path, fiber);
    if (typeof resolved === 'string') throw new Error(`controls: ${resolved}`);
    return resolved;
  });
}

/** One scalar control per entry, group paths ("pulse.modeCoefficients", "fiber.modes.p.betas") expanded. */
export function expandControls(controls: readonly string[], fiber: FiberSpec): string[] {
  return resolveAll(controls, fiber).map((r) => r.path);
}

function fiberValue(parameter: FiberParameter, fiber: FiberSpec): number {
  switch (parameter.kind) {
    case 'gamma':
      return fiber.gamma!;
    case 'n2':
      return fiber.n2!;
    case 'lengthM':
      return fiber.lengthM;
    case 'ramanFraction':
      return fiber.raman.fR ?? DEFAULT_RAMAN_FRACTION[fiber.raman.model];
    case 'beta':
      return fiber.modes[parameter.mode].betas[parameter.order];
  }
}

/** The current values of the (expanded) controls of a problem (fR: the model's default when the file gives none). */
export function readControls(problem: FiberProblem, controls: readonly string[] = problem.controls): Float64Array {
  return Float64Array.from(resolveAll(controls, problem.fiber), ({ target: t }) =>
    'scalar' in t ? problem.pulse[t.scalar] : 'coefficient' in t ? problem.pulse.modeCoefficients[t.coefficient] : fiberValue(t.fiber, problem.fiber),
  );
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of the problem with the (expanded) controls set to `values`. */
export function withControls(problem: FiberProblem, values: ArrayLike<number>, controls: readonly string[] = problem.controls): FiberProblem {
  const resolved = resolveAll(controls, problem.fiber);
  if (values.length !== resolved.length) {
    throw new Error(`withControls: ${resolved.length} controls (${resolved.map((r) => r.path).join(', ')}) but ${values.length} values`);
  }
  const pulse: Mutable<PulseSpec> = { ...problem.pulse, modeCoefficients: [...problem.pulse.modeCoefficients] };
  const fiber: Mutable<FiberSpec> = { ...problem.fiber, raman: { ...problem.fiber.raman }, modes: problem.fiber.modes.map((m) => ({ betas: [...m.betas] })) };
  resolved.forEach(({ target: t }, i) => {
    const value = values[i];
    if ('scalar' in t) pulse[t.scalar] = value;
    else if ('coefficient' in t) (pulse.modeCoefficients as number[])[t.coefficient] = value;
    else setFiberValue(fiber, t.fiber, value);
  });
  return { ...problem, pulse, fiber };
}

function setFiberValue(fiber: Mutable<FiberSpec>, parameter: FiberParameter, value: number): void {
  switch (parameter.kind) {
    case 'gamma':
      fiber.gamma = value;
      return;
    case 'n2':
      fiber.n2 = value;
      return;
    case 'lengthM':
      fiber.lengthM = value;
      return;
    case 'ramanFraction':
      fiber.raman = { ...fiber.raman, fR: value };
      return;
    case 'beta':
      (fiber.modes[parameter.mode].betas as number[])[parameter.order] = value;
  }
}

/** The fiber parameters among the (expanded) controls, in order. */
export function fiberParameters(controls: readonly string[], fiber: FiberSpec): FiberParameter[] {
  return resolveAll(controls, fiber).flatMap(({ target: t }) => ('fiber' in t ? [t.fiber] : []));
}

/**
 * The gradient w.r.t. the (expanded) controls: pulse controls picked from the pulse
 * gradient, fiber controls from `fiberGradient` (required when there are any).
 */
export function controlGradient(
  pulseGradient: PulseGradient,
  controls: readonly string[],
  fiber: FiberSpec,
  fiberGradient?: (parameter: FiberParameter) => number,
): Float64Array {
  return Float64Array.from(resolveAll(controls, fiber), ({ path, target: t }) => {
    if ('scalar' in t) return pulseGradient[t.scalar];
    if ('coefficient' in t) return pulseGradient.modeCoefficients[t.coefficient];
    if (fiberGradient === undefined) throw new Error(`controlGradient: "${path}" is a fiber control; its gradient comes from the sweep (pass fiberGradient)`);
    return fiberGradient(t.fiber);
  });
}
