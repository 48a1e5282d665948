/**
 * Reading untrusted configuration (JSON problem files, SimConfig options) into typed
 * values. Every failure is a ConfigError whose message starts with the offending key:
 * `fiber.steps: must be a positive integer, got -3`.
 */
import { childPath } from '../tree/path';

export class ConfigError extends Error {
  /** The dot/bracket path of the offending key, e.g. `fiber.modes[1].betas`. */
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`${key}: ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

export function keyOf(parent: string, child: string | number): string {
  return parent === '' ? String(child) : childPath(parent, child);
}

/** A short rendering of a bad value for error messages (NaN and undefined included). */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A plain object with no keys outside `allowed`. */
export function readObject(value: unknown, key: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(key || '(root)', `must be an object, got ${show(value)}`);
  }
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new ConfigError(keyOf(key, name), `unknown key (allowed here: ${allowed.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

export function requireKey(object: Record<string, unknown>, key: string, name: string): unknown {
  const value = object[name];
  if (value === undefined) throw new ConfigError(keyOf(key, name), 'required');
  return value;
}

export function readFinite(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(key, `must be a finite number, got ${show(value)}`);
  return value;
}

export function readPositive(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ConfigError(key, `must be a positive number, got ${show(value)}`);
  return value;
}

export function readPositiveInteger(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new ConfigError(key, `must be a positive integer, got ${show(value)}`);
  return value;
}

export function readBoolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(key, `must be true or false, got ${show(value)}`);
  return value;
}

export function readChoice<C extends string>(value: unknown, key: string, choices: readonly C[]): C {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(key, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${show(value)}`);
  }
  return value as C;
}

export function readArray(value: unknown, key: string, length?: number): unknown[] {
  if (!Array.isArray(value)) throw new ConfigError(key, `must be an array, got ${show(value)}`);
  if (length !== undefined && value.length !== length) throw new ConfigError(key, `must have ${length} ${length === 1 ? 'entry' : 'entries'}, got ${value.length}`);
  if (value.length === 0) throw new ConfigError(key, 'must not be empty');
  return value;
}

export function readFiniteArray(value: unknown, key: string, length?: number): number[] {
  return readArray(value, key, length).map((entry, i) => readFinite(entry, keyOf(key, i)));
}
