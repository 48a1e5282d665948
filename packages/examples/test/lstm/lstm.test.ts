/**
 * The LSTM example (tuple state [h, c]): checkpointed gradients equal store-all and the
 * unrolled tape to 1e-12, pass the Taylor test, and the demo prints its checks.
 */
import test from 'ava';
import { grad } from '@adjoint/runtime/autodiff/index';
import { taylorTest } from '@adjoint/runtime/verify/index';
import { relativeDifference } from '../../src/shared/demo';
import { main } from '../../src/lstm/main';
import { lstmLoss, lstmProblem, lstmStep } from '../../src/lstm/model';

const problem = lstmProblem({ hidden: 12, steps: 40 });

test('checkpointed gradients equal store-all and the unrolled tape to 1e-12', (t) => {
  const storeAll = grad(lstmLoss(problem, { schedule: 'store-all' }))(problem.params);
  t.true(relativeDifference(grad(lstmLoss(problem, 'unrolled'))(problem.params), storeAll) <= 1e-12);
  for (const mode of [{ schedule: 'revolve', snapshots: 3 }, { schedule: 'uniform', snapshots: 5 }, { schedule: 'multistage', ram: 2, disk: 1 }] as const) {
    t.true(relativeDifference(grad(lstmLoss(problem, mode))(problem.params), storeAll) <= 1e-12, JSON.stringify(mode));
  }
});

test('the state stays a tuple of two tensors and the gradient passes the Taylor test', (t) => {
  const [h, c] = lstmStep(problem.params, problem.xs)(problem.init, 0);
  t.deepEqual([h.shape, c.shape], [[12], [12]]);
  const small = lstmProblem({ hidden: 6, steps: 25 });
  const result = taylorTest(lstmLoss(small, { schedule: 'revolve', snapshots: 4 }), small.params);
  t.true(result.orders.every((o) => Math.abs(o - 2) < 0.1), `orders ${result.orders}`);
});

test('the demo prints the profile, the agreement with store-all and the Taylor orders', (t) => {
  const lines: string[] = [];
  t.is(main((l) => lines.push(l), { hidden: 6, steps: 30, snapshots: 4 }), 0);
  t.regex(lines.join('\n'), /recomputation: \d+ advances[\s\S]*gradient vs store-all: max relative difference 0\.00e\+0[\s\S]*should all be 2\): \[(1\.9[5-9]|2\.0)/);
});
