/**
 * rk4ipStep, the solver's step registered as a DSL primitive with its hand adjoint:
 * a propagation written with checkpointedLoop and differentiated with grad gives the
 * solver's own gradient (propagateGradient, problemGradient) and central differences.
 */
import test from 'ava';
import { valueAndGrad, grad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop } from '@adjoint/runtime/checkpoint/loop';
import { controlGradient } from '@adjoint/runtime/fiber/controls';
import { objectiveOp } from '@adjoint/runtime/fiber/dsl/objective';
import { rk4ipStep } from '@adjoint/runtime/fiber/dsl/step';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { FiberStepHooks } from '@adjoint/runtime/fiber/hooks';
import { inputSpectrum, inputSpectrumVjp } from '@adjoint/runtime/fiber/input';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import { evaluateObjective } from '@adjoint/runtime/fiber/objective';
import { parseProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, propagateGradient } from '@adjoint/runtime/fiber/simulate';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { optimalAdvances } from '@adjoint/runtime/schedules/index';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { axpy, dot, maxAbs, random, randomArray, randomSymmetricOverlap } from '../fiber/helpers';

const singleMode = parseProblem({
  version: 1,
  grid: { points: 256, windowPs: 2, centerWavelengthNm: 1550 },
  fiber: { lengthM: 0.1, steps: 60, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
  pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 8000, modeCoefficients: [1], gddFs2: 300, todFs3: 2000 },
  controls: ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW', 'pulse.fwhmFs'],
  objective: { kind: 'bandEnergyFraction', bandNm: [1580, 1700] },
});

const twoModes = parseProblem({
  version: 1,
  grid: { points: 128, windowPs: 3, centerWavelengthNm: 1550 },
  fiber: {
    lengthM: 0.1,
    steps: 30,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [2, 0.005, -0.018, 1e-4] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(2, random(3)),
    raman: { model: 'lin-agrawal' },
    selfSteepening: true,
  },
  pulse: { shape: 'gaussian', fwhmFs: 120, peakPowerW: 3000, modeCoefficients: [1, 0.6], gddFs2: -200, todFs3: 0 },
  controls: ['pulse.modeCoefficients', 'pulse.peakPowerW'],
  objective: { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 30 },
});

function setUp(problem: typeof singleMode) {
  const model = fiberModel(problem.grid, problem.fiber);
  const fft = new ComplexFft(model.grid.points);
  const spectrum0 = inputSpectrum(problem.pulse, model.grid, fft);
  const shape = [model.modes, model.grid.points];
  const reference = propagateGradient(model, spectrum0, (output) => evaluateObjective(problem.objective, output, model.grid), { checkpoint: { schedule: 'store-all' } });
  return { model, fft, spectrum0, shape, reference };
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbs(Float64Array.from(a, (v, i) => v - b[i])) / maxAbs(Float64Array.from(b));
}

// Plain advances the schedule makes: revolve's optimum t(60, 6); uniform over 30 steps in
// segments of ceil(sqrt 30) = 6 makes n - 1 + (segments - 1)·(6 - 1) = 29 + 4·5.
for (const [name, problem, options, advances] of [
  ['one mode, revolve with 6 snapshots', singleMode, { schedule: 'revolve', snapshots: 6 }, optimalAdvances(60, 6)],
  ['two modes, uniform', twoModes, { schedule: 'uniform' }, 49],
] as const) {
  test(`grad through checkpointedLoop(rk4ipStep(model)) is the solver's gradient: ${name}`, (t) => {
    const { model, fft, spectrum0, shape, reference } = setUp(problem);
    const step = rk4ipStep(model);
    const objective = objectiveOp(problem.objective, model.grid);
    let evaluations = 0;
    const counted = (spectra: Tensor) => (evaluations++, step(spectra));
    const loss = (a0: Tensor) => objective(checkpointedLoop(counted, a0, model.steps, options));

    const [value, gradient] = valueAndGrad(loss)(new Tensor(spectrum0, shape, 'complex128'));
    t.is(value.item(), reference.value);
    const rel = relativeError(gradient.data, reference.spectrumAdjoint);
    t.log(`spectrum adjoint vs propagateGradient: rel ${rel.toExponential(2)}; ${evaluations} step evaluations`);
    t.true(rel <= 1e-10);
    t.is(evaluations, advances + model.steps, 'each step runs once per advance and once per (taped) reverse');

    // The same gradient, carried to the problem's controls, is problemGradient's.
    const controls = controlGradient(inputSpectrumVjp(problem.pulse, model.grid, fft, gradient.data as Float64Array), problem.controls, problem.fiber);
    const solver = problemGradient(problem, { checkpoint: options });
    const controlRel = relativeError(controls, solver.gradient);
    t.log(`control gradient vs problemGradient: rel ${controlRel.toExponential(2)}`);
    t.true(controlRel <= 1e-10);

    // Central differences of the DSL loss itself along random directions of the input spectra.
    const rand = random(9);
    const scale = Math.sqrt(dot(spectrum0, spectrum0) / spectrum0.length);
    const at = (x: Float64Array) => loss(new Tensor(x, shape, 'complex128')).item();
    for (let trial = 0; trial < 2; trial++) {
      const v = randomArray(spectrum0.length, rand, scale);
      const eps = 1e-6;
      const central = (d: number) => (at(axpy(spectrum0, d, v)) - at(axpy(spectrum0, -d, v))) / (2 * d);
      const fd = (4 * central(eps / 2) - central(eps)) / 3;
      const predicted = dot(gradient.data as Float64Array, v);
      const fdRel = Math.abs(fd - predicted) / Math.abs(predicted);
      t.log(`direction ${trial}: adjoint ${predicted.toExponential(6)}, central difference ${fd.toExponential(6)}, rel ${fdRel.toExponential(2)}`);
      t.true(fdRel < 1e-6);
    }
    step.dispose();
  });
}

test('under a checkpointed loop the tape holds one step at a time; a plain loop holds every step', (t) => {
  const { model, spectrum0, shape, reference } = setUp(twoModes);
  const [M, N] = shape;
  const step = rk4ipStep(model);
  const objective = objectiveOp(twoModes.objective, model.grid);
  const a0 = new Tensor(spectrum0, shape, 'complex128');
  const field = 16 * M * N;
  // One taped step: its output, and 4 nonlinear evaluations × (time fields + couplings Q_pl).
  const stepTape = field + 4 * (field + 8 * model.overlap.couplings.length * N);
  // Around the loop the outer tape holds x_n and the objective's residual (the output adjoint) and value.
  const outer = 2 * field + 8;

  const before = ledger.current('tapes');
  const checkpointed = ledger.openWindow(['tapes']);
  const viaLoop = grad((a: Tensor) => objective(checkpointedLoop(step, a, model.steps, { schedule: 'revolve', snapshots: 4 })))(a0);
  checkpointed.close();
  t.is(checkpointed.peakTotal - before, outer + stepTape);

  const plain = ledger.openWindow(['tapes']);
  const viaFor = grad((a: Tensor) => {
    let x = a;
    for (let i = 0; i < model.steps; i++) x = step(x);
    return objective(x);
  })(a0);
  plain.close();
  // Every step's output and tapes (the last output is x_n itself) plus the objective's residual and value.
  t.is(plain.peakTotal - before, model.steps * stepTape + field + 8);
  t.is(ledger.current('tapes'), before, 'all tape bytes are returned');
  t.true(relativeError(viaFor.data, reference.spectrumAdjoint) <= 1e-10);
  t.true(relativeError(viaLoop.data, reference.spectrumAdjoint) <= 1e-10);
  step.dispose();
});

test('rk4ipStep outside a trace is the solver step; bad input names both shapes; dispose frees its fields', (t) => {
  const { model, spectrum0, shape } = setUp(twoModes);
  const held = ledger.current('buffers');
  const step = rk4ipStep(model);
  t.true(ledger.current('buffers') > held);
  const hooks = new FiberStepHooks(new Float64Backend(model));
  t.deepEqual(step(new Tensor(spectrum0, shape, 'complex128')).data, hooks.step(spectrum0, 0));
  hooks.dispose();
  t.throws(() => step(new Tensor(new Float64Array(2 * 64), [1, 64], 'complex128')), {
    message: 'rk4ipStep: expected complex128 spectra of shape [2, 128] (modes, points), got a complex128 Tensor of shape [1, 64]',
  });
  t.throws(() => step(new Tensor(new Float64Array(256), [2, 128])), { message: /expected complex128 spectra of shape \[2, 128\].*got a float64 Tensor of shape \[2, 128\]/ });
  step.dispose();
  t.is(ledger.current('buffers'), held);
  t.throws(() => step(new Tensor(spectrum0, shape, 'complex128')), { message: 'rk4ipStep: used after dispose()' });
});
