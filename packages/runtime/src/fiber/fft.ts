/**
 * Power-of-two complex FFT on interleaved (re, im) float64 arrays, backed by fft.js.
 *
 * Sign conventions (the solver relies on them, see grid.ts):
 *   negative(x)_k = Σ_j x_j·exp(-2πi·jk/n)          (unnormalised)
 *   positive(X)_j = (1/n)·Σ_k X_k·exp(+2πi·jk/n)     (inverse of `negative`)
 */
import FFT from 'fft.js';

export class ComplexFft {
  readonly size: number;
  private readonly engine: FFT;
  /** fft.js refuses in-place transforms; aliased calls go through this copy. */
  private readonly scratch: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new Error(`ComplexFft: size must be a power of two >= 2, got ${size}`);
    }
    this.size = size;
    this.engine = new FFT(size);
    this.scratch = new Float64Array(2 * size);
  }

  /** dst = Σ_j src_j·exp(-2πi·jk/n). src and dst hold 2n numbers and may be the same array. */
  negative(src: Float64Array, dst: Float64Array): void {
    this.engine.transform(dst, this.distinct(src, dst));
  }

  /** dst = (1/n)·Σ_k src_k·exp(+2πi·jk/n). src and dst hold 2n numbers and may be the same array. */
  positive(src: Float64Array, dst: Float64Array): void {
    this.engine.inverseTransform(dst, this.distinct(src, dst));
  }

  private distinct(src: Float64Array, dst: Float64Array): Float64Array {
    if (src.length !== 2 * this.size || dst.length !== 2 * this.size) {
      throw new Error(`ComplexFft(${this.size}): expected arrays of ${2 * this.size} numbers, got ${src.length} and ${dst.length}`);
    }
    if (src.buffer !== dst.buffer) return src;
    const srcEnd = src.byteOffset + src.byteLength;
    const dstEnd = dst.byteOffset + dst.byteLength;
    if (srcEnd <= dst.byteOffset || dstEnd <= src.byteOffset) return src;
    this.scratch.set(src);
    return this.scratch;
  }
}

/**
 * Transforms every mode of a mode-major field (M consecutive blocks of 2n numbers):
 * `negative` maps spectra to time fields, `positive` time fields to spectra (grid.ts).
 */
export function transformModes(fft: ComplexFft, direction: 'negative' | 'positive', src: Float64Array, dst: Float64Array): void {
  const stride = 2 * fft.size;
  if (src.length !== dst.length || src.length % stride !== 0) {
    throw new Error(`transformModes: fields of ${src.length} and ${dst.length} numbers are not whole modes of ${fft.size} points`);
  }
  for (let offset = 0; offset < src.length; offset += stride) {
    fft[direction](src.subarray(offset, offset + stride), dst.subarray(offset, offset + stride));
  }
}
