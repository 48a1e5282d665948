/**
 * The compiled examples (src/compiled), as the build leaves them (dist/compiled, written by
 * `npx tspc -b` with the @adjoint/transformer plugin): the grad calls became generated
 * gradient code, whose gradients equal central finite differences and, for tensor code,
 * the runtime tape's on the same function; each @checkpoint loop calls its step exactly
 * n + t(n, s) times.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { grad, randn, tensor, type Tensor } from '@adjoint/runtime';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
import { finiteDifferences, firstMismatch } from '../../../transformer/test/support/trees';

const DIST = join(__dirname, '..', '..', 'dist', 'compiled');
const SRC = join(__dirname, '..', '..', 'src', 'compiled');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Module = Record<string, any>;

function built(name: string): { js: string; module: Module } {
  const file = join(DIST, `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx tspc -b)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { js: readFileSync(file, 'utf8'), module: require(file) as Module };
}

/** Runs fn and returns the step calls of every compiled @checkpoint sweep it created. */
function stepCalls(fn: () => void): number[] {
  const sweeps: { stepCalls: number }[] = [];
  const stop = observeSweeps((sweep) => sweeps.push(sweep.counters));
  try {
    fn();
  } finally {
    stop();
  }
  return sweeps.map((s) => s.stepCalls);
}

const EXAMPLES = [
  ['rnn', ['dRnnLoss']],
  ['lstm', ['dLstmLoss']],
  ['ode', ['dPendulumEnergy', 'dPendulumEnergyOnTensors']],
] as const;

for (const [name, gradients] of EXAMPLES) {
  test(`${name}: the built file holds generated gradient code, not calls to the tape's grad`, (t) => {
    const source = readFileSync(join(SRC, `${name}.ts`), 'utf8');
    const { js } = built(name);
    for (const g of gradients) {
      t.regex(source, new RegExp(`export const ${g} = grad\\(`), `${g} is written as grad(...) in the source`);
      t.regex(js, new RegExp(`const ${g} = \\([\\w, ]+\\) => \\{\\n\\s+const \\[value, pullback\\] = \\w+_vjp\\(`), `${g} is a generated gradient function`);
    }
    t.regex(js, /\/\/ grad of: /);
    t.notRegex(js, /runtime_1\.(grad|valueAndGrad)\)/, "no call to the tape's grad");
  });
}

test('rnn (the issue example): gradient equals finite differences and the tape; 1000 steps with 32 snapshots run 1000 + t(1000, 32) steps', (t) => {
  const { module: m } = built('rnn');
  const args = [randn([1, 4], { seed: 1 }), randn([4, 4], { seed: 2, std: 0.5 }), randn([4], { seed: 3, std: 0.1 })];
  let compiled: unknown;
  // t(1000, 32) = r·n − C(s+r, s+1) with r = 3: 3000 − C(35, 33) = 2405
  t.deepEqual(
    stepCalls(() => (compiled = m.dRnnLoss(...args))),
    [1000 + 2405],
  );
  t.is(firstMismatch(compiled, finiteDifferences(m.rnnLoss, args, [0, 1, 2])), undefined, 'finite differences');
  t.is(firstMismatch(compiled, grad(m.rnnLoss, [0, 1, 2])(...args), 1e-9, 1e-12), undefined, 'the runtime tape');
});

test('lstm (tuple state [h, c]): gradient equals finite differences and the tape; 30 steps with 8 snapshots run 30 + t(30, 8) steps', (t) => {
  const { module: m } = built('lstm');
  const [hidden, inputs, steps] = [3, 2, 30];
  const weights = {
    W: randn([hidden, 4 * hidden], { seed: 4, std: 0.6 }),
    U: randn([inputs, 4 * hidden], { seed: 5, std: 0.7 }),
    b: randn([4 * hidden], { seed: 6, std: 0.1 }),
  };
  const xs = Array.from({ length: steps }, (_, i) => randn([inputs], { seed: 100 + i }));
  const args = [randn([hidden], { seed: 7, std: 0.3 }), randn([hidden], { seed: 8, std: 0.3 }), weights, xs, hidden];
  let compiled: unknown;
  // t(30, 8) with r = 2 (C(10, 8) = 45 >= 30 > C(9, 8) = 9): 2·30 − C(10, 9) = 50
  t.deepEqual(
    stepCalls(() => (compiled = m.dLstmLoss(...args))),
    [steps + 50],
  );
  const [, , W] = compiled as [Tensor, Tensor, { W: Tensor; U: Tensor; b: Tensor }];
  t.deepEqual(W.W.shape, [hidden, 4 * hidden], 'the weights gradient has the weights structure');
  t.is(firstMismatch(compiled, finiteDifferences(m.lstmLoss, args, [0, 1, 2])), undefined, 'finite differences');
  t.is(firstMismatch(compiled, grad(m.lstmLoss, [0, 1, 2])(...args), 1e-9, 1e-12), undefined, 'the runtime tape');
});

test('ode (RK4 pendulum, native arithmetic): gradient w.r.t. damping, stiffness and drive equals finite differences and the tape on the DSL version', (t) => {
  const { module: m } = built('ode');
  const [steps, dt] = [2000, 0.01];
  const args = [1, 0, 0.3, 2, 0.4, steps, dt];
  let compiled: unknown;
  // t(2000, 1000) with r = 2: 2·2000 − C(1002, 1001) = 2998
  t.deepEqual(
    stepCalls(() => (compiled = m.dPendulumEnergy(...args))),
    [steps + 2998],
  );
  t.is(firstMismatch(compiled, finiteDifferences(m.pendulumEnergy, args, [2, 3, 4])), undefined, 'finite differences');
  // an independent method: the runtime tape through the DSL version of the same integrator (fewer steps: the tape is slow on scalars)
  const short = [1, 0, 0.3, 2, 0.4, 300, dt];
  const onTensors = short.map((a, i) => (i < 5 ? tensor(a) : a));
  const taped = (grad(m.pendulumEnergyOnTensors, [2, 3, 4])(...onTensors) as Tensor[]).map((g) => g.item());
  t.is(firstMismatch(m.dPendulumEnergy(...short), taped, 1e-9, 1e-12), undefined, 'the runtime tape on the DSL version');
});

test('ode (RK4 pendulum on 0-d tensors): the compiled gradient equals finite differences and the tape', (t) => {
  const { module: m } = built('ode');
  const steps = 300;
  const args = [tensor(1), tensor(0), tensor(0.3), tensor(2), tensor(0.4), steps, 0.01];
  let compiled: unknown;
  // t(300, 1000): more snapshots than steps, every state is kept: 300 − 1 advances
  t.deepEqual(
    stepCalls(() => (compiled = m.dPendulumEnergyOnTensors(...args))),
    [steps + 299],
  );
  t.is(firstMismatch(compiled, finiteDifferences(m.pendulumEnergyOnTensors, args, [2, 3, 4])), undefined, 'finite differences');
  t.is(firstMismatch(compiled, grad(m.pendulumEnergyOnTensors, [2, 3, 4])(...args), 1e-9, 1e-12), undefined, 'the runtime tape');
});
