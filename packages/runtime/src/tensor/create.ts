/** Constructors. Every one returns a fresh tensor that owns its data. */
import { alloc, checkDType } from './dtype';
import { sizeOf } from './shape';
import { DType, formatShape, Tensor } from './tensor';

/** Numbers, nested arrays of numbers (rectangular), or a typed array (copied). */
export type ArrayData = number | readonly ArrayData[] | Float64Array | Float32Array;

function inferShape(data: ArrayData, path: string): number[] {
  if (typeof data === 'number') return [];
  if (data instanceof Float64Array || data instanceof Float32Array) return [data.length];
  if (!Array.isArray(data)) throw new Error(`tensor: ${path} is ${describe(data)}, not a number or an array`);
  if (data.length === 0) return [0];
  return [data.length, ...inferShape(data[0], `${path}[0]`)];
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof Tensor) return 'a Tensor (pass tensors around directly)';
  return typeof x === 'object' ? `an object (${Object.prototype.toString.call(x)})` : `a ${typeof x}`;
}

/** Writes nested data in row-major order, checking that it is rectangular. */
function fill(data: ArrayData, shape: readonly number[], axis: number, out: number[], path: string): void {
  if (axis === shape.length) {
    if (typeof data !== 'number') throw new Error(`tensor: ragged data at ${path}: expected a number, got ${Array.isArray(data) ? 'an array' : describe(data)}`);
    out.push(data);
    return;
  }
  const isTyped = data instanceof Float64Array || data instanceof Float32Array;
  if (!Array.isArray(data) && !isTyped) throw new Error(`tensor: ragged data at ${path}: expected an array of length ${shape[axis]}, got ${describe(data)}`);
  const arr = data as ArrayLike<ArrayData>;
  if (arr.length !== shape[axis]) throw new Error(`tensor: ragged data at ${path}: length ${arr.length}, expected ${shape[axis]}`);
  for (let i = 0; i < arr.length; i++) fill(arr[i], shape, axis + 1, out, `${path}[${i}]`);
}

/**
 * A tensor from numbers, nested arrays or a typed array. `shape` reshapes flat data.
 * With dtype complex128, a typed array holds interleaved (re, im) pairs and nested
 * numbers give real parts (use complex(re, im) for general complex tensors).
 */
export function tensor(data: ArrayData, shape?: readonly number[], dtype?: DType): Tensor {
  const typed = data instanceof Float64Array || data instanceof Float32Array ? data : undefined;
  const dt: DType = dtype === undefined ? (typed instanceof Float32Array ? 'float32' : 'float64') : checkDType(dtype, 'tensor');
  const complexPairs = dt === 'complex128' && typed !== undefined;
  const natural = complexPairs ? [typed.length / 2] : inferShape(data, 'data');
  const target = shape ?? natural;
  const values: ArrayLike<number> = typed ?? flatten(data, natural);
  const count = complexPairs ? values.length / 2 : values.length;
  if (sizeOf(target) !== count || !Number.isInteger(count)) {
    throw new Error(`tensor: ${values.length} value${values.length === 1 ? '' : 's'}${complexPairs ? ' (interleaved re, im)' : ''} do not fit shape ${formatShape(target)}`);
  }
  const out = alloc(dt, count);
  if (complexPairs || dt !== 'complex128') out.set(values);
  else for (let i = 0; i < count; i++) out[2 * i] = values[i];
  return new Tensor(out, target, dt);
}

function flatten(data: ArrayData, shape: readonly number[]): number[] {
  const out: number[] = [];
  fill(data, shape, 0, out, 'data');
  return out;
}

function checkShape(shape: readonly number[], where: string): readonly number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${where}: shape ${Array.isArray(shape) ? formatShape(shape) : String(shape)} must be an array of non-negative integers`);
  }
  return shape;
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
  checkShape(shape, 'full');
  const out = alloc(checkDType(dtype, 'full'), sizeOf(shape));
  if (dtype === 'complex128') for (let i = 0; i < out.length; i += 2) out[i] = value;
  else out.fill(value);
  return new Tensor(out, shape, dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  checkShape(shape, 'zeros');
  return new Tensor(alloc(checkDType(dtype, 'zeros'), sizeOf(shape)), shape, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return full(shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return full(x.shape, 1, x.dtype);
}

/** NumPy arange: arange(stop) or arange(start, stop, step = 1), stop excluded. */
export function arange(start: number, stop?: number, step = 1, dtype: 'float64' | 'float32' = 'float64'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new Error(`arange(${start}, ${stop}, ${step}): start, stop and step must be finite and step non-zero`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = alloc(checkDType(dtype, 'arange'), n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n], dtype);
}

/** `num` evenly spaced values from start to stop, both included (NumPy's default). */
export function linspace(start: number, stop: number, num = 50, dtype: 'float64' | 'float32' = 'float64'): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  const out = alloc(checkDType(dtype, 'linspace'), num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return new Tensor(out, [num], dtype);
}
