import test from 'ava';
import { checkpointedLoop, checkpointedWhile, setLoopDifferentiator } from '@adjoint/runtime/checkpoint/loop';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import type { LoopDifferentiator, StepFn, StepVjp, Sweep, SweepOptions } from '@adjoint/runtime/checkpoint/types';
import type { Schedule } from '@adjoint/runtime/schedules/actions';
import type { Tree } from '@adjoint/runtime/tree/types';
import { StructureError } from '@adjoint/runtime/tree/structure';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { openTempDirs } from '@adjoint/runtime/checkpoint/storage/cleanup';
import { storeAll } from './helpers/schedules';
import { dot, randomVector, runVectorLoop, vectorProblem } from './helpers/problem';

const x0 = randomVector(4, 1, -0.8, 0.8);
const w = randomVector(4, 2, 0.9, 1.05);

test('outside differentiation checkpointedLoop is a plain loop: n step calls with the loop index, nothing stored', (t) => {
  const indices: number[] = [];
  const problem = vectorProblem(w);
  const ramPeakBefore = ledger.peak('snapshotsRam');
  const out = checkpointedLoop((x: Float64Array, i) => (indices.push(i), problem.hooks.step(x, i)), x0, 9, { schedule: 'multistage', disk: 1, ram: 1 });
  t.deepEqual(indices, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  t.deepEqual(out, runVectorLoop(x0, w, 9));
  t.is(ledger.peak('snapshotsRam'), ramPeakBefore);
  t.is(ledger.current('snapshotsDisk'), 0);
  t.deepEqual(openTempDirs(), []);
  t.is(checkpointedLoop(() => 1, 5, 0), 5, 'zero steps return the initial state');
});

test('checkpointedWhile outside differentiation: cond is asked at x_0..x_n, step n times', (t) => {
  const seen: string[] = [];
  const out = checkpointedWhile(
    (s: { t: number }, i) => (seen.push(`cond ${i}`), s.t < 1),
    (s, i) => (seen.push(`step ${i}`), { t: s.t + 0.25 }),
    { t: 0 },
  );
  t.deepEqual(out, { t: 1 });
  t.deepEqual(seen, ['cond 0', 'step 0', 'cond 1', 'step 1', 'cond 2', 'step 2', 'cond 3', 'step 3', 'cond 4']);
});

test('onProgress reports each plain step', (t) => {
  const events: string[] = [];
  checkpointedLoop((x: number) => x + 1, 0, 3, { onProgress: (p) => events.push(`${p.phase} ${p.done}/${p.total}`) });
  t.deepEqual(events, ['forward 1/3', 'forward 2/3', 'forward 3/3']);
});

test('every iteration is checked: a step returning undefined or another structure names the loop index and the path', (t) => {
  t.throws(() => checkpointedLoop((x: Float64Array, i) => (i === 2 ? (undefined as unknown as Float64Array) : x), x0, 5), {
    instanceOf: TypeError,
    message: 'the step at loop index 2 returned undefined; a step must return the next state',
  });
  const e = t.throws(
    () => checkpointedLoop((s: { h: Float64Array; k: number[] }, i) => (i === 3 ? { h: s.h, k: [1, 2, 3] } : s), { h: x0, k: [1, 2] }, 5),
    { instanceOf: StructureError },
  );
  t.is(e!.message, 'the step at loop index 3 returned a state whose structure differs from the initial state: state.k: expected [number, number], got [number, number, number]');
  t.throws(() => checkpointedWhile((_s, i) => i < 3, (s: number, i) => (i === 1 ? ([s] as unknown as number) : s + 1), 0), {
    message: 'the step at loop index 1 returned a state whose structure differs from the initial state: state: expected number, got [number]',
  });
});

test('bad arguments are rejected with what was wrong and what is allowed', (t) => {
  const step = (x: number) => x;
  const cases: [() => unknown, string][] = [
    [() => checkpointedLoop(step, 0, -1), 'checkpointedLoop: steps must be an integer from 0 to 67108864, got -1'],
    [() => checkpointedLoop(step, 0, 2.5), 'checkpointedLoop: steps must be an integer from 0 to 67108864, got 2.5'],
    [() => checkpointedLoop(step, 0, NaN), 'checkpointedLoop: steps must be an integer from 0 to 67108864, got NaN'],
    [() => checkpointedLoop(step, 0, '3' as never), 'checkpointedLoop: steps must be an integer from 0 to 67108864, got "3"'],
    [() => checkpointedLoop(step, 0, 4, { snapshots: 0 }), 'checkpointedLoop: options.snapshots must be an integer >= 1 (stored states, counting the initial one), got 0'],
    [() => checkpointedLoop(step, 0, 4, { snapshots: 1.5 }), 'checkpointedLoop: options.snapshots must be an integer >= 1 (stored states, counting the initial one), got 1.5'],
    [() => checkpointedLoop(step, 0, 4, { ram: 0, disk: 0 }), 'checkpointedLoop: options.ram + options.disk must be at least 1 (snapshot slots), got 0 + 0'],
    [() => checkpointedLoop(step, 0, 4, { ram: -2 }), 'checkpointedLoop: options.ram must be an integer >= 0 (snapshot slots in RAM), got -2'],
    [() => checkpointedWhile(() => false, step, 0, { disk: 0.5 }), 'checkpointedWhile: options.disk must be an integer >= 0 (snapshot slots on disk), got 0.5'],
    [() => checkpointedLoop(step, 0, 4, { schedule: 'revolve', disk: 2 }), "makeSchedule('revolve'): disk = 2, but only 'multistage' stores snapshots on disk; use schedule 'multistage' or disk = 0"],
    [() => checkpointedLoop(step, 0, 4, { schedule: 'binomial' as never }), 'checkpointedLoop: unknown options.schedule "binomial"; allowed: revolve, uniform, store-all, online, multistage, or a Schedule object'],
    [() => checkpointedLoop(step, 0, 4, { snapshot: 3 } as never), 'checkpointedLoop: unknown option \'snapshot\'; allowed: snapshots, schedule, ram, disk, dir, verbose, onProgress, determinismCheck'],
    [() => checkpointedLoop(step, 0, 4, { verbose: 'yes' } as never), 'checkpointedLoop: options.verbose must be a boolean or a function receiving lines, got string'],
    [() => checkpointedLoop(step, 0, 4, { schedule: storeAll(5) }), "checkpointedLoop: options.schedule 'store-all(ram)' is for 5 steps, but the loop has 4"],
    [() => checkpointedLoop('step' as never, 0, 4), 'checkpointedLoop: step must be a function, got string'],
    [() => checkpointedWhile(() => false, step, 0, { schedule: storeAll(5) }), "checkpointedWhile: options.schedule 'store-all(ram)' is for 5 steps; a while-loop needs an online schedule (steps undefined)"],
    [() => checkpointedWhile(undefined as never, step, 0), 'checkpointedWhile: cond must be a function, got undefined'],
  ];
  for (const [call, message] of cases) t.throws(call, { message });
  t.throws(() => checkpointedLoop(step, { a: 'text' } as never, 2), { instanceOf: StructureError, message: /state\.a: expected a value tree .*, got string/ });
});

/** A stand-in for the tape: it knows each step's VJP and runs the loop through createSweep. */
class TestDifferentiator implements LoopDifferentiator {
  readonly sweeps: Sweep<Tree>[] = [];
  readonly schedules: Schedule[] = [];
  readonly options: SweepOptions[] = [];
  constructor(private readonly vjps: Map<StepFn<never>, StepVjp<never>>) {}
  active(): boolean {
    return true;
  }
  run<S extends Tree>(hooks: { step: StepFn<S>; cond?: (state: S, index: number) => boolean }, init: S, schedule: Schedule, options: SweepOptions): S {
    this.schedules.push(schedule);
    this.options.push(options);
    const stepVjp = this.vjps.get(hooks.step as unknown as StepFn<never>) as unknown as StepVjp<S>;
    const sweep = createSweep({ step: hooks.step, stepVjp, cond: hooks.cond }, init, schedule, options);
    this.sweeps.push(sweep as unknown as Sweep<Tree>);
    return sweep.forward();
  }
}

test.serial('while differentiating, the loop goes to the registered differentiator with the schedule built from the options', (t) => {
  const problem = vectorProblem(w);
  const d = new TestDifferentiator(new Map([[problem.hooks.step as unknown as StepFn<never>, problem.hooks.stepVjp as unknown as StepVjp<never>]]));
  setLoopDifferentiator(d);
  try {
    const n = 15;
    const c = randomVector(4, 3, -1, 1);
    const lines: string[] = [];
    const xn = checkpointedLoop(problem.hooks.step, x0, n, { verbose: (l) => lines.push(l), snapshots: 3 });
    t.is(d.schedules[0].steps, n);
    t.is(typeof d.options[0].verbose, 'function');
    const adj = d.sweeps[0].backward(c) as Float64Array;
    t.deepEqual(xn, runVectorLoop(x0, w, n));
    t.is(lines[lines.length - 1], 'End of reverse sweep');
    const h = 1e-6;
    for (let j = 0; j < 4; j++) {
      const xp = x0.slice();
      const xm = x0.slice();
      xp[j] += h;
      xm[j] -= h;
      const fd = (dot(c, runVectorLoop(xp, w, n)) - dot(c, runVectorLoop(xm, w, n))) / (2 * h);
      t.true(Math.abs(fd - adj[j]) <= 1e-7 * Math.abs(adj[j]), `${fd} vs ${adj[j]}`);
    }
    const mine = storeAll(n);
    checkpointedLoop(problem.hooks.step, x0, n, { schedule: mine });
    t.is(d.schedules[1], mine, 'a Schedule object is used as given');
    d.sweeps[1].dispose();

    let condCalls = 0;
    const cond = (_x: Float64Array, i: number) => (condCalls++, i < 6);
    t.throws(() => checkpointedWhile(cond, problem.hooks.step, x0), { message: /makeSchedule\('online'\): snapshots is required/ });
    const x6 = checkpointedWhile(cond, problem.hooks.step, x0, { snapshots: 3 });
    t.is(d.schedules[2].name, 'online');
    t.is(d.schedules[2].steps, undefined);
    t.is(d.sweeps[2].steps, 6);
    t.is(condCalls, 7);
    t.deepEqual(x6, runVectorLoop(x0, w, 6));
    d.sweeps[2].backward(c);
  } finally {
    setLoopDifferentiator(undefined);
  }
  let calls = 0;
  checkpointedLoop((x: number) => (calls++, x), 0, 4);
  t.is(calls, 4, 'unregistered: plain again');
});

test.serial('an inactive differentiator leaves the loop plain', (t) => {
  const d = { active: () => false, run: () => t.fail('run must not be called') } as unknown as LoopDifferentiator;
  setLoopDifferentiator(d);
  try {
    t.is(checkpointedLoop((x: number) => x * 2, 1, 5), 32);
  } finally {
    setLoopDifferentiator(undefined);
  }
});

test('a scalar state keeps the type number, even with an unannotated step', (t) => {
  const doubled: number = checkpointedLoop((x) => x * 2, 1, 5);
  const counted: number = checkpointedWhile((x) => x < 10, (x) => x + 3, 0);
  t.is(doubled, 32);
  t.is(counted, 12);
});

test.serial('differentiating through checkpointedLoop under every named schedule gives one adjoint, matching finite differences', (t) => {
  const n = 21;
  const c = randomVector(4, 3, -1, 1);
  const runs: { name: string; adj: Float64Array; dw: Float64Array; counters: Sweep<Tree>['counters'] }[] = [];
  for (const options of [{}, { schedule: 'revolve', snapshots: 2 }, { schedule: 'uniform', snapshots: 4 }, { schedule: 'store-all' }, { schedule: 'multistage', ram: 2, disk: 2 }] as const) {
    const problem = vectorProblem(w.slice());
    const d = new TestDifferentiator(new Map([[problem.hooks.step as unknown as StepFn<never>, problem.hooks.stepVjp as unknown as StepVjp<never>]]));
    setLoopDifferentiator(d);
    try {
      checkpointedLoop(problem.hooks.step, x0, n, options);
    } finally {
      setLoopDifferentiator(undefined);
    }
    const adj = d.sweeps[0].backward(c) as Float64Array;
    runs.push({ name: d.schedules[0].name, adj, dw: problem.dw, counters: d.sweeps[0].counters });
  }
  t.deepEqual(runs.map((r) => r.name), ['revolve', 'revolve', 'uniform', 'store-all', 'multistage']);
  t.is(runs[4].counters.peakDiskStates > 0, true, 'multistage used the disk');
  for (const r of runs) {
    t.deepEqual([r.adj, r.dw], [runs[0].adj, runs[0].dw], r.name);
    t.is(r.counters.reverses, n);
  }
  const h = 1e-6;
  for (let j = 0; j < 4; j++) {
    const xp = x0.slice();
    const xm = x0.slice();
    xp[j] += h;
    xm[j] -= h;
    const fd = (dot(c, runVectorLoop(xp, w, n)) - dot(c, runVectorLoop(xm, w, n))) / (2 * h);
    t.true(Math.abs(fd - runs[0].adj[j]) <= 1e-7 * Math.abs(runs[0].adj[j]), `${fd} vs ${runs[0].adj[j]}`);
  }
  t.is(ledger.current('snapshotsDisk'), 0);
  t.deepEqual(openTempDirs(), []);
});
