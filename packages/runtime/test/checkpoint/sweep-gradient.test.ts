import test from 'ava';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import type { StepHooks } from '@adjoint/runtime/checkpoint/types';
import type { Schedule } from '@adjoint/runtime/schedules/actions';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { makeSchedule } from '@adjoint/runtime/schedules/index';
import { bisection, everyK, onlineEveryK, storeAll } from './helpers/schedules';
import { dot, randomVector, runVectorLoop, sameBits, vectorProblem } from './helpers/problem';

const n = 23;
const m = 4;
const x0 = randomVector(m, 1, -0.8, 0.8);
const w = randomVector(m, 2, 0.9, 1.05);
const c = randomVector(m, 3, -1, 1);
const J = (x: Float64Array, ww: Float64Array): number => dot(c, runVectorLoop(x, ww, n));

const parent = mkdtempSync(join(tmpdir(), 'adjoint-sweep-test-'));
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

function reverse(schedule: Schedule) {
  const problem = vectorProblem(w.slice());
  const sweep = createSweep(problem.hooks, x0.slice(), schedule, { dir: parent });
  const xn = sweep.forward();
  const adjX0 = sweep.backward(c.slice());
  return { xn, adjX0, dw: problem.dw, calls: problem.calls, counters: sweep.counters, steps: sweep.steps };
}

const reference = reverse(storeAll(n));

const schedules: Schedule[] = [
  storeAll(n, 'disk'),
  everyK(n, 1),
  everyK(n, 4),
  everyK(n, 5, 'disk'),
  bisection(n, 1),
  bisection(n, 2),
  bisection(n, 3),
  bisection(n, 5),
  bisection(n, 4, (d) => (d % 2 === 1 ? 'disk' : 'ram')),
  bisection(n, 6, (d) => (d >= 2 ? 'disk' : 'ram')),
  // The schedules module's own schedules:
  makeSchedule('store-all', n),
  makeSchedule('revolve', n, { snapshots: 2 }),
  makeSchedule('revolve', n, { snapshots: 3 }),
  makeSchedule('revolve', n, { snapshots: 5 }),
  makeSchedule('revolve', n),
  makeSchedule('uniform', n, { snapshots: 3 }),
  makeSchedule('uniform', n),
  makeSchedule('multistage', n, { ram: 2, disk: 2 }),
  makeSchedule('multistage', n, { ram: 1, disk: 4 }),
];

test('store-all reverse matches central finite differences of the whole loop (x0 and w)', (t) => {
  const h = 1e-6;
  for (let j = 0; j < m; j++) {
    const xp = x0.slice();
    const xm = x0.slice();
    xp[j] += h;
    xm[j] -= h;
    const fd = (J(xp, w) - J(xm, w)) / (2 * h);
    t.true(Math.abs(fd - reference.adjX0[j]) <= 1e-7 * Math.abs(reference.adjX0[j]), `dJ/dx0[${j}]: fd ${fd} vs adjoint ${reference.adjX0[j]}`);
    const wp = w.slice();
    const wm = w.slice();
    wp[j] += h;
    wm[j] -= h;
    const fdw = (J(x0, wp) - J(x0, wm)) / (2 * h);
    t.true(Math.abs(fdw - reference.dw[j]) <= 1e-7 * Math.abs(reference.dw[j]), `dJ/dw[${j}]: fd ${fdw} vs adjoint ${reference.dw[j]}`);
  }
  t.true(sameBits(reference.xn, runVectorLoop(x0, w, n)));
});

test('store-all counters are exact: n - 1 advances, n taped steps, n states of 8m bytes held at the peak', (t) => {
  t.deepEqual(reference.counters, { stepCalls: 2 * n - 1, advances: n - 1, reverses: n, peakRamStates: n, peakDiskStates: 0, peakSnapshotBytes: n * m * 8 });
  t.deepEqual(reference.calls, { step: n - 1, stepVjp: n, pullback: n });
});

for (const [i, schedule] of schedules.entries()) {
  test(`#${i} ${schedule.name} (limits: ram ${schedule.limits.ram}, disk ${schedule.limits.disk}): adjoint bit-identical to store-all, counters consistent with the calls made`, (t) => {
    const r = reverse(schedule);
    t.true(sameBits(r.xn, reference.xn), 'x_n');
    t.true(sameBits(r.adjX0, reference.adjX0), 'adjoint of x0');
    t.true(sameBits(r.dw, reference.dw), 'dw');
    t.is(r.counters.reverses, n);
    t.is(r.counters.stepCalls, n + r.counters.advances);
    t.is(r.counters.advances, r.calls.step);
    t.is(r.counters.reverses, r.calls.stepVjp);
    t.is(r.calls.pullback, n);
    t.true(r.counters.peakRamStates <= schedule.limits.ram);
    t.true(r.counters.peakDiskStates <= schedule.limits.disk);
    t.is(ledger.current('snapshotsRam'), 0);
    t.is(ledger.current('snapshotsDisk'), 0);
    t.deepEqual(readdirSync(parent), [], 'no snapshot directory left behind');
  });
}

test('revolve through the sweep makes exactly the optimal number of advances t(n, s) (Griewank & Walther)', (t) => {
  for (const [steps, s, advances] of [
    [10, 3, 15],
    [100, 10, 222],
    [1000, 31, 2439],
  ]) {
    const problem = vectorProblem(new Float64Array([0.95]));
    const sweep = createSweep(problem.hooks, new Float64Array([0.3]), makeSchedule('revolve', steps, { snapshots: s }));
    sweep.backward(sweep.forward());
    t.deepEqual([sweep.counters.advances, sweep.counters.reverses, sweep.counters.stepCalls], [advances, steps, steps + advances], `n=${steps} s=${s}`);
    t.true(sweep.counters.peakRamStates <= s);
  }
});

test('one snapshot (x0 only) recomputes n(n-1)/2 steps, the binomial t(n, 1)', (t) => {
  const r = reverse(bisection(n, 1));
  t.is(r.counters.advances, (n * (n - 1)) / 2);
  t.is(r.counters.peakRamStates, 1);
});

test('disk store-all holds n files of the serialized size at its peak', (t) => {
  const r = reverse(storeAll(n, 'disk'));
  const fileBytes = 16 + JSON.stringify({ kind: 'Float64Array', length: m }).length + 8 * m;
  t.is(r.counters.peakDiskStates, n);
  t.is(r.counters.peakSnapshotBytes, n * fileBytes);
});

const onlineSchedules: [string, () => Schedule][] = [];
for (const k of [1, 3, 4]) for (const tier of ['ram', 'disk'] as const) onlineSchedules.push([`online every-${k} (${tier})`, () => onlineEveryK(k, tier)]);
for (const s of [2, 3, 6, 30]) onlineSchedules.push([`online (schedules module, ${s} snapshots)`, () => makeSchedule('online', undefined, { snapshots: s })]);

for (const [name, makeOnline] of onlineSchedules) {
  test(`${name} finds n from the loop condition and matches store-all bit for bit`, (t) => {
    const problem = vectorProblem(w.slice());
    let condCalls = 0;
    const hooks: StepHooks<Float64Array> = {
      ...problem.hooks,
      cond: (_x, i) => {
        condCalls++;
        return i < n;
      },
    };
    const sweep = createSweep(hooks, x0.slice(), makeOnline(), { dir: parent });
    t.is(sweep.steps, undefined);
    const xn = sweep.forward();
    t.is(sweep.steps, n);
    t.is(condCalls, n + 1);
    t.true(sameBits(xn, reference.xn));
    const adj = sweep.backward(c.slice());
    t.is(condCalls, n + 1, 'the reverse sweep never asks the condition');
    t.true(sameBits(adj, reference.adjX0));
    t.true(sameBits(problem.dw, reference.dw));
    t.is(sweep.counters.reverses, n);
    t.is(sweep.counters.stepCalls, n + sweep.counters.advances);
    t.deepEqual(readdirSync(parent), []);
  });
}

test('a scalar loop reverses correctly under several schedules', (t) => {
  const ws = 0.83;
  const stepScalar = (x: number) => Math.sin(x) * ws + 0.1 * x * x;
  let dw = 0;
  const hooks: StepHooks<number> = {
    step: stepScalar,
    stepVjp: (x) => [stepScalar(x), (g) => ((dw += g * Math.sin(x)), g * (Math.cos(x) * ws + 0.2 * x))],
  };
  const run = (s: Schedule) => {
    dw = 0;
    const sweep = createSweep(hooks, 0.4, s, { dir: parent });
    sweep.forward();
    return { adj: sweep.backward(1), dw, counters: sweep.counters };
  };
  const ref = run(storeAll(n));
  const loop = (x: number, wv: number) => {
    for (let i = 0; i < n; i++) x = Math.sin(x) * wv + 0.1 * x * x;
    return x;
  };
  const h = 1e-6;
  const fd = (loop(0.4 + h, ws) - loop(0.4 - h, ws)) / (2 * h);
  const fdw = (loop(0.4, ws + h) - loop(0.4, ws - h)) / (2 * h);
  t.true(Math.abs(fd - ref.adj) <= 1e-7 * Math.abs(ref.adj), `${fd} vs ${ref.adj}`);
  t.true(Math.abs(fdw - ref.dw) <= 1e-7 * Math.abs(ref.dw), `${fdw} vs ${ref.dw}`);
  for (const s of [bisection(n, 3), everyK(n, 6, 'disk'), bisection(n, 4, (d) => (d % 2 ? 'disk' : 'ram'))]) {
    const r = run(s);
    t.true(Object.is(r.adj, ref.adj) && Object.is(r.dw, ref.dw), s.name);
    t.is(r.counters.stepCalls, n + r.counters.advances);
  }
});

test('a tree-shaped state (object with typed arrays and a number) survives RAM and disk snapshots bit-exactly', (t) => {
  type S = { h: Float64Array; p: [Float32Array]; t: number };
  const dt = 0.05;
  const step = (s: S): S => {
    const h = new Float64Array(s.h.length);
    for (let j = 0; j < h.length; j++) h[j] = s.h[j] + dt * Math.sin(s.h[j] + s.t) * s.p[0][j];
    return { h, p: [s.p[0]], t: s.t + dt };
  };
  const hooks: StepHooks<S> = {
    step,
    stepVjp: (s) => [
      step(s),
      (g) => {
        const gh = new Float64Array(g.h.length);
        const gp = new Float32Array(g.p[0].length);
        let gt = g.t;
        for (let j = 0; j < gh.length; j++) {
          const cs = Math.cos(s.h[j] + s.t) * s.p[0][j];
          gh[j] = g.h[j] * (1 + dt * cs);
          gt += g.h[j] * dt * cs;
          gp[j] = g.p[0][j] + g.h[j] * dt * Math.sin(s.h[j] + s.t);
        }
        return { h: gh, p: [gp], t: gt };
      },
    ],
  };
  const init: S = { h: randomVector(5, 9, -2, 2), p: [new Float32Array([0.5, -1.25, 2, 0.75, -0.125])], t: 0 };
  const adjOut: S = { h: randomVector(5, 10, -1, 1), p: [new Float32Array(5)], t: 0 };
  const run = (s: Schedule) => {
    const sweep = createSweep(hooks, init, s, { dir: parent });
    sweep.forward();
    return sweep.backward(adjOut);
  };
  const ref = run(storeAll(17));
  for (const s of [storeAll(17, 'disk'), bisection(17, 3, (d) => (d === 1 ? 'disk' : 'ram')), everyK(17, 4, 'disk')]) {
    const r = run(s);
    t.true(sameBits(r.h, ref.h) && sameBits(r.p[0], ref.p[0]) && Object.is(r.t, ref.t), s.name);
  }
  const h = 1e-6;
  for (let j = 0; j < 5; j++) {
    const J = (d: number) => {
      let s: S = { ...init, h: init.h.slice() };
      s.h[j] += d;
      for (let i = 0; i < 17; i++) s = step(s);
      return dot(s.h, adjOut.h);
    };
    const fd = (J(h) - J(-h)) / (2 * h);
    t.true(Math.abs(fd - ref.h[j]) <= 1e-7 * Math.abs(ref.h[j]), `${fd} vs ${ref.h[j]}`);
  }
});

test('an empty loop (n = 0) returns x0 and passes the adjoint through', (t) => {
  const problem = vectorProblem(w);
  for (const s of [bisection(0, 2), storeAll(0), everyK(0, 3)]) {
    const sweep = createSweep(problem.hooks, x0, s);
    t.is(sweep.forward(), x0);
    const adj = c.slice();
    t.is(sweep.backward(adj), adj);
    t.deepEqual(sweep.counters, { stepCalls: 0, advances: 0, reverses: 0, peakRamStates: 0, peakDiskStates: 0, peakSnapshotBytes: 0 });
  }
  const online = createSweep({ ...problem.hooks, cond: () => false }, x0, onlineEveryK(2));
  t.is(online.forward(), x0);
  t.is(online.steps, 0);
  t.is(online.backward(c), c);
});
