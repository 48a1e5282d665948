import { ComplexFft, transformModes } from '@adjoint/runtime/fiber/fft';
import { inputSpectrum } from '@adjoint/runtime/fiber/input';
import { fiberModel, type FiberModel, type ModelOptions } from '@adjoint/runtime/fiber/model';
import type { FiberSpec, GridSpec, PulseSpec } from '@adjoint/runtime/fiber/problem';

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(length: number, rand: () => number, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => scale * (2 * rand() - 1));
}

/** Re Σ conj(a)·b over interleaved complex arrays = the real dot product. */
export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function axpy(x: Float64Array, alpha: number, y: Float64Array): Float64Array {
  return x.map((v, i) => v + alpha * y[i]);
}

/** A random overlap tensor symmetric under every index permutation; a fraction of unique entries is zero. */
export function randomSymmetricOverlap(modes: number, rand: () => number, zeroFraction = 0.3): number[] {
  const unique = new Map<string, number>();
  const out: number[] = [];
  for (let p = 0; p < modes; p++)
    for (let l = 0; l < modes; l++)
      for (let m = 0; m < modes; m++)
        for (let n = 0; n < modes; n++) {
          const key = [p, l, m, n].sort((a, b) => a - b).join(',');
          if (!unique.has(key)) unique.set(key, p === 0 && l === 0 && m === 0 && n === 0 ? 1e10 : rand() < zeroFraction ? 0 : 1e10 * (0.2 + 0.6 * rand()));
          out.push(unique.get(key)!);
        }
  return out;
}

export function timeFields(spectrum: Float64Array, points: number): Float64Array {
  const out = new Float64Array(spectrum.length);
  transformModes(new ComplexFft(points), 'negative', spectrum, out);
  return out;
}

export function modulus(field: Float64Array): Float64Array {
  return Float64Array.from({ length: field.length / 2 }, (_, j) => Math.hypot(field[2 * j], field[2 * j + 1]));
}

export function maxAbs(values: Float64Array): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Σ |Â|² over all modes and frequencies. */
export function energy(spectrum: Float64Array): number {
  return dot(spectrum, spectrum);
}

/** Σ_p Σ_k |Â_pk|²/(omega0 + Omega_k). */
export function photonNumber(spectrum: Float64Array, model: FiberModel): number {
  const N = model.grid.points;
  let sum = 0;
  for (let i = 0; i < spectrum.length / 2; i++) sum += (spectrum[2 * i] ** 2 + spectrum[2 * i + 1] ** 2) / (model.grid.omega0 + model.grid.omega[i % N]);
  return sum;
}

/** Three coupled modes (n2 + a random symmetric overlap) with Lin-Agrawal Raman and self-steepening: every coupling path. */
export function threeCoupledModes(steps: number): FiberSpec {
  return {
    lengthM: 0.02,
    steps,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [3, 0.05, -0.018] }, { betas: [6, 0.1, -0.016] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(3, random(3)).map((s) => 10 * s),
    raman: { model: 'lin-agrawal' },
    selfSteepening: true,
  };
}

export interface SetUp {
  readonly model: FiberModel;
  readonly spectrum0: Float64Array;
}

export function setUp(grid: GridSpec, fiber: FiberSpec, pulse: Partial<PulseSpec> & Pick<PulseSpec, 'fwhmFs' | 'peakPowerW'>, options?: ModelOptions): SetUp {
  const model = fiberModel(grid, fiber, options);
  const fullPulse: PulseSpec = { shape: 'sech', modeCoefficients: fiber.modes.map((_, p) => (p === 0 ? 1 : 0)), gddFs2: 0, todFs3: 0, ...pulse };
  return { model, spectrum0: inputSpectrum(fullPulse, model.grid, new ComplexFft(grid.points)) };
}
