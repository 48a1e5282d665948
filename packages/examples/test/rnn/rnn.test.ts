/**
 * The RNN example: the checkpointed gradient equals the store-all one and the unrolled
 * tape's to 1e-12 and passes the Taylor test; the figures function reports exact step
 * counts (the schedules' plans) and ledger memory in the expected order.
 */
import test from 'ava';
import { grad } from '@adjoint/runtime/autodiff/index';
import { taylorTest } from '@adjoint/runtime/verify/index';
import { figuresTable, rnnCheckpointFigures } from '../../src/rnn/figures';
import { main, parseRnnArgs } from '../../src/rnn/main';
import { type RnnParams, rnnLoss, rnnProblem } from '../../src/rnn/model';

const problem = rnnProblem({ hidden: 24, steps: 60 });

function flat(g: RnnParams): number[] {
  return [...g.W.data, ...g.U.data, ...g.b.data];
}

function maxRelativeDifference(a: number[], b: number[]): number {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]))) / scale;
}

test('revolve and uniform gradients equal store-all and the unrolled tape to 1e-12', (t) => {
  const storeAll = flat(grad(rnnLoss(problem, { schedule: 'store-all' }))(problem.params));
  const unrolled = flat(grad(rnnLoss(problem, 'unrolled'))(problem.params));
  t.true(maxRelativeDifference(storeAll, unrolled) <= 1e-12);
  for (const mode of [{ schedule: 'revolve', snapshots: 5 }, { schedule: 'uniform', snapshots: 6 }, {}] as const) {
    const g = flat(grad(rnnLoss(problem, mode))(problem.params));
    t.true(maxRelativeDifference(g, storeAll) <= 1e-12, JSON.stringify(mode));
  }
});

test('the checkpointed gradient passes the Taylor test (orders about 2)', (t) => {
  const small = rnnProblem({ hidden: 8, steps: 30 });
  const result = taylorTest(rnnLoss(small, { schedule: 'revolve', snapshots: 4 }), small.params);
  t.true(result.orders.every((o) => Math.abs(o - 2) < 0.1), `orders ${result.orders}`);
});

test('figures: engine counts equal the plans, revolve holds least, every gradient agrees', (t) => {
  const f = rnnCheckpointFigures({ hidden: 16, steps: 50, snapshots: 5 });
  t.deepEqual(f.rows.map((r) => r.method), ['store-all', 'uniform (s = 5)', 'revolve (s = 5)', 'no checkpointing (tape)']);
  for (const r of f.rows) {
    t.is(r.advances, r.plannedAdvances, r.method);
    t.is(r.stepEvaluations, 50 + r.advances, r.method);
    t.true(r.gradientDifference <= 1e-12, r.method);
  }
  const [storeAll, uniform, revolve, tape] = f.rows;
  t.is(storeAll.advances, 49);
  t.is(revolve.advances, 122, 't(50, 5) = 3·50 − C(8, 6)');
  t.true(revolve.peakBytes < uniform.peakBytes && uniform.peakBytes < storeAll.peakBytes && storeAll.peakBytes < tape.peakBytes);
  t.is(storeAll.memoryVsStoreAll, 1);
  t.regex(figuresTable(f), /^\| method +\| step evaluations \|/);
});

test('the CLI prints the table, and rejects unknown or bad arguments', (t) => {
  const lines: string[] = [];
  t.is(main(['--hidden', '8', '--steps', '20', '--snapshots', '3'], (l) => lines.push(l)), 0);
  t.true(lines.some((l) => l.startsWith('RNN, hidden size 8, 20 steps')));
  t.true(lines.some((l) => l.includes('| revolve (s = 3)')));
  t.deepEqual(parseRnnArgs(['--repeats', '2']), { repeats: 2 });
  const errors: string[] = [];
  t.is(main(['--size', '3'], (l) => errors.push(l)), 2);
  t.is(main(['--steps', 'many'], (l) => errors.push(l)), 2);
  t.deepEqual(errors, ["rnn: unknown argument '--size'; allowed: --hidden N, --steps N, --snapshots N, --repeats N", "rnn: --steps needs a positive integer, got 'many'"]);
});
