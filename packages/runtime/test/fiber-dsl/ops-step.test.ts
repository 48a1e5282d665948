/**
 * The cross-check: the RK4IP step written in plain DSL operations computes the
 * float64 solver's step, and the tape's reverse mode over it gives the hand-derived
 * adjoint, on small grids with one and two modes.
 */
import test from 'ava';
import { vjp } from '@adjoint/runtime/autodiff/index';
import { rk4ipStepOps } from '@adjoint/runtime/fiber/dsl/ops-step';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { FiberStepHooks } from '@adjoint/runtime/fiber/hooks';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import type { FiberSpec, GridSpec } from '@adjoint/runtime/fiber/problem';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { maxAbs, random, randomArray, randomSymmetricOverlap } from '../fiber/helpers';

/** max|a - b| / max|b| over interleaved data. */
function relativeError(a: Float64Array, b: Float64Array): number {
  return maxAbs(a.map((v, i) => v - b[i])) / maxAbs(b);
}

function check(t: import('ava').ExecutionContext, points: number, fiber: FiberSpec, seed: number): void {
  const grid: GridSpec = { points, windowPs: 2, centerWavelengthNm: 1550 };
  const model = fiberModel(grid, fiber);
  const hooks = new FiberStepHooks(new Float64Backend(model));
  const rand = random(seed);
  const M = model.modes;
  // A white spectrum scaled to a nonlinear phase of about 0.3 rad per step, so every term matters.
  const gammaH = Math.abs(model.nonlinearFactor![1]) * Math.max(...model.overlap.terms.map((term) => Math.abs(term.value)));
  const x = randomArray(2 * M * points, rand, Math.sqrt(0.3 / (gammaH * points * (2 / 3) * M)));
  const shape = [M, points];
  const stepOps = rk4ipStepOps(grid, fiber);

  const input = new Tensor(x, shape, 'complex128');
  const forward = relativeError(stepOps(input).data as Float64Array, hooks.step(x, 0));
  t.log(`forward: rel ${forward.toExponential(2)}`);
  t.true(forward <= 1e-12, `forward rel ${forward}`);

  const [, handPullback] = hooks.stepVjp(x, 0);
  for (let trial = 0; trial < 2; trial++) {
    const w = randomArray(x.length, rand);
    const [, pullback] = vjp(stepOps, input);
    const [tapeAdjoint] = pullback(new Tensor(w, shape, 'complex128'));
    const reverse = relativeError(tapeAdjoint.data as Float64Array, handPullback(w));
    t.log(`cotangent ${trial}: tape VJP vs hand adjoint rel ${reverse.toExponential(2)}`);
    t.true(reverse <= 1e-9, `cotangent ${trial}: rel ${reverse}`);
  }
  hooks.dispose();
}

const betas4 = [0, 0, -0.02, 1e-4, 2e-7];

test('N = 64, one mode: dispersion to beta_4, Kerr, Blow-Wood Raman, self-steepening', (t) => {
  check(t, 64, { lengthM: 0.05, steps: 10, modes: [{ betas: betas4 }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true }, 1);
});

test('N = 128, one mode: Lin-Agrawal Raman with a given fR, no self-steepening', (t) => {
  check(t, 128, { lengthM: 0.05, steps: 10, modes: [{ betas: [0, 0, 0.02] }], gamma: 0.02, raman: { model: 'lin-agrawal', fR: 0.2 }, selfSteepening: false }, 2);
});

test('N = 256, one mode: Kerr and self-steepening without Raman', (t) => {
  check(t, 256, { lengthM: 0.05, steps: 10, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'none' }, selfSteepening: true }, 3);
});

test('N = 128, two modes: overlap tensor, mode-dependent beta_0 and beta_1, Blow-Wood Raman, self-steepening', (t) => {
  const fiber: FiberSpec = {
    lengthM: 0.05,
    steps: 10,
    modes: [{ betas: [0, 0, -0.02, 1e-4] }, { betas: [3, 0.004, -0.018, 8e-5] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(2, random(4), 0),
    raman: { model: 'blow-wood' },
    selfSteepening: true,
  };
  check(t, 128, fiber, 5);
});

test('N = 256, two modes: sparse overlap, Lin-Agrawal Raman', (t) => {
  const fiber: FiberSpec = {
    lengthM: 0.05,
    steps: 10,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [-2, -0.003, -0.025] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(2, random(6), 0.5),
    raman: { model: 'lin-agrawal' },
    selfSteepening: true,
  };
  check(t, 256, fiber, 7);
});
