/**
 * The structure of a value tree: everything but the numbers in it (container kinds,
 * object keys, array lengths, typed-array lengths, tensor shapes and dtypes).
 * A loop's state must keep one structure across steps; comparing against a
 * structure computed once is cheap enough to do on every iteration.
 */
import { sameShape } from '../tensor/shape';
import { DType, Tensor } from '../tensor/tensor';
import { childPath } from './path';
import type { Leaf, Tree } from './types';

export type Structure =
  | { readonly kind: 'number' }
  | { readonly kind: 'Float64Array'; readonly length: number }
  | { readonly kind: 'Float32Array'; readonly length: number }
  | { readonly kind: 'Tensor'; readonly dtype: DType; readonly shape: readonly number[] }
  | { readonly kind: 'array'; readonly items: readonly Structure[] }
  /** Keys are sorted, so key order never makes two trees differ. */
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly Structure[] };

/** A value found where another structure was expected, both described for people. */
export interface StructureMismatch {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

/** A tree that is not a value tree, or not of the structure it must have. */
export class StructureError extends Error implements StructureMismatch {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;

  constructor(context: string, mismatch: StructureMismatch) {
    super(`${context}: ${mismatch.path}: expected ${mismatch.expected}, got ${mismatch.actual}`);
    this.name = 'StructureError';
    this.path = mismatch.path;
    this.expected = mismatch.expected;
    this.actual = mismatch.actual;
  }
}

const SUPPORTED = 'a value tree (number, Float64Array, Float32Array, Tensor, or arrays and plain objects of them)';

export function isLeaf(value: unknown): value is Leaf {
  return typeof value === 'number' || value instanceof Float64Array || value instanceof Float32Array || value instanceof Tensor;
}

export function isPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The structure of `tree`; throws a StructureError naming the path of anything that is not a value tree. */
export function structureOf(tree: Tree, root = 'state'): Structure {
  return structureAt(tree, root);
}

function structureAt(value: unknown, path: string): Structure {
  if (typeof value === 'number') return NUMBER;
  if (value instanceof Float64Array) return { kind: 'Float64Array', length: value.length };
  if (value instanceof Float32Array) return { kind: 'Float32Array', length: value.length };
  if (value instanceof Tensor) return { kind: 'Tensor', dtype: value.dtype, shape: value.shape };
  if (Array.isArray(value)) return { kind: 'array', items: value.map((item, i) => structureAt(item, childPath(path, i))) };
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return { kind: 'object', keys, values: keys.map((k) => structureAt(value[k], childPath(path, k))) };
  }
  throw notATreeError(value, path);
}

export function notATreeError(value: unknown, path: string): StructureError {
  return new StructureError('not a value tree', { path, expected: SUPPORTED, actual: shallowName(value) });
}

const NUMBER: Structure = Object.freeze({ kind: 'number' });

/** The first place where `tree` departs from `structure`, or undefined when it conforms. */
export function findMismatch(structure: Structure, tree: unknown, root = 'state'): StructureMismatch | undefined {
  return mismatchAt(structure, tree, root);
}

function mismatchAt(s: Structure, value: unknown, path: string): StructureMismatch | undefined {
  switch (s.kind) {
    case 'number':
      return typeof value === 'number' ? undefined : mismatch(s, value, path);
    case 'Float64Array':
      return value instanceof Float64Array && value.length === s.length ? undefined : mismatch(s, value, path);
    case 'Float32Array':
      return value instanceof Float32Array && value.length === s.length ? undefined : mismatch(s, value, path);
    case 'Tensor':
      return value instanceof Tensor && value.dtype === s.dtype && sameShape(value.shape, s.shape) ? undefined : mismatch(s, value, path);
    case 'array': {
      if (!Array.isArray(value) || value.length !== s.items.length) return mismatch(s, value, path);
      for (let i = 0; i < s.items.length; i++) {
        const inner = mismatchAt(s.items[i], value[i], childPath(path, i));
        if (inner) return inner;
      }
      return undefined;
    }
    case 'object': {
      if (!isPlainObject(value) || Object.keys(value).length !== s.keys.length) return mismatch(s, value, path);
      for (const key of s.keys) if (!Object.prototype.hasOwnProperty.call(value, key)) return mismatch(s, value, path);
      for (let i = 0; i < s.keys.length; i++) {
        const inner = mismatchAt(s.values[i], value[s.keys[i]], childPath(path, s.keys[i]));
        if (inner) return inner;
      }
      return undefined;
    }
  }
}

function mismatch(expected: Structure, actual: unknown, path: string): StructureMismatch {
  return { path, expected: describeStructure(expected), actual: describeValue(actual) };
}

/** Throws a StructureError (message prefixed by `context`) unless `tree` conforms to `structure`. */
export function assertStructure(structure: Structure, tree: unknown, root: string, context: string): void {
  const found = findMismatch(structure, tree, root);
  if (found) throw new StructureError(context, found);
}

const MAX_DESCRIPTION = 160;

/** "{h: Float64Array(3), t: number}", "Tensor<complex128>[10, 16384]", "[number, number]" (long ones cut). */
export function describeStructure(s: Structure): string {
  const text = describeFull(s);
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

function describeFull(s: Structure): string {
  switch (s.kind) {
    case 'number':
      return 'number';
    case 'Float64Array':
    case 'Float32Array':
      return `${s.kind}(${s.length})`;
    case 'Tensor':
      return `Tensor<${s.dtype}>[${s.shape.join(', ')}]`;
    case 'array':
      return `[${s.items.map(describeFull).join(', ')}]`;
    case 'object':
      return `{${s.keys.map((k, i) => `${k}: ${describeFull(s.values[i])}`).join(', ')}}`;
  }
}

/** Like describeStructure for value trees; anything else by its type name ("undefined", "Map", "Int32Array(4)"). */
export function describeValue(value: unknown): string {
  try {
    return describeStructure(structureAt(value, ''));
  } catch {
    return shallowName(value);
  }
}

function shallowName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return typeof value;
  if (ArrayBuffer.isView(value) && 'length' in value) return `${value.constructor.name}(${(value as { length: number }).length})`;
  if (Array.isArray(value)) return `array of ${value.length} with a value that is not a value tree`;
  return value.constructor?.name || 'an object of an anonymous class';
}
