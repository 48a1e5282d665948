import test from 'ava';
import { readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { FWHM_PER_T0 } from '@adjoint/runtime/fiber/input';
import type { FiberModel } from '@adjoint/runtime/fiber/model';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, problemValue } from '@adjoint/runtime/fiber/simulate';
import { optimalAdvances } from '@adjoint/runtime/schedules/index';
import { DeterminismError } from '@adjoint/runtime/verify/determinism';
import { random, randomSymmetricOverlap } from './helpers';

const singleMode = parseProblem({
  version: 1,
  grid: { points: 256, windowPs: 2, centerWavelengthNm: 1550 },
  fiber: { lengthM: 0.15, steps: 100, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
  pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 8000, modeCoefficients: [1], gddFs2: 300, todFs3: 2000 },
  controls: ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW', 'pulse.fwhmFs'],
  objective: { kind: 'bandEnergyFraction', bandNm: [1580, 1700] },
});

const threeModes = parseProblem({
  version: 1,
  grid: { points: 256, windowPs: 3, centerWavelengthNm: 1550 },
  fiber: {
    lengthM: 0.2,
    steps: 100,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [2, 0.005, -0.018, 1e-4] }, { betas: [-1, -0.004, -0.022] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(3, random(11)),
    raman: { model: 'lin-agrawal' },
    selfSteepening: true,
  },
  pulse: { shape: 'gaussian', fwhmFs: 120, peakPowerW: 3000, modeCoefficients: [1, 0.6, 0.3], gddFs2: -200, todFs3: 0 },
  controls: ['pulse.modeCoefficients', 'pulse.gddFs2', 'pulse.peakPowerW'],
  objective: { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 30 },
});

/**
 * The finite-difference step of a fiber control: 1e-5 of its value; for beta_n, 1e-5 of
 * T0^n/L, the change that moves the phase over the fiber by about 1e-5 rad at Omega = 1/T0
 * (a beta's own value is no scale: it may be zero, or small like beta_1 = 0.005 ps/m).
 */
function step(name: string, value: number, problem: FiberProblem): number {
  const beta = /^fiber\.modes\.\d+\.betas\.(\d+)$/.exec(name);
  if (beta === null) return 1e-5 * Math.abs(value);
  const t0 = (problem.pulse.fwhmFs * 1e-3) / FWHM_PER_T0[problem.pulse.shape];
  return (1e-5 * t0 ** Number(beta[1])) / problem.fiber.lengthM;
}

function checkAgainstCentralDifferences(t: import('ava').ExecutionContext, problem: FiberProblem, exactZeros: readonly string[] = []): void {
  const { value, gradient, controls } = problemGradient(problem, { checkpoint: { schedule: 'store-all' } });
  t.is(value, problemValue(problem), 'the gradient run reports the forward value');
  const x = readControls(problem);
  controls.forEach((name, i) => {
    // Central differences at d, d/2 and d/4, twice Richardson-combined: truncation O(d⁶), so d can stay large against rounding.
    const d = name.startsWith('fiber.') ? step(name, x[i], problem) : 1e-5 * Math.max(Math.abs(x[i]), 1);
    const at = (offset: number) => problemValue(withControls(problem, x.map((v, j) => (j === i ? v + offset : v))));
    const central = (step: number) => (at(step) - at(-step)) / (2 * step);
    const [c1, c2, c4] = [central(d), central(d / 2), central(d / 4)];
    const fd = (16 * ((4 * c4 - c2) / 3) - (4 * c2 - c1) / 3) / 15;
    if (exactZeros.includes(name)) {
      // The objective does not depend on this control at all: both must be exactly zero.
      t.log(`${name}: adjoint ${gradient[i]}, central difference ${fd}`);
      t.true(gradient[i] === 0 && fd === 0, name);
      return;
    }
    const rel = Math.abs(fd - gradient[i]) / Math.abs(gradient[i]);
    t.log(`${name}: adjoint ${gradient[i].toExponential(6)}, central difference ${fd.toExponential(6)}, rel ${rel.toExponential(2)}`);
    t.true(rel < 1e-6, name);
  });
}

test('gradient w.r.t. chirp, power and width matches central differences (one mode, Raman, self-steepening, band energy)', (t) => {
  checkAgainstCentralDifferences(t, singleMode);
});

test('gradient w.r.t. mode coefficients, chirp and power matches central differences (three modes, target spectrum)', (t) => {
  checkAgainstCentralDifferences(t, threeModes);
});

/** Every kind of fiber control, with a pulse control between them to check the order. */
const singleModeFiber: FiberProblem = { ...singleMode, controls: ['fiber.gamma', 'pulse.gddFs2', 'fiber.lengthM', 'fiber.modes.0.betas', 'fiber.raman.fR'] };
const threeModesFiber: FiberProblem = {
  ...threeModes,
  controls: ['fiber.n2', 'fiber.lengthM', 'fiber.modes.0.betas', 'fiber.modes.1.betas', 'fiber.modes.2.betas.2', 'pulse.peakPowerW', 'fiber.raman.fR'],
};

test('gradient w.r.t. gamma, length, every beta and fR matches central differences (one mode, Raman, self-steepening, band energy)', (t) => {
  // With one mode, beta_0 and beta_1 only move the reference frame: the spec's D_1 holds neither.
  checkAgainstCentralDifferences(t, singleModeFiber, ['fiber.modes.0.betas.0', 'fiber.modes.0.betas.1']);
});

test('gradient w.r.t. n2, length, every beta and fR matches central differences (three modes, overlap, Lin-Agrawal, target spectrum)', (t) => {
  // The reference mode's beta_0 and beta_1 enter every other mode's D_p with a minus sign.
  checkAgainstCentralDifferences(t, threeModesFiber);
});

test("a mode listing fewer betas than the reference still moves against the reference's beta_1: gradient matches central differences", (t) => {
  const modes = [{ betas: [0, 0.02, -0.02] }, { betas: [3] }, { betas: [6, 0.1, -0.016] }];
  const problem: FiberProblem = { ...threeModes, fiber: { ...threeModes.fiber, modes }, controls: ['fiber.modes.0.betas.1', 'fiber.modes.1.betas.0', 'fiber.lengthM'] };
  checkAgainstCentralDifferences(t, problem);
});

test('fiber controls come out in the order listed, groups expanded in place', (t) => {
  const { controls, gradient } = problemGradient(threeModesFiber);
  t.deepEqual(controls, [
    'fiber.n2',
    'fiber.lengthM',
    ...[0, 1, 2].map((n) => `fiber.modes.0.betas.${n}`),
    ...[0, 1, 2, 3].map((n) => `fiber.modes.1.betas.${n}`),
    'fiber.modes.2.betas.2',
    'pulse.peakPowerW',
    'fiber.raman.fR',
  ]);
  t.is(gradient.length, controls.length);
});

for (const [name, problem] of [
  ['pulse controls', singleMode],
  ['fiber controls, one mode', singleModeFiber],
  ['fiber controls, three modes', threeModesFiber],
] as const) {
  test(`the revolve-checkpointed gradient equals the store-all one, with the optimal number of recomputed steps: ${name}`, (t) => {
    const steps = problem.fiber.steps;
    const stored = problemGradient(problem, { checkpoint: { schedule: 'store-all' } });
    const nonzero = stored.gradient.filter((g) => g !== 0);
    t.true(nonzero.length >= stored.gradient.length - 2);
    for (const snapshots of [3, 10]) {
      const checkpointed = problemGradient(problem, { checkpoint: { schedule: 'revolve', snapshots } });
      t.is(checkpointed.value, stored.value);
      const difference = Math.max(...checkpointed.gradient.map((g, i) => (g === stored.gradient[i] ? 0 : Math.abs(g - stored.gradient[i]) / Math.abs(stored.gradient[i]))));
      t.log(`revolve with ${snapshots} snapshots: ${checkpointed.counters.advances} advances, largest relative difference from store-all ${difference}`);
      t.true(difference <= 1e-10);
      t.is(checkpointed.counters.advances, optimalAdvances(steps, snapshots));
      t.is(checkpointed.counters.reverses, steps);
      t.true(checkpointed.counters.peakRamStates <= snapshots);
    }
    t.is(stored.counters.advances, steps - 1);
    t.is(stored.counters.peakRamStates, steps - 1); // x_0..x_{n-2} stored, x_{n-1} current at the turn
  });
}

test('determinismCheck reaches the fiber sweep: a backend whose recomputed steps differ is caught, a deterministic one passes', (t) => {
  const problem: FiberProblem = { ...singleMode, fiber: { ...singleMode.fiber, steps: 12 } };
  const checkpoint = { schedule: 'revolve', snapshots: 3, determinismCheck: true } as const;
  t.notThrows(() => problemGradient(problem, { checkpoint }));
  let calls = 0;
  const drifting = (model: FiberModel) => {
    const backend = new Float64Backend(model);
    const halfStep = backend.halfStep.bind(backend);
    // Every call differs a little, as a step reading a clock or an unseeded RNG would.
    backend.halfStep = (src, dst, adjoint) => {
      halfStep(src, dst, adjoint);
      if (!adjoint) dst[0] += 1e-9 * ++calls;
    };
    return backend;
  };
  t.throws(() => problemGradient(problem, { checkpoint, backend: drifting }), { instanceOf: DeterminismError });
  t.notThrows(() => problemGradient(problem, { checkpoint: { ...checkpoint, determinismCheck: false }, backend: drifting }), 'without the check nothing compares');
});
