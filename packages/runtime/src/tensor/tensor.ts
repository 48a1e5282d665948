import { countTensorData, tensorCounting } from '../memory/tensors';

/** Element types. complex128 stores interleaved (re, im) float64 pairs. */
export type DType = 'float64' | 'float32' | 'complex128';

export type Storage = Float64Array | Float32Array;

/**
 * What a traced tensor knows about the trace that recorded it (autodiff/ owns the
 * tape; the tensor only needs to know whether that tape is still recording).
 */
interface TraceRef {
  readonly tape: { readonly live: boolean };
  readonly id: number;
}

const TRACED_HELP =
  'Inside grad/valueAndGrad/vjp, use the array DSL (add, mul, sum, ... from @adjoint/runtime) ' +
  'instead of native operators and number conversion, or compile the code with the @adjoint/transformer plugin; ' +
  'use stopGradient(x) for a value that should not be differentiated.';

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * An n-dimensional array with value semantics: contiguous row-major data that no
 * operation mutates (operations return new tensors, reshape shares the buffer).
 *
 * Tensors report their data to the memory ledger's 'tensors' only while tensor tracking is
 * on (memory/tensors.ts: trackTensorMemory, or trackTensorMemory with monitoring): counting registers a
 * finalizer per buffer, which costs more than allocating a small tensor. Off, the
 * constructor pays one property read.
 *
 * While a differentiation trace records it, a tensor refuses to become a plain
 * number or to hand out its data: either would let a value escape the trace and
 * silently lose its gradient.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** @internal Row-major storage, readable even while traced (kernels use it). */
  readonly _data: Storage;
  /** @internal Set by autodiff/ on the tensors its tapes record. */
  _trace: TraceRef | undefined = undefined;

  /** Wraps `data` without copying it: the caller must not mutate it afterwards. */
  constructor(data: Storage, shape: readonly number[], dtype: DType = data instanceof Float32Array ? 'float32' : 'float64') {
    let size = 1;
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`Tensor: shape ${formatShape(shape)} must contain non-negative integers`);
      size *= d;
    }
    const want = dtype === 'complex128' ? 2 * size : size;
    if (data.length !== want) {
      throw new Error(`Tensor: ${dtype} data of length ${data.length} does not fit shape ${formatShape(shape)} (needs ${want})`);
    }
    if ((dtype === 'float32') !== data instanceof Float32Array) {
      throw new Error(`Tensor: dtype ${dtype} needs a ${dtype === 'float32' ? 'Float32Array' : 'Float64Array'}`);
    }
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this._data = data;
    this.size = size;
    if (tensorCounting.on) countTensorData(data);
  }

  /** Row-major data; for complex128, length 2·size with (re, im) pairs. Do not mutate it. */
  get data(): Storage {
    if (this.traced) throw new Error(`Cannot read .data of a traced Tensor of shape ${formatShape(this.shape)}. ${TRACED_HELP}`);
    return this._data;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isComplex(): boolean {
    return this.dtype === 'complex128';
  }

  /** True while a differentiation trace is recording this tensor. */
  get traced(): boolean {
    return this._trace !== undefined && this._trace.tape.live;
  }

  /** The single element of a real tensor of size 1, as a number. */
  item(): number {
    this.refuseIfTraced('item()');
    if (this.size !== 1) throw new Error(`item(): Tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`);
    if (this.isComplex) throw new Error('item(): the tensor is complex128; take real(x) or imag(x) first');
    return this._data[0];
  }

  /** Nested arrays of numbers; complex elements become [re, im] pairs. */
  toArray(): unknown {
    this.refuseIfTraced('toArray()');
    const d = this._data;
    const element = this.isComplex ? (i: number) => [d[2 * i], d[2 * i + 1]] : (i: number) => d[i];
    const build = (axis: number, offset: number): unknown => {
      if (axis === this.shape.length) return element(offset);
      const n = this.shape[axis];
      const stride = this.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The values in full up to 64 elements, else the first few. */
  toString(): string {
    const head = `${this.dtype} ${formatShape(this.shape)}`;
    if (this.traced) return `Tensor(traced ${head})`;
    if (this.size <= 64) return `Tensor(${head} ${JSON.stringify(this.toArray())})`;
    const first = Array.from(this._data.subarray(0, 8)).join(', ');
    return `Tensor(${head}, ${this.size} elements, data starts ${first}, …)`;
  }

  /** How console.log and util.inspect show a tensor in Node. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === 'string') return this.toString();
    this.refuseIfTraced('Native arithmetic (+ - * / < ...) or conversion to a number');
    if (this.size !== 1 || this.isComplex) {
      throw new Error(`Cannot convert a ${this.dtype} Tensor of shape ${formatShape(this.shape)} to a number; use the array DSL (add, mul, ...)`);
    }
    return this._data[0];
  }

  private refuseIfTraced(what: string): void {
    if (this.traced) throw new Error(`${what} on a traced Tensor of shape ${formatShape(this.shape)}. ${TRACED_HELP}`);
  }
}
