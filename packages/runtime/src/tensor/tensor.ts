/** Element types. complex128 stores interleaved (re, im) float64 pairs. */
export type DType = 'float64' | 'float32' | 'complex128';

/**
 * An n-dimensional array with value semantics: contiguous row-major data that no
 * operation mutates. (Skeleton: the array DSL owner extends this class.)
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Row-major; for complex128, length 2·size with (re, im) pairs. */
  readonly data: Float64Array | Float32Array;
  readonly size: number;

  constructor(data: Float64Array | Float32Array, shape: readonly number[], dtype: DType = data instanceof Float32Array ? 'float32' : 'float64') {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.data = data;
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  get ndim(): number {
    return this.shape.length;
  }
}
