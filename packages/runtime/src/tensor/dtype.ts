/** Element types: storage allocation and NumPy-like promotion. */
import type { DType, Storage } from './tensor';

export const DTYPES: readonly DType[] = ['float64', 'float32', 'complex128'];

export function checkDType(dtype: unknown, where: string): DType {
  if (!DTYPES.includes(dtype as DType)) throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)} (expected ${DTYPES.join(', ')})`);
  return dtype as DType;
}

/** Zero-filled storage for `size` elements. */
export function alloc(dtype: DType, size: number): Storage {
  if (dtype === 'float32') return new Float32Array(size);
  return new Float64Array(dtype === 'complex128' ? 2 * size : size);
}

/**
 * The dtype of an operation's result. Plain numbers are "weak" (as in NumPy and
 * JAX): they take the dtype of the tensors they meet, so `mul(x32, 2)` stays float32.
 */
export function promote(dtypes: readonly DType[]): DType {
  if (dtypes.includes('complex128')) return 'complex128';
  if (dtypes.length > 0 && dtypes.every((d) => d === 'float32')) return 'float32';
  return 'float64';
}
