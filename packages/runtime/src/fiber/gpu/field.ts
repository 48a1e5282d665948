import { Input } from 'gpu.js';
import { DeviceData, DeviceKernel, GpuDevice } from './device';
import { Op } from '../../drive/index';

/**
 * Complex data on the host: `batch` signals of `n` samples each, stored
 * batch-major (signal b, sample j at b·n + j) as separate float64 planes.
 */
export interface ComplexPlanes {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Complex data on the device: gpu.js output shape [n, batch, 2], i.e. a real
 * plane (z = 0) and an imaginary plane (z = 1) of batch × n float32 values.
 * Separate planes keep every kernel a plain scalar kernel, which all gpu.js
 * modes support, and one buffer per field keeps a complex op to one call.
 */
export interface DeviceField {
  readonly data: DeviceData;
  readonly n: number;
  readonly batch: number;
  /** The kernel whose output buffer holds the data (it is overwritten when that kernel runs again). */
  readonly owner: DeviceKernel;
}

export function fieldShape(n: number, batch: number): [number, number, number] {
  return [n, batch, 2];
}

export function complexPlanes(length: number): ComplexPlanes {
  return { re: new Float64Array(length), im: new Float64Array(length) };
}

export function checkPlanes(planes: ComplexPlanes, n: number, batch: number, key: string): void {
  const want = n * batch;
  if (planes.re.length !== want || planes.im.length !== want) {
    throw new Error(
      `${key}: expected ${batch} × ${n} complex values, got re ${planes.re.length} and im ${planes.im.length}`,
    );
  }
}

export function checkShape(field: DeviceField, n: number, batch: number, what: string): void {
  if (field.n !== n || field.batch !== batch) {
    throw new Error(`${what}: expected a field of shape [${n}, ${batch}], got [${field.n}, ${field.batch}]`);
  }
}

const COPY_FIELD = `function (src) {
  return src[this.thread.z][this.thread.y][this.thread.x];
}`;

/** Moves complex fields of one shape onto the device through one reusable buffer. */
export class FieldUpload {
  private readonly kernel: DeviceKernel;
  private readonly staging: Float32Array;

  constructor(device: GpuDevice, name: string, readonly n: number, readonly batch: number) {
    this.kernel = device.kernel(name, COPY_FIELD, fieldShape(n, batch));
    this.staging = new Float32Array(2 * n * batch);
  }

  /** The result stays valid until the next upload through this object. */
  *upload(planes: ComplexPlanes, key = 'field'): Op<DeviceField> {
    checkPlanes(planes, this.n, this.batch, key);
    this.staging.set(planes.re, 0);
    this.staging.set(planes.im, this.n * this.batch);
    return yield* this.send();
  }

  /** The same from interleaved (re, im) pairs, batch-major: 2·batch·n numbers. */
  *uploadInterleaved(data: ArrayLike<number>, key = 'field'): Op<DeviceField> {
    const count = this.n * this.batch;
    if (data.length !== 2 * count) {
      throw new Error(`${key}: expected ${2 * count} numbers (${this.batch} × ${this.n} complex, interleaved), got ${data.length}`);
    }
    for (let i = 0; i < count; i++) {
      this.staging[i] = data[2 * i];
      this.staging[count + i] = data[2 * i + 1];
    }
    return yield* this.send();
  }

  private *send(): Op<DeviceField> {
    const data = yield* this.kernel.run(new Input(this.staging as unknown as number[], fieldShape(this.n, this.batch)));
    return { data, n: this.n, batch: this.batch, owner: this.kernel };
  }
}

/** A complex table that lives on the device for the lifetime of its device. */
export function* uploadConstantField(device: GpuDevice, name: string, planes: ComplexPlanes, n: number, batch: number): Op<DeviceField> {
  return yield* new FieldUpload(device, name, n, batch).upload(planes, name);
}

/** The same from interleaved (re, im) pairs. */
export function planesFromInterleaved(data: ArrayLike<number>): ComplexPlanes {
  const out = complexPlanes(data.length / 2);
  for (let i = 0; i < out.re.length; i++) {
    out.re[i] = data[2 * i];
    out.im[i] = data[2 * i + 1];
  }
  return out;
}

const COPY_TABLE = `function (src) {
  return src[this.thread.x];
}`;

/** A real 1-D table (indices, coefficients) that lives on the device. */
export function* uploadTable(device: GpuDevice, name: string, values: ArrayLike<number>): Op<DeviceData> {
  const kernel = device.kernel(name, COPY_TABLE, [values.length]);
  return yield* kernel.run(Float32Array.from(values));
}

/** Copies a field back to the host as interleaved float64 (re, im) pairs, batch-major. */
export function* downloadInterleaved(field: DeviceField): Op<Float64Array> {
  const values = yield* field.owner.read(field.data);
  const out = new Float64Array(2 * field.n * field.batch);
  for (let b = 0; b < field.batch; b++) {
    const re = values[0][b];
    const im = values[1][b];
    const base = 2 * b * field.n;
    for (let j = 0; j < field.n; j++) {
      out[base + 2 * j] = re[j];
      out[base + 2 * j + 1] = im[j];
    }
  }
  return out;
}

/** Copies a field back to the host in float64 planes. */
export function* downloadField(field: DeviceField): Op<ComplexPlanes> {
  const values = yield* field.owner.read(field.data);
  const out = complexPlanes(field.n * field.batch);
  for (let b = 0; b < field.batch; b++) {
    out.re.set(values[0][b], b * field.n);
    out.im.set(values[1][b], b * field.n);
  }
  return out;
}
