/**
 * Asynchronous hooks: forwardAsync()/backwardAsync() run the same executor as
 * forward()/backward() (checkpoint/sweep.ts), so the same loop with every hook
 * answering through a Promise must give the same bits, counters and verbose lines,
 * and the synchronous methods must refuse such hooks, freeing everything.
 */
import test from 'ava';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import type { AsyncStepHooks, StepHooks, SweepOptions } from '@adjoint/runtime/checkpoint/types';
import { openTempDirs } from '@adjoint/runtime/checkpoint/storage/cleanup';
import type { Schedule } from '@adjoint/runtime/schedules/actions';
import { makeSchedule } from '@adjoint/runtime/schedules/index';
import { randomVector, sameBits, vectorProblem } from './helpers/problem';

const n = 23;
const m = 4;
const x0 = randomVector(m, 1, -0.8, 0.8);
const w = randomVector(m, 2, 0.9, 1.05);
const c = randomVector(m, 3, -1, 1);

const parent = mkdtempSync(join(tmpdir(), 'adjoint-sweep-async-test-'));
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

/** Answers on a later turn of the event loop, as a device would. */
function later<T>(value: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(value());
      } catch (e) {
        reject(e);
      }
    }),
  );
}

/** The same hooks with every answer (step, stepVjp, its pullback, cond) a Promise. */
function asynchronous(hooks: StepHooks<Float64Array>): AsyncStepHooks<Float64Array> {
  return {
    step: (x, i) => later(() => hooks.step(x, i)),
    stepVjp: (x, i) =>
      later(() => {
        const [y, pullback] = hooks.stepVjp(x, i);
        return [y, (g: Float64Array) => Promise.resolve().then(() => pullback(g))] as const;
      }),
    cond: hooks.cond && ((x, i) => later(() => hooks.cond!(x, i))),
  };
}

const online = (i: number) => i < n;
const cases: [string, () => Schedule, boolean][] = [
  ['revolve', () => makeSchedule('revolve', n, { snapshots: 3 }), false],
  ['multistage with disk', () => makeSchedule('multistage', n, { ram: 1, disk: 3 }), false],
  ['online', () => makeSchedule('online', undefined, { snapshots: 3 }), true],
];

for (const [name, schedule, isOnline] of cases) {
  test.serial(`${name}: async hooks give the synchronous sweep's bits, counters, verbose lines and progress`, async (t) => {
    const run = async (wrap: boolean) => {
      const problem = vectorProblem(w.slice());
      const base: StepHooks<Float64Array> = isOnline ? { ...problem.hooks, cond: (_x, i) => online(i) } : problem.hooks;
      const lines: string[] = [];
      const progress: string[] = [];
      const options: SweepOptions = { dir: parent, verbose: (l) => lines.push(l), onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`), determinismCheck: true };
      if (!wrap) {
        const sweep = createSweep(base, x0.slice(), schedule(), options);
        const xn = sweep.forward();
        return { xn, adj: sweep.backward(c.slice()), dw: problem.dw, calls: problem.calls, counters: sweep.counters, steps: sweep.steps, lines, progress };
      }
      const sweep = createSweep(asynchronous(base), x0.slice(), schedule(), options);
      const xn = await sweep.forwardAsync();
      return { xn, adj: await sweep.backwardAsync(c.slice()), dw: problem.dw, calls: problem.calls, counters: sweep.counters, steps: sweep.steps, lines, progress };
    };
    const sync = await run(false);
    const async = await run(true);
    t.true(sameBits(async.xn, sync.xn));
    t.true(sameBits(async.adj, sync.adj));
    t.true(sameBits(async.dw, sync.dw));
    t.deepEqual(async.calls, sync.calls);
    t.deepEqual(async.counters, sync.counters);
    t.is(async.steps, n);
    t.deepEqual(async.lines, sync.lines);
    t.deepEqual(async.progress, sync.progress);
    if (name.includes('disk')) t.true(sync.counters.peakDiskStates > 0, 'the schedule did use disk');
    t.deepEqual(readdirSync(parent), []);
  });
}

test.serial('an asynchronous step that rejects: the error propagates, disk snapshots are removed, the sweep is failed', async (t) => {
  const problem = vectorProblem(w.slice());
  const hooks = asynchronous(problem.hooks);
  const step = hooks.step;
  hooks.step = (x, i) => (i === 15 ? later(() => { throw new Error('device lost at step 15'); }) : step(x, i));
  const sweep = createSweep(hooks, x0.slice(), makeSchedule('multistage', n, { ram: 1, disk: 3 }), { dir: parent });
  await t.throwsAsync(sweep.forwardAsync(), { message: 'device lost at step 15' });
  t.deepEqual(readdirSync(parent), []);
  t.deepEqual(openTempDirs(), []);
  await t.throwsAsync(sweep.backwardAsync(c.slice()), { message: 'Sweep.backwardAsync(): cannot run now: the sweep failed earlier' });
});

test.serial('an asynchronous pullback that rejects during backwardAsync(): disk snapshots are removed', async (t) => {
  const problem = vectorProblem(w.slice());
  const hooks = asynchronous(problem.hooks);
  const stepVjp = hooks.stepVjp;
  hooks.stepVjp = async (x, i) => {
    const [y, pullback] = await stepVjp(x, i);
    return [y, (g: Float64Array) => (i === 4 ? Promise.reject(new Error('pullback 4 failed')) : pullback(g))] as const;
  };
  const sweep = createSweep(hooks, x0.slice(), makeSchedule('multistage', n, { ram: 1, disk: 3 }), { dir: parent });
  await sweep.forwardAsync();
  await t.throwsAsync(sweep.backwardAsync(c.slice()), { message: 'pullback 4 failed' });
  t.deepEqual(readdirSync(parent), []);
  t.deepEqual(openTempDirs(), []);
});

test.serial('forward() refuses a hook that answers with a Promise, names forwardAsync(), and leaves nothing behind', (t) => {
  const problem = vectorProblem(w.slice());
  const sweep = createSweep(asynchronous(problem.hooks), x0.slice(), makeSchedule('multistage', n, { ram: 1, disk: 3 }), { dir: parent });
  t.throws(() => sweep.forward(), { message: 'Sweep.forward(): a hook answered asynchronously (with a Promise); use forwardAsync() instead' });
  t.deepEqual(readdirSync(parent), []);
  t.deepEqual(openTempDirs(), []);
  t.throws(() => sweep.backward(c.slice()), { message: 'Sweep.backward(): cannot run now: the sweep failed earlier' });
});

test.serial('backward() refuses an asynchronous pullback after a synchronous forward(), names backwardAsync(), and removes disk snapshots', (t) => {
  const problem = vectorProblem(w.slice());
  const hooks: AsyncStepHooks<Float64Array> = {
    step: problem.hooks.step,
    stepVjp: (x, i) => {
      const [y, pullback] = problem.hooks.stepVjp(x, i);
      return [y, (g: Float64Array) => Promise.resolve(pullback(g))] as const;
    },
  };
  const sweep = createSweep(hooks, x0.slice(), makeSchedule('multistage', n, { ram: 1, disk: 3 }), { dir: parent });
  sweep.forward();
  t.true(sweep.counters.peakDiskStates > 0);
  t.throws(() => sweep.backward(c.slice()), { message: 'Sweep.backward(): a hook answered asynchronously (with a Promise); use backwardAsync() instead' });
  t.deepEqual(readdirSync(parent), []);
  t.deepEqual(openTempDirs(), []);
});

test.serial('an asynchronous loop condition with a synchronous forward() is refused before any step runs', (t) => {
  const problem = vectorProblem(w.slice());
  const sweep = createSweep({ ...problem.hooks, cond: (_x, i) => Promise.resolve(online(i)) }, x0.slice(), makeSchedule('online', undefined, { snapshots: 3 }), { dir: parent });
  t.throws(() => sweep.forward(), { message: /^Sweep\.forward\(\): a hook answered asynchronously .*use forwardAsync\(\) instead$/ });
  t.is(sweep.counters.stepCalls, 0);
  t.deepEqual(problem.calls, { step: 0, stepVjp: 0, pullback: 0 });
});
