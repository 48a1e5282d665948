/**
 * GMMNLSE problem files, format version 1 (shared/specs/gmmnlse-problem.md): types
 * and validation. Unknown keys and physically meaningless values are rejected with
 * a ConfigError naming the key.
 */
import { controlError } from './controls';
import { centerOmega, lowestOmega, makeGrid } from './grid';
import { findAsymmetry } from './overlap';
import type { RamanModel } from './raman';
import {
  ConfigError,
  keyOf,
  readArray,
  readBoolean,
  readChoice,
  readFinite,
  readFiniteArray,
  readObject,
  readPositive,
  readPositiveInteger,
  requireKey,
  show,
} from './validate';

export interface GridSpec {
  readonly points: number;
  readonly windowPs: number;
  readonly centerWavelengthNm: number;
}

export interface ModeSpec {
  /** beta_0..beta_k in ps^n/m. */
  readonly betas: readonly number[];
}

export interface RamanSpec {
  readonly model: RamanModel;
  /** Raman fraction; the model's default when absent. */
  readonly fR?: number;
}

export interface FiberSpec {
  readonly lengthM: number;
  readonly steps: number;
  readonly modes: readonly ModeSpec[];
  /** 1/(W m), single mode only; otherwise n2 and overlap. */
  readonly gamma?: number;
  /** m²/W. */
  readonly n2?: number;
  /** M^4 numbers, row-major S[p][l][m][n], 1/m². */
  readonly overlap?: readonly number[];
  readonly raman: RamanSpec;
  readonly selfSteepening: boolean;
}

export type PulseShape = 'sech' | 'gaussian';

export interface PulseSpec {
  readonly shape: PulseShape;
  readonly fwhmFs: number;
  readonly peakPowerW: number;
  readonly modeCoefficients: readonly number[];
  readonly gddFs2: number;
  readonly todFs3: number;
}

export type ObjectiveSpec =
  | { readonly kind: 'bandEnergyFraction'; readonly bandNm: readonly [number, number]; readonly modes?: readonly number[] }
  | { readonly kind: 'targetSpectrum'; readonly centerNm: number; readonly fwhmNm: number };

export interface FiberProblem {
  readonly version: 1;
  readonly grid: GridSpec;
  readonly fiber: FiberSpec;
  readonly pulse: PulseSpec;
  readonly controls: readonly string[];
  readonly objective: ObjectiveSpec;
}

/** Parses and validates a problem (JSON text or an already parsed value). */
export function parseProblem(input: unknown): FiberProblem {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ConfigError('(root)', `not valid JSON: ${(error as Error).message}`);
    }
  }
  const root = readObject(value, '', ['version', 'grid', 'fiber', 'pulse', 'controls', 'objective']);
  const version = requireKey(root, '', 'version');
  if (version !== 1) throw new ConfigError('version', `must be 1, got ${show(version)}`);
  const grid = parseGrid(requireKey(root, '', 'grid'), 'grid');
  const fiber = parseFiber(requireKey(root, '', 'fiber'), 'fiber');
  const modes = fiber.modes.length;
  const pulse = parsePulse(requireKey(root, '', 'pulse'), 'pulse', modes, grid);
  const controls = root.controls === undefined ? [] : parseControls(root.controls, 'controls', fiber);
  const objective = parseObjective(requireKey(root, '', 'objective'), 'objective', modes, grid);
  return { version: 1, grid, fiber, pulse, controls, objective };
}

export function parseGrid(value: unknown, key: string): GridSpec {
  const grid = readObject(value, key, ['points', 'windowPs', 'centerWavelengthNm']);
  const points = readPositiveInteger(requireKey(grid, key, 'points'), keyOf(key, 'points'));
  if (points < 4 || (points & (points - 1)) !== 0) throw new ConfigError(keyOf(key, 'points'), `must be a power of two >= 4, got ${points}`);
  const windowPs = readPositive(requireKey(grid, key, 'windowPs'), keyOf(key, 'windowPs'));
  const centerWavelengthNm = readPositive(requireKey(grid, key, 'centerWavelengthNm'), keyOf(key, 'centerWavelengthNm'));
  const omega0 = centerOmega(centerWavelengthNm);
  if (omega0 + lowestOmega(points, windowPs) <= 0) {
    throw new ConfigError(
      keyOf(key, 'windowPs'),
      `the frequency window ±${(-lowestOmega(points, windowPs)).toPrecision(4)} rad/ps reaches negative optical frequencies (omega0 = ${omega0.toPrecision(4)} rad/ps): widen the window or use fewer points`,
    );
  }
  return { points, windowPs, centerWavelengthNm };
}

function parseFiber(value: unknown, key: string): FiberSpec {
  const fiber = readObject(value, key, ['lengthM', 'steps', 'modes', 'gamma', 'n2', 'overlap', 'raman', 'selfSteepening']);
  const lengthM = readPositive(requireKey(fiber, key, 'lengthM'), keyOf(key, 'lengthM'));
  const steps = readPositiveInteger(requireKey(fiber, key, 'steps'), keyOf(key, 'steps'));
  const modes = parseModes(requireKey(fiber, key, 'modes'), keyOf(key, 'modes'));
  const coupling = parseNonlinearity(fiber, key, modes.length);
  const raman = parseRaman(requireKey(fiber, key, 'raman'), keyOf(key, 'raman'));
  const selfSteepening = readBoolean(requireKey(fiber, key, 'selfSteepening'), keyOf(key, 'selfSteepening'));
  return { lengthM, steps, modes, ...coupling, raman, selfSteepening };
}

export function parseModes(value: unknown, key: string): ModeSpec[] {
  return readArray(value, key).map((entry, p) => {
    const modeKey = keyOf(key, p);
    const mode = readObject(entry, modeKey, ['betas']);
    return { betas: readFiniteArray(requireKey(mode, modeKey, 'betas'), keyOf(modeKey, 'betas')) };
  });
}

/** Exactly one of gamma (single mode) or n2 + overlap. */
export function parseNonlinearity(fiber: Record<string, unknown>, key: string, modes: number): Pick<FiberSpec, 'gamma' | 'n2' | 'overlap'> {
  if (fiber.gamma !== undefined) {
    const gamma = readFinite(fiber.gamma, keyOf(key, 'gamma'));
    if (modes !== 1) throw new ConfigError(keyOf(key, 'gamma'), `applies to a single mode only; give n2 and overlap for ${modes} modes`);
    for (const other of ['n2', 'overlap']) {
      if (fiber[other] !== undefined) throw new ConfigError(keyOf(key, other), 'give either gamma or n2 + overlap, not both');
    }
    return { gamma };
  }
  if (fiber.n2 === undefined && fiber.overlap === undefined) throw new ConfigError(keyOf(key, 'gamma'), 'required (or n2 + overlap)');
  const n2 = readFinite(requireKey(fiber, key, 'n2'), keyOf(key, 'n2'));
  const overlapKey = keyOf(key, 'overlap');
  const overlap = readFiniteArray(requireKey(fiber, key, 'overlap'), overlapKey, modes ** 4);
  const asymmetry = findAsymmetry(overlap, modes);
  if (asymmetry !== null) throw new ConfigError(overlapKey, `must be symmetric under index permutations: ${asymmetry}`);
  return { n2, overlap };
}

export function parseRaman(value: unknown, key: string): RamanSpec {
  const raman = readObject(value, key, ['model', 'fR']);
  const model = readChoice(requireKey(raman, key, 'model'), keyOf(key, 'model'), ['blow-wood', 'lin-agrawal', 'none'] as const);
  if (raman.fR === undefined) return { model };
  const fR = readFinite(raman.fR, keyOf(key, 'fR'));
  if (fR < 0 || fR > 1) throw new ConfigError(keyOf(key, 'fR'), `must lie in [0, 1], got ${fR}`);
  if (model === 'none' && fR !== 0) throw new ConfigError(keyOf(key, 'fR'), `must be 0 or absent with model "none", got ${fR}`);
  return { model, fR };
}

export function parsePulse(value: unknown, key: string, modes: number, grid: GridSpec): PulseSpec {
  const pulse = readObject(value, key, ['shape', 'fwhmFs', 'peakPowerW', 'modeCoefficients', 'gddFs2', 'todFs3']);
  const shape = readChoice(requireKey(pulse, key, 'shape'), keyOf(key, 'shape'), ['sech', 'gaussian'] as const);
  const fwhmFs = readPositive(requireKey(pulse, key, 'fwhmFs'), keyOf(key, 'fwhmFs'));
  if (fwhmFs * 1e-3 >= grid.windowPs) throw new ConfigError(keyOf(key, 'fwhmFs'), `${fwhmFs} fs does not fit in the ${grid.windowPs} ps time window`);
  const peakPowerW = readPositive(requireKey(pulse, key, 'peakPowerW'), keyOf(key, 'peakPowerW'));
  const coefficientsKey = keyOf(key, 'modeCoefficients');
  const modeCoefficients = readFiniteArray(requireKey(pulse, key, 'modeCoefficients'), coefficientsKey, modes);
  if (modeCoefficients.every((c) => c === 0)) throw new ConfigError(coefficientsKey, 'must not all be zero');
  const gddFs2 = pulse.gddFs2 === undefined ? 0 : readFinite(pulse.gddFs2, keyOf(key, 'gddFs2'));
  const todFs3 = pulse.todFs3 === undefined ? 0 : readFinite(pulse.todFs3, keyOf(key, 'todFs3'));
  return { shape, fwhmFs, peakPowerW, modeCoefficients, gddFs2, todFs3 };
}

function parseControls(value: unknown, key: string, fiber: FiberSpec): string[] {
  if (!Array.isArray(value)) throw new ConfigError(key, `must be an array of control names, got ${show(value)}`);
  const seen = new Set<string>();
  return value.map((entry, i) => {
    const entryKey = keyOf(key, i);
    if (typeof entry !== 'string') throw new ConfigError(entryKey, `must be a control name (string), got ${show(entry)}`);
    const problem = controlError(entry, fiber);
    if (problem !== null) throw new ConfigError(entryKey, problem);
    if (seen.has(entry)) throw new ConfigError(entryKey, `"${entry}" is listed twice`);
    seen.add(entry);
    return entry;
  });
}

export function parseObjective(value: unknown, key: string, modes: number, gridSpec: GridSpec): ObjectiveSpec {
  const kind = readChoice(requireKey(readObject(value, key, ['kind', 'bandNm', 'modes', 'centerNm', 'fwhmNm']), key, 'kind'), keyOf(key, 'kind'), [
    'bandEnergyFraction',
    'targetSpectrum',
  ] as const);
  const grid = makeGrid(gridSpec.points, gridSpec.windowPs, gridSpec.centerWavelengthNm);
  const shortest = Math.min(...grid.wavelengthNm);
  const longest = Math.max(...grid.wavelengthNm);
  if (kind === 'bandEnergyFraction') {
    const objective = readObject(value, key, ['kind', 'bandNm', 'modes']);
    const bandKey = keyOf(key, 'bandNm');
    const [low, high] = readFiniteArray(requireKey(objective, key, 'bandNm'), bandKey, 2);
    if (!(low > 0 && high > low)) throw new ConfigError(bandKey, `must be [low, high] with 0 < low < high, got ${show([low, high])}`);
    if (!grid.wavelengthNm.some((w) => w >= low && w <= high)) {
      throw new ConfigError(bandKey, `band [${low}, ${high}] nm holds no grid wavelength (the grid spans ${shortest.toFixed(2)}..${longest.toFixed(2)} nm)`);
    }
    if (objective.modes === undefined) return { kind, bandNm: [low, high] };
    const modesKey = keyOf(key, 'modes');
    const selected = readArray(objective.modes, modesKey).map((entry, i) => {
      const index = entry as number;
      if (!Number.isInteger(index) || index < 0 || index >= modes) throw new ConfigError(keyOf(modesKey, i), `must be a mode index in 0..${modes - 1}, got ${show(entry)}`);
      return index;
    });
    if (new Set(selected).size !== selected.length) throw new ConfigError(modesKey, `lists a mode twice: ${show(selected)}`);
    return { kind, bandNm: [low, high], modes: selected };
  }
  const objective = readObject(value, key, ['kind', 'centerNm', 'fwhmNm']);
  const centerNm = readPositive(requireKey(objective, key, 'centerNm'), keyOf(key, 'centerNm'));
  if (centerNm < shortest || centerNm > longest) {
    throw new ConfigError(keyOf(key, 'centerNm'), `${centerNm} nm lies outside the grid's ${shortest.toFixed(2)}..${longest.toFixed(2)} nm`);
  }
  const fwhmNm = readPositive(requireKey(objective, key, 'fwhmNm'), keyOf(key, 'fwhmNm'));
  return { kind, centerNm, fwhmNm };
}
