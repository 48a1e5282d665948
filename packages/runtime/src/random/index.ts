/**
 * Seeded random tensors. Draws without a seed come from one global generator whose
 * state getRngState()/setRngState() capture and restore (the default seed is 0, so a
 * program is reproducible unless it seeds otherwise). Draws with { seed } use a fresh
 * generator and leave the global one untouched. Differentiated checkpointed loops save
 * and restore the global state with each snapshot, so recomputed steps draw the same values.
 */
import { alloc, checkDType } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkSeed, RngState, Xoshiro128 } from './xoshiro';

export type { RngState } from './xoshiro';
export { Xoshiro128 } from './xoshiro';

const global = new Xoshiro128(0);

export function seedRng(seed: number): void {
  global.setState(new Xoshiro128(checkSeed(seed, 'seedRng')).getState());
}

export function getRngState(): RngState {
  return global.getState();
}

export function setRngState(state: RngState): void {
  global.setState(state);
}

export interface RandomOptions {
  /** A fresh generator with this seed; the global generator when omitted. */
  seed?: number;
  dtype?: 'float64' | 'float32';
}

function realDType(dtype: unknown, where: string): 'float64' | 'float32' {
  if (dtype === 'complex128') throw new Error(`${where}: draws are real; build complex values with complex(re, im)`);
  return checkDType(dtype, where) as 'float64' | 'float32';
}

function generator(options: RandomOptions, where: string): Xoshiro128 {
  return options.seed === undefined ? global : new Xoshiro128(checkSeed(options.seed, where));
}

function checkShape(shape: readonly number[], where: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
}

/** Uniform values in [low, high) (default [0, 1)). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  checkShape(shape, 'rand');
  const dtype = realDType(options.dtype ?? 'float64', 'rand');
  const { low = 0, high = 1 } = options;
  const rng = generator(options, 'rand');
  const out = alloc(dtype, sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.uniform();
  return new Tensor(out, shape, dtype);
}

/** Normal values with the given mean and standard deviation (default 0 and 1). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  checkShape(shape, 'randn');
  const dtype = realDType(options.dtype ?? 'float64', 'randn');
  const { mean = 0, std = 1 } = options;
  const rng = generator(options, 'randn');
  const out = alloc(dtype, sizeOf(shape));
  rng.fillNormal(out);
  if (mean !== 0 || std !== 1) for (let i = 0; i < out.length; i++) out[i] = mean + std * out[i];
  return new Tensor(out, shape, dtype);
}
