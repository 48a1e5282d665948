import test from 'ava';
import { evaluateGradient, readControls, simulate, withControls } from '../../src/fiber/engine';
import { optimizeProblem, resolveConfig } from '../../src/fiber/optimizer';
import { tinySoliton } from './helpers';

test('every malformed optimizer config key gives an error naming it', (t) => {
  const cases: [object, RegExp][] = [
    [{ iterationz: 3 }, /config\.iterationz: unknown key/],
    [{ optimizer: 'sgd' }, /config\.optimizer: must be one of "adam", "lbfgs", got "sgd"/],
    [{ iterations: 0 }, /config\.iterations: must be a positive integer, got 0/],
    [{ iterations: 2.5 }, /config\.iterations: must be a positive integer/],
    [{ learningRate: -1 }, /config\.learningRate: must be a positive number/],
    [{ snapshots: 0 }, /config\.snapshots: must be a positive integer/],
    [{ backend: 'cuda' }, /config\.backend: must be a backend from chooseBackend\(\)/],
    [{ gpuMode: 'cpu' }, /config\.gpuMode: unknown key/],
    [{ schedule: 7 }, /config\.schedule: must be a schedule name/],
    [{ schedule: 'store-all', snapshots: 5 }, /config\.snapshots: does not apply to schedule "store-all"/],
  ];
  for (const [config, message] of cases) t.throws(() => resolveConfig(config as never), { message }, JSON.stringify(config));
  const problem = tinySoliton();
  t.throws(() => optimizeProblem(problem, { enableMemoryMonitoring: 'yes' as never }), { message: /enableMemoryMonitoring must be true or false/ });
  t.throws(() => optimizeProblem(problem, { memoryMonitorBatches: -1 }), { message: /memoryMonitorBatches must be a non-negative integer/ });
  t.throws(() => optimizeProblem(problem, { schedule: 'bogus' }), { message: /unknown options\.schedule "bogus"/ });
  t.throws(() => optimizeProblem({ ...problem, controls: [] }), { message: /controls: the problem lists no controls/ });
  t.deepEqual(resolveConfig({}), {
    optimizer: 'adam',
    iterations: 20,
    learningRate: 0.05,
    schedule: undefined,
    snapshots: undefined,
    backend: undefined,
    enableMemoryMonitoring: undefined,
    memoryMonitorBatches: undefined,
  });
  t.is(resolveConfig({ optimizer: 'lbfgs' }).learningRate, 0.5);
});

test('adam: one loss evaluation per iteration, each the true objective of the controls it reports', (t) => {
  const problem = tinySoliton();
  const lines: string[] = [];
  const result = optimizeProblem(problem, { iterations: 3, learningRate: 0.1, snapshots: 4 }, { log: (line) => lines.push(line) });
  t.is(result.history.length, 3);
  t.is(result.direction, 'maximize');
  t.deepEqual(Array.from(result.history[0].values), Array.from(readControls(problem)));
  t.is(result.initialLoss, result.history[0].loss);
  // The loss of evaluation 2 is the forward objective at its controls, and its gradient the engine's.
  const last = result.history[2];
  const check = withControls(problem, last.values);
  t.true(Math.abs(simulate(check).loss - last.loss) < 1e-12);
  t.deepEqual(Array.from(evaluateGradient(check).grad), Array.from(last.grad));
  t.is(result.loss, Math.max(...result.history.map((h) => h.loss)));
  t.deepEqual(Array.from(readControls(result.problem)), Array.from(result.best.values));
  t.is(lines.filter((l) => /evaluation +\d+: loss/.test(l)).length, 3);
  t.false(lines.some((l) => /Loss evaluation/.test(l)), 'memory lines only when enabled');
  t.is(result.totalStepCalls, result.history.reduce((s, h) => s + h.counters.stepCalls, 0));
  t.true(result.history.every((h) => h.counters.reverses === 60));
});

test('lbfgs improves the objective within its evaluation budget', (t) => {
  const problem = tinySoliton();
  const result = optimizeProblem(problem, { optimizer: 'lbfgs', iterations: 5 }, { log: () => undefined });
  t.true(result.history.length <= 5);
  t.true(result.loss > result.initialLoss, `${result.initialLoss} -> ${result.loss}`);
});

test('memory monitoring prints the seed-style line for the first memoryMonitorBatches evaluations and an end line', (t) => {
  const lines: string[] = [];
  optimizeProblem(tinySoliton(), { iterations: 3, enableMemoryMonitoring: true, memoryMonitorBatches: 2 }, { log: (line) => lines.push(line) });
  const memory = lines.filter((l) => /^ {2}Loss evaluation \d+: GPU [\d.]+ MB, CPU [\d.]+ MB, runtime [\d.]+ MB, loss=\d/.test(l));
  t.deepEqual(memory.map((l) => l.match(/Loss evaluation (\d+)/)?.[1]), ['0', '1']);
  t.true(lines.some((l) => /^\[Memory\] Optimization: CPU/.test(l)));
  t.true(lines.some((l) => /Epoch end: GPU [\d.]+ MB, CPU [\d.]+ MB, peak CPU/.test(l)));
});

test('controls driven out of their valid range stop the run with an error naming the key', (t) => {
  // Energy in 1450-1650 nm grows as the pulse widens (d/dfwhm > 0 here), and a huge rate
  // then blows the width (a log-scaled control, ×e^5 in Adam's first step) past the 1.5 ps window.
  const problem = { ...tinySoliton(), controls: ['pulse.fwhmFs'], objective: { kind: 'bandEnergyFraction', bandNm: [1450, 1650] } as const };
  t.true(evaluateGradient(problem).grad[0] > 0);
  t.throws(() => optimizeProblem(problem, { iterations: 3, learningRate: 5 }, { log: () => undefined }), {
    message: /loss evaluation 1: the optimizer moved the controls out of their valid range \(pulse\.fwhmFs: .* does not fit in the 1\.5 ps time window\)/,
  });
});
