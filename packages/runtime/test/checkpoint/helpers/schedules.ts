/**
 * Hand-written schedules for driving the sweep independently of the schedules module:
 * simple enough to be right by inspection, and varied enough to exercise every action.
 */
import type { Action, Schedule, Tier } from '@adjoint/runtime/schedules/actions';

type Actions = Generator<Action, void, boolean | undefined>;

/** A schedule replaying a fixed list of actions. */
export function fromActions(name: string, steps: number | undefined, limits: { ram: number; disk: number }, list: readonly Action[]): Schedule {
  return {
    name,
    steps,
    limits,
    *actions() {
      yield* list;
    },
  };
}

/** Keeps x_0..x_{n-1}. */
export function storeAll(n: number, tier: Tier = 'ram'): Schedule {
  return {
    name: `store-all(${tier})`,
    steps: n,
    limits: { ram: tier === 'ram' ? n : 0, disk: tier === 'disk' ? n : 0 },
    *actions() {
      for (let i = 0; i < n; i++) {
        yield { type: 'save', step: i, tier };
        if (i < n - 1) yield { type: 'advance', from: i, to: i + 1 };
      }
      let at = n - 1;
      for (let step = n; step >= 1; step--) {
        if (at !== step - 1) yield { type: 'restore', step: step - 1, tier };
        at = step - 1;
        yield { type: 'reverse', step };
        yield { type: 'drop', step: step - 1, tier };
      }
      yield { type: 'end' };
    },
  };
}

/** Stores every k-th state; each step's input is recomputed from the checkpoint below it. */
export function everyK(n: number, k: number, tier: Tier = 'ram'): Schedule {
  return {
    name: `every-${k}(${tier})`,
    steps: n,
    limits: { ram: tier === 'ram' ? Math.ceil(n / k) : 0, disk: tier === 'disk' ? Math.ceil(n / k) : 0 },
    *actions() {
      let at = 0;
      for (let c = 0; c < n; c += k) {
        if (c > at) yield { type: 'advance', from: at, to: c };
        yield { type: 'save', step: c, tier };
        at = c;
      }
      yield* reverseFromEveryK(n, k, tier, at);
    },
  };
}

function* reverseFromEveryK(n: number, k: number, tier: Tier, at: number): Actions {
  for (let step = n; step >= 1; step--) {
    const base = Math.floor((step - 1) / k) * k;
    if (at !== step - 1) {
      if (at !== base) yield { type: 'restore', step: base, tier };
      if (step - 1 > base) yield { type: 'advance', from: base, to: step - 1 };
    }
    yield { type: 'reverse', step };
    at = step - 1;
    if (at === base) yield { type: 'drop', step: base, tier };
  }
  yield { type: 'end' };
}

/**
 * Recursive bisection with `s` snapshot slots (the initial state included); the slot
 * taken at recursion depth d goes to tierOf(d), so two-level storage gets exercised.
 */
export function bisection(n: number, s: number, tierOf: (depth: number) => Tier = () => 'ram'): Schedule {
  const limits = { ram: 0, disk: 0 };
  for (let d = 0; d < s; d++) limits[tierOf(d)]++;
  return {
    name: `bisection(${s})`,
    steps: n,
    limits,
    *actions() {
      if (n === 0) {
        yield { type: 'end' };
        return;
      }
      const pos = { at: 0 };
      yield { type: 'save', step: 0, tier: tierOf(0) };
      yield* reverseRange(0, n, 1, pos, s, tierOf);
      yield { type: 'drop', step: 0, tier: tierOf(0) };
      yield { type: 'end' };
    },
  };
}

/** Reverses steps b..a+1, given x_a stored at depth-1's tier; `free` slots remain. */
function* reverseRange(a: number, b: number, depth: number, pos: { at: number }, s: number, tierOf: (d: number) => Tier): Actions {
  const tierA = tierOf(depth - 1);
  if (depth >= s || b - a === 1) {
    for (let step = b; step > a; step--) {
      if (pos.at !== step - 1) {
        if (pos.at !== a) yield { type: 'restore', step: a, tier: tierA };
        if (step - 1 > a) yield { type: 'advance', from: a, to: step - 1 };
      }
      yield { type: 'reverse', step };
      pos.at = step - 1;
    }
    return;
  }
  const m = a + Math.floor((b - a) / 2);
  if (pos.at !== a) yield { type: 'restore', step: a, tier: tierA };
  yield { type: 'advance', from: a, to: m };
  yield { type: 'save', step: m, tier: tierOf(depth) };
  pos.at = m;
  yield* reverseRange(m, b, depth + 1, pos, s, tierOf);
  yield { type: 'drop', step: m, tier: tierOf(depth) };
  yield* reverseRange(a, m, depth, pos, s, tierOf);
}

/** Online: keeps every k-th state while the loop runs, then reverses as everyK does. */
export function onlineEveryK(k: number, tier: Tier = 'ram'): Schedule {
  return {
    name: `online-every-${k}(${tier})`,
    steps: undefined,
    limits: { ram: tier === 'ram' ? Infinity : 0, disk: tier === 'disk' ? Infinity : 0 },
    *actions(continues?: boolean) {
      let n = 0;
      for (let more = continues; more; n++) {
        if (n % k === 0) yield { type: 'save', step: n, tier };
        more = yield { type: 'advance', from: n, to: n + 1 };
      }
      yield* reverseFromEveryK(n, k, tier, n);
    },
  };
}

/** Wraps a schedule to run `hook` just before each of its actions is handed to the driver. */
export function beforeEach(schedule: Schedule, hook: (action: Action) => void): Schedule {
  return {
    ...schedule,
    *actions(continues?: boolean) {
      const inner = schedule.actions(continues);
      let answer: boolean | undefined;
      for (;;) {
        const next = inner.next(answer);
        if (next.done) return;
        hook(next.value);
        answer = yield next.value;
      }
    },
  };
}
