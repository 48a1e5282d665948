import { Destination, DeviceKernel, GpuDevice } from './device';
import { Op } from '../../drive/index';
import { checkShape, DeviceField, fieldShape } from './field';

const LINEAR_COMBINATION = `function (x, a, y, b) {
  const z = this.thread.z;
  const p = this.thread.y;
  const j = this.thread.x;
  return a * x[z][p][j] + b * y[z][p][j];
}`;

/** out = a·x + b·y for real a, b: the RK4IP stage sums and their adjoints. */
export class LinearCombination {
  private readonly own: DeviceKernel;
  private readonly shape: [number, number, number];

  constructor(device: GpuDevice, readonly name: string, readonly n: number, readonly batch: number) {
    this.shape = fieldShape(n, batch);
    this.own = device.kernel(name, LINEAR_COMBINATION, this.shape);
  }

  *run(a: number, x: DeviceField, b: number, y: DeviceField, into?: Destination): Op<DeviceField> {
    checkShape(x, this.n, this.batch, this.name);
    checkShape(y, this.n, this.batch, this.name);
    const kernel = into ? into.kernel(this.name, LINEAR_COMBINATION, this.shape) : this.own;
    const data = yield* kernel.run(x.data, a, y.data, b);
    return { data, n: this.n, batch: this.batch, owner: kernel };
  }
}

/*
 * out = a·(d ⊙ x) + b·y with d a complex per-sample table, its imaginary part
 * multiplied by `conj` (+1, or −1 for the conjugate in adjoints). A table of
 * one row (`broadcast` 0) applies to every signal in the batch.
 */
const DIAGONAL_MULTIPLY_ADD = `function (d, x, y, a, b, conj, broadcast) {
  const p = this.thread.y;
  const j = this.thread.x;
  const q = p * broadcast;
  const dr = d[0][q][j];
  const di = conj * d[1][q][j];
  const xr = x[0][p][j];
  const xi = x[1][p][j];
  if (this.thread.z === 0) {
    return a * (dr * xr - di * xi) + b * y[0][p][j];
  }
  return a * (dr * xi + di * xr) + b * y[1][p][j];
}`;

/**
 * Multiplication by a diagonal operator: the dispersion half step
 * exp(h·D/2), the nonlinear prefactor i·γ0·(1 + s·Ω/ω0), and the Raman
 * response spectrum; with `conjugate` their adjoints.
 */
export class DiagonalMultiplyAdd {
  private readonly own: DeviceKernel;
  private readonly shape: [number, number, number];

  constructor(
    device: GpuDevice,
    readonly name: string,
    readonly table: DeviceField,
    readonly batch: number,
  ) {
    if (table.batch !== 1 && table.batch !== batch) {
      throw new Error(`${name}: a table of ${table.batch} rows cannot apply to a batch of ${batch}`);
    }
    this.shape = fieldShape(table.n, batch);
    this.own = device.kernel(name, DIAGONAL_MULTIPLY_ADD, this.shape);
  }

  /** out = a·(d ⊙ x) + b·y (d conjugated when `conjugate`). */
  *run(a: number, x: DeviceField, b: number, y: DeviceField, conjugate = false, into?: Destination): Op<DeviceField> {
    checkShape(x, this.table.n, this.batch, this.name);
    checkShape(y, this.table.n, this.batch, this.name);
    const broadcast = this.table.batch === 1 ? 0 : 1;
    const kernel = into ? into.kernel(this.name, DIAGONAL_MULTIPLY_ADD, this.shape) : this.own;
    const data = yield* kernel.run(this.table.data, x.data, y.data, a, b, conjugate ? -1 : 1, broadcast);
    return { data, n: this.table.n, batch: this.batch, owner: kernel };
  }

  /** out = d ⊙ x (or conj(d) ⊙ x). */
  *multiply(x: DeviceField, conjugate = false, into?: Destination): Op<DeviceField> {
    return yield* this.run(1, x, 0, x, conjugate, into);
  }
}

const CONJUGATE_PRODUCT_ADD = `function (acc, a, b) {
  const p = this.thread.y;
  const j = this.thread.x;
  const ar = a[0][p][j];
  const ai = a[1][p][j];
  const br = b[0][p][j];
  const bi = b[1][p][j];
  if (this.thread.z === 0) {
    return acc[0][p][j] + ar * br + ai * bi;
  }
  return acc[1][p][j] + ar * bi - ai * br;
}`;

/** out = acc + conj(a) ⊙ b: the per-sample terms of a fiber parameter's adjoint (../adjoint.ts). */
export class ConjugateProductAdd {
  private readonly shape: [number, number, number];

  constructor(readonly name: string, readonly n: number, readonly batch: number) {
    this.shape = fieldShape(n, batch);
  }

  /** Into `into`'s own kernel: acc is usually into's current data. */
  *run(acc: DeviceField, a: DeviceField, b: DeviceField, into: Destination): Op<DeviceField> {
    for (const x of [acc, a, b]) checkShape(x, this.n, this.batch, this.name);
    const kernel = into.kernel(this.name, CONJUGATE_PRODUCT_ADD, this.shape);
    const data = yield* kernel.run(acc.data, a.data, b.data);
    return { data, n: this.n, batch: this.batch, owner: kernel };
  }
}
