/**
 * Bytes of numeric data a tree holds: 8 per number, the data of typed arrays and
 * tensors. Object and array overhead is not counted (it is not the runtime's to
 * account and is small next to the data). Tensors are read through _data, which
 * stays readable while a trace records them.
 */
import { Tensor } from '../tensor/tensor';
import { childPath } from './path';
import { isPlainObject, notATreeError } from './structure';
import type { Tree } from './types';

export function treeBytes(tree: Tree): number {
  return bytesAt(tree, 'state');
}

function bytesAt(value: unknown, path: string): number {
  if (typeof value === 'number') return 8;
  if (value instanceof Float64Array || value instanceof Float32Array) return value.byteLength;
  if (value instanceof Tensor) return value._data.byteLength;
  let sum = 0;
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) sum += bytesAt(value[i], childPath(path, i));
  else if (isPlainObject(value)) for (const key of Object.keys(value)) sum += bytesAt(value[key], childPath(path, key));
  else throw notATreeError(value, path);
  return sum;
}
