import test from 'ava';
import type { Action, Schedule } from '@adjoint/runtime/schedules/actions';
import { replay, ReplayError } from '@adjoint/runtime/schedules/index';

function scripted(steps: number | undefined, actions: Action[], limits = { ram: 10, disk: 10 }): Schedule {
  return {
    name: 'scripted',
    steps,
    limits,
    *actions() {
      yield* actions;
    },
  };
}

const adv = (from: number, to: number): Action => ({ type: 'advance', from, to });
const save = (step: number, tier: 'ram' | 'disk' = 'ram'): Action => ({ type: 'save', step, tier });
const restore = (step: number, tier: 'ram' | 'disk' = 'ram'): Action => ({ type: 'restore', step, tier });
const drop = (step: number, tier: 'ram' | 'disk' = 'ram'): Action => ({ type: 'drop', step, tier });
const rev = (step: number): Action => ({ type: 'reverse', step });
const end: Action = { type: 'end' };

test('a valid three-step schedule is counted exactly', (t) => {
  const counts = replay(scripted(3, [save(0, 'disk'), adv(0, 1), save(1), adv(1, 2), rev(3), restore(1), rev(2), drop(1), restore(0, 'disk'), rev(1), drop(0, 'disk'), end]), {
    perStep: true,
  });
  t.like(counts, { advances: 2, reverses: 3, peakRam: 1, peakDisk: 1, actions: 12, saves: { ram: 1, disk: 1 }, restores: { ram: 1, disk: 1 } });
  t.deepEqual([...counts.stepAdvances!], [0, 1, 1, 0]);
});

test('every broken rule is reported with the action index and the rule', (t) => {
  const cases: [number | undefined, Action[], RegExp, { ram: number; disk: number }?][] = [
    [2, [adv(1, 2)], /action #0 advance\(1 -> 2\): the current state is x_0, not x_1/],
    [2, [adv(0, 3)], /#0 .*stay within the loop's 2 steps/],
    [2, [adv(0, 0)], /must go forward/],
    [2, [adv(0, 1), save(0)], /action #1 save\(0, ram\): the current state is x_1, not x_0/],
    [2, [save(0), save(0)], /#1 .*step 0 is already stored in ram/],
    [3, [save(0), adv(0, 1), save(1)], /#2 .*more than its ram limit of 1 states/, { ram: 1, disk: 0 }],
    [2, [restore(0)], /#0 restore\(0, ram\): step 0 is not stored in ram \(stored there: none\)/],
    [2, [save(0, 'disk'), restore(0)], /#1 .*not stored in ram/],
    [2, [drop(0)], /#0 drop\(0, ram\): step 0 is not stored/],
    [2, [rev(2)], /#0 reverse\(2\): it needs x_1 but the current state is x_0/],
    [2, [adv(0, 1), rev(1)], /#1 reverse\(1\): the next step to reverse is 2/],
    [1, [rev(1), rev(1)], /#1 .*every step was already reversed/],
    [2, [adv(0, 1), rev(2), end], /#2 end: steps 1..1 were never reversed/],
    [1, [save(0), rev(1), end], /#2 end: states are still stored: ram \{0\}/],
    [1, [rev(1)], /#1: the schedule stopped without an 'end' action/],
    [0, [end, end], /#1: an action follows 'end'/],
    [undefined, [adv(0, 2)], /while the loop length is unknown, an advance must be exactly one step/],
    [undefined, [adv(0, 1), rev(1)], /#1 reverse\(1\): a step is reversed before the loop has ended/],
    [undefined, [end], /the sweep ends before the loop has ended/],
  ];
  for (const [steps, actions, message, limits] of cases) {
    const error = t.throws(() => replay(scripted(steps, actions, limits), { steps: steps ?? 5 }), { instanceOf: ReplayError, message });
    t.regex(error!.message, /^schedule 'scripted': action #\d+/);
  }
});

test('online schedules are told at x_0, then with each advance, whether the loop continues', (t) => {
  const seen: (boolean | undefined)[] = [];
  const probe: Schedule = {
    name: 'probe',
    steps: undefined,
    limits: { ram: 1, disk: 0 },
    *actions(continues) {
      seen.push(continues);
      yield save(0);
      for (let m = 0, more = continues; more; m++) {
        more = yield adv(m, m + 1);
        seen.push(more);
      }
      // The loop has 2 steps and x_2 is current.
      yield restore(0);
      yield adv(0, 1);
      yield rev(2);
      yield restore(0);
      yield rev(1);
      yield drop(0);
      yield end;
    },
  };
  t.like(replay(probe, { steps: 2 }), { advances: 3, reverses: 2 });
  t.deepEqual(seen, [true, true, false]);
  // Told false at x_2, a schedule may not advance past it, nor stop early without ever being told false.
  const past = scripted(undefined, [save(0), adv(0, 1), adv(1, 2), adv(2, 3)]);
  t.throws(() => replay(past, { steps: 2 }), { message: /#3 advance\(2 -> 3\): an advance must go forward and stay within the loop's 2 steps/ });
  t.throws(() => replay(scripted(undefined, [adv(0, 1), rev(1)]), { steps: 0 }), { message: /#0 advance\(0 -> 1\): .*within the loop's 0 steps/ });
});

test('the loop length must be given for online schedules and agree for offline ones', (t) => {
  t.throws(() => replay(scripted(undefined, [end])), { message: /schedule 'scripted' is online; pass options.steps/ });
  t.throws(() => replay(scripted(3, [end]), { steps: 4 }), { message: /is for 3 steps, not options.steps = 4/ });
  t.throws(() => replay(scripted(undefined, [end]), { steps: -1 }), { message: /steps must be an integer from 0/ });
});
