import test from 'ava';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createSweep } from '@adjoint/runtime/checkpoint/sweep';
import type { Action } from '@adjoint/runtime/schedules/actions';
import { fromActions, onlineEveryK } from './helpers/schedules';
import { randomVector, vectorProblem } from './helpers/problem';

const parent = mkdtempSync(join(tmpdir(), 'adjoint-verbose-test-'));
test.after.always(() => rmSync(parent, { recursive: true, force: true }));

/** Four steps, x0 in RAM and one slot on disk. */
const actions: Action[] = [
  { type: 'save', step: 0, tier: 'ram' },
  { type: 'advance', from: 0, to: 2 },
  { type: 'save', step: 2, tier: 'disk' },
  { type: 'advance', from: 2, to: 3 },
  { type: 'reverse', step: 4 },
  { type: 'restore', step: 2, tier: 'disk' },
  { type: 'reverse', step: 3 },
  { type: 'drop', step: 2, tier: 'disk' },
  { type: 'restore', step: 0, tier: 'ram' },
  { type: 'advance', from: 0, to: 1 },
  { type: 'reverse', step: 2 },
  { type: 'restore', step: 0, tier: 'ram' },
  { type: 'reverse', step: 1 },
  { type: 'drop', step: 0, tier: 'ram' },
  { type: 'end' },
];
const schedule = fromActions('hand', 4, { ram: 1, disk: 1 }, actions);
const x0 = randomVector(3, 1, -1, 1);
const w = randomVector(3, 2, 0.9, 1.05);

const expectedLines = [
  'Checkpoint step 0 in memory',
  'Advance from step 0 to step 2',
  'Checkpoint step 2 on disk',
  'Advance from step 2 to step 3',
  'Reverse step 4',
  'Restore step 2 from disk',
  'Reverse step 3',
  'Delete checkpoint step 2',
  'Restore step 0 from memory',
  'Advance from step 0 to step 1',
  'Reverse step 2',
  'Restore step 0 from memory',
  'Reverse step 1',
  'Delete checkpoint step 0',
  'End of reverse sweep',
];

test('verbose prints the schedule as it runs, dolfin-adjoint style, to a given function', (t) => {
  const lines: string[] = [];
  const sweep = createSweep(vectorProblem(w).hooks, x0, schedule, { dir: parent, verbose: (line) => lines.push(line) });
  sweep.backward(sweep.forward());
  t.deepEqual(lines, expectedLines);
});

test.serial('verbose: true prints through console.log', (t) => {
  const lines: unknown[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    const sweep = createSweep(vectorProblem(w).hooks, x0, schedule, { dir: parent, verbose: true });
    sweep.backward(sweep.forward());
  } finally {
    console.log = original;
  }
  t.deepEqual(lines, expectedLines);
});

test('onProgress is called after every step evaluation with the phase, steps done and total', (t) => {
  const events: string[] = [];
  const sweep = createSweep(vectorProblem(w).hooks, x0, schedule, { dir: parent, onProgress: (p) => events.push(`${p.phase} ${p.done}/${p.total}`) });
  sweep.backward(sweep.forward());
  t.deepEqual(events, ['forward 1/4', 'forward 2/4', 'forward 3/4', 'forward 4/4', 'reverse 2/4', 'reverse 2/4', 'reverse 3/4', 'reverse 4/4']);
  t.is(events.length, sweep.counters.stepCalls);
});

test('online: verbose names the step where the loop condition failed; progress total is unknown until then', (t) => {
  const lines: string[] = [];
  const events: string[] = [];
  const hooks = { ...vectorProblem(w).hooks, cond: (_x: Float64Array, i: number) => i < 2 };
  const sweep = createSweep(hooks, x0, onlineEveryK(1), { verbose: (l) => lines.push(l), onProgress: (p) => events.push(`${p.phase} ${p.done}/${p.total}`) });
  sweep.backward(sweep.forward());
  t.deepEqual(lines, [
    'Checkpoint step 0 in memory',
    'Advance from step 0 to step 1',
    'Checkpoint step 1 in memory',
    'Advance from step 1 to step 2',
    'Loop condition false at step 2: the loop has 2 steps',
    'Restore step 1 from memory',
    'Reverse step 2',
    'Delete checkpoint step 1',
    'Restore step 0 from memory',
    'Reverse step 1',
    'Delete checkpoint step 0',
    'End of reverse sweep',
  ]);
  t.deepEqual(events, ['forward 1/undefined', 'forward 2/undefined', 'forward 2/2', 'reverse 2/2']);
});
