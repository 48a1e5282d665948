import test from 'ava';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { FiberStepHooks } from '@adjoint/runtime/fiber/hooks';
import { KerrRamanKernel } from '@adjoint/runtime/fiber/nonlinear';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { fiberModel, type FiberModel } from '@adjoint/runtime/fiber/model';
import type { FiberSpec } from '@adjoint/runtime/fiber/problem';
import { axpy, dot, random, randomArray, randomSymmetricOverlap } from './helpers';

const grid = { points: 256, windowPs: 2, centerWavelengthNm: 1550 };

/**
 * A random input whose time-domain amplitude gives a nonlinear phase of about
 * `phase` rad per step, so that every term of the step matters.
 */
function randomInput(model: FiberModel, rand: () => number, phase: number): Float64Array {
  const N = model.grid.points;
  const x = randomArray(2 * model.modes * N, rand);
  // |A|² ≈ N·Σ|Â|²/N per mode for a white spectrum; pick the scale from gamma·h.
  const gammaH = Math.abs(model.nonlinearFactor![1]) * Math.max(...model.overlap.terms.map((term) => Math.abs(term.value)));
  const scale = Math.sqrt(phase / (gammaH * N * (2 / 3) * model.modes));
  return x.map((v) => v * scale);
}

function checkStepAdjoint(t: import('ava').ExecutionContext, fiber: FiberSpec, seed: number): void {
  const model = fiberModel(grid, fiber);
  const hooks = new FiberStepHooks(new Float64Backend(model));
  const rand = random(seed);
  const x = randomInput(model, rand, 0.3);
  const w = randomArray(x.length, rand);
  const [y, pullback] = hooks.stepVjp(x, 0);
  t.deepEqual(y, hooks.step(x, 0), 'the taped step computes the plain step');
  const xBar = pullback(w);
  // J(x) = Re<w, step(x)>, so the pullback of w is dJ/dx in the Wirtinger convention.
  const J = (input: Float64Array) => dot(w, hooks.step(input, 0));
  const scale = Math.sqrt(dot(x, x) / x.length);
  for (let trial = 0; trial < 3; trial++) {
    const v = randomArray(x.length, rand, scale);
    const eps = 1e-5; // balances truncation (eps²) against rounding (1/eps)
    const fd = (J(axpy(x, eps, v)) - J(axpy(x, -eps, v))) / (2 * eps);
    const predicted = dot(xBar, v);
    const rel = Math.abs(fd - predicted) / Math.abs(predicted);
    t.log(`direction ${trial}: rel ${rel.toExponential(2)}`);
    t.true(rel < 1e-6, `direction ${trial}: finite difference ${fd} vs adjoint ${predicted} (rel ${rel.toExponential(2)})`);
  }
  hooks.dispose();
}

test('step adjoint matches central differences: one mode, Raman and self-steepening', (t) => {
  checkStepAdjoint(
    t,
    { lengthM: 0.05, steps: 10, modes: [{ betas: [0, 0, -0.02, 1e-4, 2e-7] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
    1,
  );
});

test('step adjoint matches central differences: one mode, Lin–Agrawal Raman', (t) => {
  checkStepAdjoint(t, { lengthM: 0.05, steps: 10, modes: [{ betas: [0, 0, 0.02] }], gamma: 0.02, raman: { model: 'lin-agrawal' }, selfSteepening: false }, 2);
});

test('step adjoint matches central differences: three modes, Raman and self-steepening', (t) => {
  const overlap = randomSymmetricOverlap(3, random(3));
  checkStepAdjoint(
    t,
    {
      lengthM: 0.05,
      steps: 10,
      modes: [{ betas: [0, 0, -0.02, 1e-4] }, { betas: [3, 0.01, -0.018] }, { betas: [-2, -0.02, -0.025, 2e-4] }],
      n2: 2.3e-20,
      overlap,
      raman: { model: 'blow-wood' },
      selfSteepening: true,
    },
    4,
  );
});

test('step adjoint matches central differences: six graded-index modes, whose couplings have a row basis', (t) => {
  const spec = grinFiber({ coreRadiusUm: 25, na: 0.2, wavelengthNm: 1550, modes: 6 }).fiberSpec(0.05, 10, { model: 'blow-wood' }, true);
  const { overlap } = fiberModel(grid, spec);
  t.is(new KerrRamanKernel(overlap, grid.points, 0, null, new ComplexFft(grid.points)).signalCount, 15, 'Raman signals for 21 pairs');
  checkStepAdjoint(t, spec, 5);
});

test('a pullback whose tape was overwritten by a later taped step refuses to run', (t) => {
  const model = fiberModel(grid, { lengthM: 0.05, steps: 10, modes: [{ betas: [0, 0, -0.02] }], gamma: 0.01, raman: { model: 'none' }, selfSteepening: false });
  const hooks = new FiberStepHooks(new Float64Backend(model));
  const x = randomInput(model, random(5), 0.1);
  const [, first] = hooks.stepVjp(x, 0);
  const [, second] = hooks.stepVjp(x, 1);
  t.throws(() => first(x), { message: /step 0: its tape was overwritten/ });
  t.notThrows(() => second(x));
  hooks.dispose();
});

test('the step holds its tapes in the ledger, exactly, until disposed', (t) => {
  const overlap = randomSymmetricOverlap(3, random(6));
  const model = fiberModel(grid, { lengthM: 0.05, steps: 10, modes: [{ betas: [0] }, { betas: [1] }, { betas: [2] }], n2: 2.3e-20, overlap, raman: { model: 'blow-wood' }, selfSteepening: true });
  const before = { tapes: ledger.current('tapes'), buffers: ledger.current('buffers') };
  const hooks = new FiberStepHooks(new Float64Backend(model));
  const N = grid.points;
  // four nonlinear evaluations, each keeping its time fields (2·M·N) and couplings Q_pl (C·N)
  t.is(ledger.current('tapes') - before.tapes, 4 * 8 * (2 * 3 * N + model.overlap.couplings.length * N));
  t.is(ledger.current('tapes') - before.tapes + ledger.current('buffers') - before.buffers, hooks.backend.bytesHeld);
  hooks.dispose();
  t.deepEqual({ tapes: ledger.current('tapes'), buffers: ledger.current('buffers') }, before);
});
