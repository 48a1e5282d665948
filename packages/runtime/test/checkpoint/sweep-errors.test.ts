import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import { ScheduleError, SnapshotError } from '@adjoint/runtime/checkpoint/errors';
import { TEMP_DIR_PREFIX } from '@adjoint/runtime/checkpoint/storage/disk';
import { openTempDirs } from '@adjoint/runtime/checkpoint/storage/cleanup';
import type { StepHooks } from '@adjoint/runtime/checkpoint/types';
import type { Action, Schedule } from '@adjoint/runtime/schedules/actions';
import { StructureError } from '@adjoint/runtime/tree/structure';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { beforeEach, bisection, everyK, fromActions, storeAll } from './helpers/schedules';
import { randomVector, vectorProblem } from './helpers/problem';

const parent = mkdtempSync(join(tmpdir(), 'adjoint-errors-test-'));
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

const n = 12;
const x0 = randomVector(3, 4, -1, 1);
const w = randomVector(3, 5, 0.9, 1.05);

/** The snapshot file of `step` in the one private directory under `parent`. */
function snapshotFile(step: number): string {
  const [dir] = readdirSync(parent);
  return join(parent, dir, `step-${step}.snap`);
}

function assertNothingLeft(t: import('ava').ExecutionContext): void {
  t.deepEqual(readdirSync(parent), [], 'the private snapshot directory is removed');
  t.is(ledger.current('snapshotsRam'), 0);
  t.is(ledger.current('snapshotsDisk'), 0);
}

/** Runs forward and backward; returns the error thrown. */
function failingRun(t: import('ava').ExecutionContext, schedule: Schedule, hooks: StepHooks<Float64Array> = vectorProblem(w).hooks): Error {
  const sweep = createSweep(hooks, x0, schedule, { dir: parent });
  const error = t.throws(() => sweep.backward(sweep.forward() && x0))!;
  t.throws(() => sweep.backward(x0), { message: /cannot run now/ }, 'a failed sweep cannot be resumed');
  return error;
}

test.serial('a byte flipped on disk between save and restore: SnapshotError naming step and file, nothing left behind', (t) => {
  let victim = '';
  const schedule = beforeEach(everyK(n, 4, 'disk'), (a) => {
    if (a.type === 'restore' && a.step === 4 && !victim) {
      victim = snapshotFile(4);
      const bytes = readFileSync(victim);
      bytes[bytes.length - 5] ^= 0x01;
      writeFileSync(victim, bytes);
    }
  });
  const e = failingRun(t, schedule) as SnapshotError;
  t.true(e instanceof SnapshotError);
  t.is(e.step, 4);
  t.is(e.file, victim);
  t.regex(e.message, /snapshot of step 4 is corrupted: checksum mismatch/);
  assertNothingLeft(t);
});

test.serial('a snapshot file deleted before its restore: SnapshotError naming step and file, nothing left behind', (t) => {
  let victim = '';
  const schedule = beforeEach(bisection(n, 3, (d) => (d === 0 ? 'ram' : 'disk')), (a) => {
    if (a.type === 'restore' && a.tier === 'disk' && !victim) {
      victim = snapshotFile(a.step);
      unlinkSync(victim);
    }
  });
  const e = failingRun(t, schedule) as SnapshotError;
  t.true(e instanceof SnapshotError);
  t.is(e.file, victim);
  t.true(victim.endsWith(`step-${e.step}.snap`));
  t.regex(e.message, /is missing/);
  assertNothingLeft(t);
});

test.serial('a step that throws (during the forward sweep or a recomputation) propagates its error and frees all storage', (t) => {
  for (const throwAt of [5, 2]) {
    const problem = vectorProblem(w);
    let calls = 0;
    const boom = new Error(`boom at ${throwAt}`);
    const hooks: StepHooks<Float64Array> = {
      ...problem.hooks,
      // The forward sweep calls index 2 once; the second call at index 2 is a recomputation in the reverse sweep.
      step: (x, i) => {
        if (i === throwAt && ++calls === (throwAt === 2 ? 2 : 1)) throw boom;
        return problem.hooks.step(x, i);
      },
    };
    const e = failingRun(t, everyK(n, 4, 'disk'), hooks);
    t.is(e, boom);
    assertNothingLeft(t);
  }
});

test.serial('an unwritable snapshot directory: SnapshotError naming step and file, RAM snapshots freed', (t) => {
  const notADir = join(parent, 'plain-file');
  writeFileSync(notADir, '');
  try {
    // x_0 goes to RAM; the first disk save (x_6) cannot create its private directory.
    const sweep = createSweep(vectorProblem(w).hooks, x0, bisection(n, 3, (d) => (d === 0 ? 'ram' : 'disk')), { dir: notADir });
    const e = t.throws(() => sweep.forward(), { instanceOf: SnapshotError, message: /^snapshot of step 6 could not be written: / });
    t.is(e!.step, 6);
    t.true(e!.file.startsWith(join(notADir, TEMP_DIR_PREFIX)) && e!.file.endsWith('step-6.snap'), e!.file);
    t.true(e!.message.includes(`(file ${e!.file})`));
    t.is(ledger.current('snapshotsRam'), 0);
    t.deepEqual(openTempDirs(), []);
  } finally {
    rmSync(notADir);
  }
  assertNothingLeft(t);
});

test.serial('dispose() after forward releases RAM and disk snapshots', (t) => {
  const sweep = createSweep(vectorProblem(w).hooks, x0, bisection(n, 4, (d) => (d % 2 ? 'disk' : 'ram')), { dir: parent });
  sweep.forward();
  t.true(ledger.current('snapshotsRam') > 0);
  t.true(ledger.current('snapshotsDisk') > 0);
  t.is(readdirSync(parent).length, 1);
  sweep.dispose();
  sweep.dispose();
  assertNothingLeft(t);
  t.throws(() => sweep.backward(x0), { message: /Sweep\.backward\(\): cannot run now: the sweep was disposed/ });
});

const S = (type: 'save' | 'restore' | 'drop', step: number, tier: 'ram' | 'disk' = 'ram'): Action => ({ type, step, tier });
const A = (from: number, to: number): Action => ({ type: 'advance', from, to });
const R = (step: number): Action => ({ type: 'reverse', step });
const END: Action = { type: 'end' };
const limits = { ram: 3, disk: 1 };

const badSchedules: [string, Action[], RegExp][] = [
  ['restore of a missing snapshot', [S('save', 0), A(0, 2), R(3), S('restore', 1), R(2)], /at restore\(1, ram\): step 1 is not stored in ram \(stored there: 0\)/],
  ['restore from the wrong tier', [S('save', 0, 'disk'), A(0, 2), R(3), S('restore', 0)], /at restore\(0, ram\): step 0 is not stored in ram \(stored there: none\)/],
  ['reverse from the wrong state', [S('save', 0), A(0, 1), R(3)], /at reverse\(3\): it needs x_2 but the current state is x_1/],
  ['reverses out of order', [S('save', 0), A(0, 2), R(3), S('restore', 0), R(1)], /at reverse\(1\): the next step to reverse is 2/],
  ['first reverse not of the last step', [S('save', 0), A(0, 1), R(2)], /at reverse\(2\): the first reverse must be of the last step \(3\)/],
  ['save of a state that is not current', [S('save', 0), A(0, 1), S('save', 0)], /at save\(0, ram\): the current state is x_1, not x_0/],
  ['save twice', [S('save', 0), S('save', 0)], /step 0 is already stored in ram/],
  ['advance from the wrong state', [A(1, 2)], /at advance\(1 -> 2\): the current state is x_0, not x_1/],
  ['advance past the end', [A(0, 4)], /at advance\(0 -> 4\): an advance must go forward and stay within the loop's 3 steps/],
  ['more states than its limit', [S('save', 0, 'disk'), A(0, 1), S('save', 1, 'disk')], /at save\(1, disk\): it would hold more than its disk limit of 1 states/],
  ['end with states still stored', [S('save', 0), A(0, 2), R(3), S('restore', 0), A(0, 1), R(2), S('restore', 0), R(1), END], /at end: states are still stored: ram \{0\}/],
  ['end before all reverses', [S('save', 0), A(0, 2), R(3), END], /at end: steps 2\.\.1 were never reversed/],
  ['stop without end', [S('save', 0), A(0, 2), R(3), S('drop', 0)], /the schedule stopped without an 'end' action/],
];

for (const [what, actions, message] of badSchedules) {
  test.serial(`schedule bug: ${what} is an internal ScheduleError naming the action; storage is freed`, (t) => {
    const sweep = createSweep(vectorProblem(w).hooks, x0, fromActions('hand', 3, limits, actions), { dir: parent });
    const e = t.throws(() => sweep.backward(sweep.forward()), { instanceOf: ScheduleError, message });
    t.regex(e!.message, /^internal error in schedule 'hand'/);
    assertNothingLeft(t);
  });
}

test.serial('online protocol: the condition is asked once per state reached and its answer handed on; advancing past x_n is a ScheduleError', (t) => {
  const asked: number[] = [];
  const told: (boolean | undefined)[] = [];
  const hooks = { ...vectorProblem(w).hooks, cond: (_x: Float64Array, i: number) => (asked.push(i), i < 2) };
  const probe: Schedule = {
    ...fromActions('probe', undefined, limits, []),
    *actions(continues) {
      told.push(continues);
      yield S('save', 0);
      told.push(yield A(0, 1));
      told.push(yield A(1, 2));
      // A schedule that did not take the answer: it advances from x_2 although the loop ended there.
      yield A(2, 3);
    },
  };
  const e = t.throws(() => createSweep(hooks, x0, probe, { dir: parent }).forward(), { instanceOf: ScheduleError });
  t.regex(e!.message, /at advance\(2 -> 3\): an advance must go forward and stay within the loop's 2 steps/);
  t.deepEqual(told, [true, true, false]);
  t.deepEqual(asked, [0, 1, 2]);
  assertNothingLeft(t);
  const twoSteps = fromActions('hand', undefined, limits, [S('save', 0), A(0, 2)]);
  t.throws(() => createSweep(hooks, x0, twoSteps).forward(), { instanceOf: ScheduleError, message: /at advance\(0 -> 2\): while the loop length is unknown, an advance must be exactly one step/ });
  assertNothingLeft(t);
});

test('a step returning undefined: error naming the loop index', (t) => {
  const problem = vectorProblem(w);
  const hooks: StepHooks<Float64Array> = { ...problem.hooks, step: (x, i) => (i === 4 ? (undefined as unknown as Float64Array) : problem.hooks.step(x, i)) };
  const sweep = createSweep(hooks, x0, storeAll(n));
  t.throws(() => sweep.forward(), { instanceOf: TypeError, message: 'the step at loop index 4 returned undefined; a step must return the next state' });
  t.is(ledger.current('snapshotsRam'), 0);
});

test('a step returning a state of another structure: error naming the path and both shapes', (t) => {
  type S = { h: Float64Array; t: number };
  const step = (s: S, i: number): S => ({ h: i === 3 ? new Float64Array(4) : s.h.slice(), t: s.t + 1 });
  const hooks: StepHooks<S> = { step, stepVjp: (s, i) => [step(s, i), (g) => g] };
  const sweep = createSweep(hooks, { h: new Float64Array(3), t: 0 }, storeAll(6));
  const e = t.throws(() => sweep.forward(), { instanceOf: StructureError });
  t.is(e!.message, 'the step at loop index 3 returned a state whose structure differs from the initial state: state.h: expected Float64Array(3), got Float64Array(4)');
  t.is(e!.path, 'state.h');
});

test('a taped step or pullback returning the wrong thing is reported with its loop index', (t) => {
  const problem = vectorProblem(w);
  const badPullback: StepHooks<Float64Array> = { ...problem.hooks, stepVjp: (x, i) => [problem.hooks.step(x, i), () => new Float64Array(2)] };
  const s1 = createSweep(badPullback, x0, storeAll(4));
  const y = s1.forward();
  t.throws(() => s1.backward(y), {
    instanceOf: StructureError,
    message: 'the pullback of the step at loop index 3 returned an adjoint whose structure differs from the state: adjoint: expected Float64Array(3), got Float64Array(2)',
  });
  const notPair: StepHooks<Float64Array> = { ...problem.hooks, stepVjp: (x) => x as never };
  t.throws(() => createSweep(notPair, x0, storeAll(4)).forward(), { message: 'the stepVjp at loop index 3 must return [next state, pullback]' });
  const s2 = createSweep(problem.hooks, x0, storeAll(4));
  s2.forward();
  t.throws(() => s2.backward(new Float64Array(5)), { message: /backward\(\): the adjoint of the final state must have the structure of the state: adjoint: expected Float64Array\(3\), got Float64Array\(5\)/ });
});

test('createSweep rejects bad hooks, an online schedule without cond, and a non-tree initial state', (t) => {
  const hooks = vectorProblem(w).hooks;
  t.throws(() => createSweep({ step: hooks.step } as never, x0, storeAll(2)), { message: 'createSweep: hooks.step and hooks.stepVjp must be functions' });
  t.throws(() => createSweep(hooks, x0, { ...storeAll(2), steps: undefined }), { message: /hooks\.cond \(the loop condition\) is required/ });
  t.throws(() => createSweep(hooks, x0, { ...storeAll(2), steps: 1.5 }), { message: /steps = 1\.5; it must be a non-negative integer or undefined/ });
  t.throws(() => createSweep(hooks as never, { a: [1, new Map()] } as never, storeAll(2)), { instanceOf: StructureError, message: /state\.a\[1\]: expected a value tree .* got Map/ });
  const sweep = createSweep(hooks, x0, storeAll(2));
  t.throws(() => sweep.backward(x0), { message: 'Sweep.backward(): cannot run now: forward() has not run yet' });
  sweep.forward();
  t.throws(() => sweep.forward(), { message: 'Sweep.forward(): cannot run now: forward() already ran' });
});
