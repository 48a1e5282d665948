/** Argument checks shared by the schedule constructors: each error names the argument, the rule and the value. */

/**
 * Largest loop length a schedule accepts (2^26 = 67,108,864). Counts are exact integers in
 * doubles: with snapshots clamped to the step count, every product binomial.ts forms stays
 * below 2·n² <= 2^53.
 */
export const MAX_STEPS = 2 ** 26;

export function checkSteps(where: string, steps: unknown): asserts steps is number {
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0 || steps > MAX_STEPS) {
    throw new RangeError(`${where}: steps must be an integer from 0 to ${MAX_STEPS}, got ${describe(steps)}`);
  }
}

/** `what` says what the count means, e.g. "stored states, counting the initial one". */
export function checkCount(where: string, name: string, value: unknown, min: number, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${where}: ${name} must be an integer >= ${min} (${what}), got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
