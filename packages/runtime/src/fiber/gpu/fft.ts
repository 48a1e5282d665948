import { Destination, DeviceKernel, GpuDevice } from './device';
import { Op } from '../../drive/index';
import { complexPlanes, ComplexPlanes, DeviceField, fieldShape, uploadConstantField } from './field';

/**
 * Radix-2 Stockham FFT as gpu.js passes. Pass s (span = 2^s) gathers, for
 * output i = g·2·span + r, the butterfly of inputs j = g·span + (r mod span)
 * and j + n/2 with twiddle w^(k·n/(2·span)), k = r mod span; after log2(n)
 * passes the result is in natural order, with no bit reversal. Twiddles come
 * from a float64 table (software GPUs evaluate sin/cos poorly), and the sign
 * of the exponent is a kernel argument, so one table serves both directions:
 *   transform(x, sign, scale)_k = scale · Σ_j x_j · exp(sign · 2πi·j·k/n).
 */
const STOCKHAM_PASS = `function (x, twiddles, span, half, sign, scale) {
  const i = this.thread.x;
  const b = this.thread.y;
  const group = Math.floor(i / (2 * span));
  const r = i - group * 2 * span;
  let k = r;
  let butterfly = 1;
  if (r >= span) {
    k = r - span;
    butterfly = -1;
  }
  const j = group * span + k;
  const t = k * (half / span);
  const wr = twiddles[0][0][t];
  const wi = sign * twiddles[1][0][t];
  const ur = x[0][b][j + half];
  const ui = x[1][b][j + half];
  if (this.thread.z === 0) {
    return scale * (x[0][b][j] + butterfly * (ur * wr - ui * wi));
  }
  return scale * (x[1][b][j] + butterfly * (ur * wi + ui * wr));
}`;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** exp(+2πi·t/n) for t < n/2, computed in float64. */
export function twiddlePlanes(n: number): ComplexPlanes {
  const half = n / 2;
  const planes = complexPlanes(half);
  for (let t = 0; t < half; t++) {
    const angle = (2 * Math.PI * t) / n;
    planes.re[t] = Math.cos(angle);
    planes.im[t] = Math.sin(angle);
  }
  return planes;
}

/** The device twiddle table for length n; shared by every plan of that length on the device. */
export function* uploadTwiddles(device: GpuDevice, n: number): Op<DeviceField> {
  if (!isPowerOfTwo(n)) throw new Error(`n: FFT length must be a power of two >= 2, got ${n}`);
  return yield* uploadConstantField(device, `twiddles${n}`, twiddlePlanes(n), n / 2, 1);
}

/**
 * Transforms `batch` signals of length n at once. Owns two ping-pong buffers,
 * so a result stays valid until the plan transforms again.
 */
export class FftPlan {
  private readonly passes: [DeviceKernel, DeviceKernel];
  private readonly shape: [number, number, number];
  readonly log2n: number;

  constructor(
    device: GpuDevice,
    name: string,
    readonly n: number,
    readonly batch: number,
    private readonly twiddles: DeviceField,
  ) {
    if (!isPowerOfTwo(n)) throw new Error(`n: FFT length must be a power of two >= 2, got ${n}`);
    if (twiddles.n !== n / 2) throw new Error(`${name}: twiddle table is for length ${2 * twiddles.n}, not ${n}`);
    this.log2n = Math.log2(n);
    this.shape = fieldShape(n, batch);
    this.passes = [device.kernel(`${name}.even`, STOCKHAM_PASS, this.shape), device.kernel(`${name}.odd`, STOCKHAM_PASS, this.shape)];
  }

  /** With `into`, the last pass writes into the destination's kernel instead of the plan's. */
  *transform(x: DeviceField, sign: 1 | -1, scale = 1, into?: Destination): Op<DeviceField> {
    if (x.n !== this.n || x.batch !== this.batch) {
      throw new Error(`FFT plan for [${this.n}, ${this.batch}] cannot transform a field of shape [${x.n}, ${x.batch}]`);
    }
    if (x.owner === this.passes[0]) throw new Error('FFT plan: the input is this plan\'s own previous result; copy it first');
    let data = x.data;
    let owner = x.owner;
    for (let s = 0; s < this.log2n; s++) {
      const last = s === this.log2n - 1;
      owner = last && into ? into.kernel('fft.lastPass', STOCKHAM_PASS, this.shape) : this.passes[s % 2];
      data = yield* owner.run(data, this.twiddles.data, 2 ** s, this.n / 2, sign, last ? scale : 1);
    }
    return { data, n: this.n, batch: this.batch, owner };
  }
}
