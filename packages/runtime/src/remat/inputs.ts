/** What checkpointed functions need to know about their arguments. */
import { Tensor } from '../tensor/tensor';
import { isPlainObject } from '../tree/structure';

/** True when x holds a Tensor somewhere in its arrays and plain objects: only those arguments can get a gradient. */
export function holdsTensor(x: unknown): boolean {
  if (x instanceof Tensor) return true;
  if (Array.isArray(x)) return x.some(holdsTensor);
  if (isPlainObject(x)) return Object.values(x).some(holdsTensor);
  return false;
}

/** True when x holds a Tensor that a live trace is recording. */
export function holdsTraced(x: unknown): boolean {
  if (x instanceof Tensor) return x.traced;
  if (Array.isArray(x)) return x.some(holdsTraced);
  if (isPlainObject(x)) return Object.values(x).some(holdsTraced);
  return false;
}

/** x with every Tensor replaced by fn(tensor); arrays and plain objects rebuilt, other values shared. */
export function mapTensors(x: unknown, fn: (t: Tensor) => Tensor): unknown {
  if (x instanceof Tensor) return fn(x);
  if (Array.isArray(x)) return x.map((v) => mapTensors(v, fn));
  if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, mapTensors(v, fn)]));
  return x;
}

export function checkFunction(f: unknown, what: string, where: string): void {
  if (typeof f !== 'function') throw new TypeError(`${where}: ${what} must be a function, got ${f === null ? 'null' : typeof f}`);
}

/** Rejects option keys outside `allowed`, naming the key and what is allowed. */
export function checkOptionKeys(options: unknown, allowed: readonly string[], where: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${where}: unknown option '${key}'; allowed: ${allowed.join(', ')}`);
  }
}
