import test from 'ava';
import { readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, problemValue } from '@adjoint/runtime/fiber/simulate';
import { optimalAdvances } from '@adjoint/runtime/schedules/index';
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

function checkAgainstCentralDifferences(t: import('ava').ExecutionContext, problem: FiberProblem): void {
  const { value, gradient, controls } = problemGradient(problem, { checkpoint: { schedule: 'store-all' } });
  t.is(value, problemValue(problem), 'the gradient run reports the forward value');
  const x = readControls(problem);
  controls.forEach((name, i) => {
    // Central differences at d and d/2, Richardson-combined: truncation O(d⁴), so d can stay large against rounding.
    const d = 1e-5 * Math.max(Math.abs(x[i]), 1);
    const at = (offset: number) => problemValue(withControls(problem, x.map((v, j) => (j === i ? v + offset : v))));
    const central = (step: number) => (at(step) - at(-step)) / (2 * step);
    const fd = (4 * central(d / 2) - central(d)) / 3;
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

test('the revolve-checkpointed gradient equals the store-all one, with the optimal number of recomputed steps', (t) => {
  const steps = singleMode.fiber.steps;
  const stored = problemGradient(singleMode, { checkpoint: { schedule: 'store-all' } });
  for (const snapshots of [3, 10]) {
    const checkpointed = problemGradient(singleMode, { checkpoint: { schedule: 'revolve', snapshots } });
    t.is(checkpointed.value, stored.value);
    const difference = Math.max(...checkpointed.gradient.map((g, i) => Math.abs(g - stored.gradient[i]) / Math.abs(stored.gradient[i])));
    t.log(`revolve with ${snapshots} snapshots: ${checkpointed.counters.advances} advances, largest relative difference from store-all ${difference}`);
    t.true(difference <= 1e-10);
    t.is(checkpointed.counters.advances, optimalAdvances(steps, snapshots));
    t.is(checkpointed.counters.reverses, steps);
    t.true(checkpointed.counters.peakRamStates <= snapshots);
  }
  t.is(stored.counters.advances, steps - 1);
  t.is(stored.counters.peakRamStates, steps - 1); // x_0..x_{n-2} stored, x_{n-1} current at the turn
});
