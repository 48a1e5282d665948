/** What kernels read: a tensor or a plain number, seen as raw storage plus shape. */
import { alloc, promote } from '../../tensor/dtype';
import { DType, Storage, Tensor } from '../../tensor/tensor';

export type TensorLike = Tensor | number;

/** The dtype of a result: plain numbers are weak and take the dtype of the tensors they meet. */
export function resultDType(xs: readonly TensorLike[]): DType {
  return promote(xs.filter((x): x is Tensor => typeof x !== 'number').map((x) => x.dtype));
}

export function shapeOf(x: TensorLike): readonly number[] {
  return typeof x === 'number' ? [] : x.shape;
}

/** Storage of x in the given dtype (real values become complex with zero imaginary part). */
export function storageAs(x: TensorLike, dtype: DType): Storage {
  if (typeof x === 'number') {
    const out = alloc(dtype, 1);
    out[0] = x;
    return out;
  }
  if (x.dtype === dtype || (dtype !== 'complex128' && x.dtype !== 'complex128')) return x._data;
  if (x.dtype === 'complex128') throw new Error(`internal: cannot read complex128 data as ${dtype}`);
  const out = alloc('complex128', x.size);
  const d = x._data;
  for (let i = 0; i < x.size; i++) out[2 * i] = d[i];
  return out;
}

/** x converted to dtype (complex to real keeps the real part). Returns x itself when nothing changes. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (dtype === 'complex128') return new Tensor(storageAs(x, dtype), x.shape, dtype);
  const out = alloc(dtype, x.size);
  const d = x._data;
  if (x.dtype === 'complex128') for (let i = 0; i < x.size; i++) out[i] = d[2 * i];
  else out.set(d);
  return new Tensor(out, x.shape, dtype);
}

/** A clear error for anything that is neither a Tensor nor a number. */
export function checkOperands(op: string, xs: readonly unknown[]): void {
  xs.forEach((x, i) => {
    if (typeof x === 'number' || x instanceof Tensor) return;
    const what = x === null ? 'null' : Array.isArray(x) ? 'an array' : ArrayBuffer.isView(x) ? 'a typed array' : `a ${typeof x}`;
    throw new Error(`${op}: argument ${i} is ${what}; expected a Tensor or a number (wrap data with tensor(...))`);
  });
}
