/** Propagation checks with known answers (shared/ANCHORS.md, GMMNLSE). */
import test from 'ava';
import type { FiberSpec, GridSpec } from '@adjoint/runtime/fiber/problem';
import { ramanDelay, blowWoodDelay } from '@adjoint/runtime/fiber/raman';
import { propagate } from '@adjoint/runtime/fiber/simulate';
import { energy, maxAbs, modulus, photonNumber, random, randomSymmetricOverlap, setUp, timeFields } from './helpers';

const beta2 = -0.02; // ps²/m
const gamma = 0.01; // 1/(W m)
const SECH_FWHM = 1.7627;

function soliton(order: number, fwhmFs: number) {
  const T0 = (fwhmFs * 1e-3) / SECH_FWHM;
  const LD = (T0 * T0) / Math.abs(beta2);
  return { T0, LD, z0: (Math.PI / 2) * LD, P0: (order * order * Math.abs(beta2)) / (gamma * T0 * T0) };
}

function singleMode(lengthM: number, steps: number, betas: number[], extra: Partial<FiberSpec> = {}): FiberSpec {
  return { lengthM, steps, modes: [{ betas }], gamma, raman: { model: 'none' }, selfSteepening: false, ...extra };
}

const solitonGrid: GridSpec = { points: 1024, windowPs: 3, centerWavelengthNm: 1550 };

test('a fundamental soliton returns to its shape after z0, with phase z0/(2·L_D)', (t) => {
  const { z0, P0, LD } = soliton(1, 100);
  const { model, spectrum0 } = setUp(solitonGrid, singleMode(z0, 200, [0, 0, beta2]), { fwhmFs: 100, peakPowerW: P0 });
  const input = timeFields(spectrum0, 1024);
  const output = timeFields(propagate(model, spectrum0).spectrum, 1024);
  // u(z, t) = sqrt(P0)·sech(t/T0)·exp(i·z/(2·L_D))
  const phase = z0 / (2 * LD);
  const expected = input.map((_, i) => (i % 2 === 0 ? input[i] * Math.cos(phase) - input[i + 1] * Math.sin(phase) : input[i - 1] * Math.sin(phase) + input[i] * Math.cos(phase)));
  const error = maxAbs(output.map((v, i) => v - expected[i])) / Math.sqrt(P0);
  t.log(`fundamental soliton after z0: max |A - A_expected|/sqrt(P0) = ${error.toExponential(2)}`);
  t.true(error < 1e-6);
});

for (const [order, steps, tolerance] of [
  [2, 400, 1e-5],
  [3, 800, 1e-4],
] as const) {
  test(`an N = ${order} soliton recurs at z0 and differs from its input halfway`, (t) => {
    const { z0, P0 } = soliton(order, 100);
    const { model, spectrum0 } = setUp(solitonGrid, singleMode(z0, steps, [0, 0, beta2]), { fwhmFs: 100, peakPowerW: P0 });
    const result = propagate(model, spectrum0, { saveEvery: steps / 2 });
    const input = modulus(timeFields(spectrum0, 1024));
    const deviation = (spectrum: Float64Array) => maxAbs(modulus(timeFields(spectrum, 1024)).map((v, j) => v - input[j])) / Math.sqrt(P0);
    const halfway = deviation(result.saved[1].spectrum);
    const recurrence = deviation(result.spectrum);
    t.log(`N = ${order}: max ||A(z0)| - |A(0)||/sqrt(P0) = ${recurrence.toExponential(2)} (halfway: ${halfway.toFixed(2)})`);
    t.true(halfway > 0.3);
    t.true(recurrence < tolerance);
  });
}

test('a Gaussian under dispersion alone widens as T0·sqrt(1 + (z/L_D)²)', (t) => {
  const fwhmFs = 100;
  const T0 = (fwhmFs * 1e-3) / 1.6651;
  const LD = (T0 * T0) / Math.abs(beta2);
  const grid: GridSpec = { points: 1024, windowPs: 4, centerWavelengthNm: 1550 };
  const { model, spectrum0 } = setUp(grid, singleMode(2 * LD, 8, [0, 0, beta2], { gamma: 0 }), { shape: 'gaussian', fwhmFs, peakPowerW: 1 });
  const result = propagate(model, spectrum0, { saveEvery: 4 });
  for (const { z, spectrum } of result.saved) {
    const intensity = modulus(timeFields(spectrum, 1024)).map((a) => a * a);
    let total = 0;
    let second = 0;
    intensity.forEach((p, j) => {
      total += p;
      second += p * model.grid.t[j] ** 2;
    });
    // |A|² ∝ exp(-t²/T(z)²) has rms width T(z)/sqrt(2)
    const width = Math.sqrt((2 * second) / total);
    const expected = T0 * Math.sqrt(1 + (z / LD) ** 2);
    t.log(`z = ${(z / LD).toFixed(1)}·L_D: width ${width.toFixed(6)} ps, expected ${expected.toFixed(6)} ps`);
    t.true(Math.abs(width - expected) / expected < 1e-9);
  }
});

test('SPM alone gives peak phase gamma·P0·L and leaves |A| alone', (t) => {
  const P0 = 100;
  const L = 3 / (gamma * P0); // 3 rad of peak nonlinear phase
  const grid: GridSpec = { points: 256, windowPs: 4, centerWavelengthNm: 1550 };
  const { model, spectrum0 } = setUp(grid, singleMode(L, 200, [0]), { fwhmFs: 200, peakPowerW: P0 });
  const input = timeFields(spectrum0, 256);
  const output = timeFields(propagate(model, spectrum0).spectrum, 256);
  const amplitudeError = maxAbs(modulus(output).map((a, j) => a - modulus(input)[j])) / Math.sqrt(P0);
  const peak = 128; // t = 0
  const phase = Math.atan2(output[2 * peak + 1], output[2 * peak]) - Math.atan2(input[2 * peak + 1], input[2 * peak]);
  t.log(`SPM: peak phase ${phase.toFixed(9)} rad (expected 3), amplitude error ${amplitudeError.toExponential(2)}`);
  t.true(Math.abs(phase - gamma * P0 * L) < 1e-7);
  t.true(amplitudeError < 1e-9);
});

/**
 * RK4IP conserves energy and photon number only up to its truncation error, so these
 * checks also halve the step and require the drift to fall at fourth order or faster.
 */
function driftAndOrder(drift: (steps: number) => number, steps: number): { fine: number; ratio: number } {
  const fine = drift(2 * steps);
  return { fine, ratio: drift(steps) / fine };
}

test('without Raman and self-steepening energy is conserved while the spectrum changes', (t) => {
  const { z0, P0 } = soliton(2, 100);
  const grid: GridSpec = { points: 512, windowPs: 3, centerWavelengthNm: 1550 };
  let changed = 0;
  const { fine, ratio } = driftAndOrder((steps) => {
    // Halfway to z0, where the N = 2 soliton is furthest from its input.
    const { model, spectrum0 } = setUp(grid, singleMode(z0 / 2, steps, [0, 0, beta2, 1e-4]), { fwhmFs: 100, peakPowerW: P0, gddFs2: 200 });
    const output = propagate(model, spectrum0).spectrum;
    changed = maxAbs(modulus(output).map((a, k) => a - modulus(spectrum0)[k])) / maxAbs(modulus(spectrum0));
    return Math.abs(energy(output) / energy(spectrum0) - 1);
  }, 200);
  t.log(`relative energy drift ${fine.toExponential(2)} (400 steps), ${ratio.toFixed(1)}x smaller than with 200; spectrum changed by ${(changed * 100).toFixed(0)}%`);
  t.true(fine < 1e-7);
  t.true(ratio > 16);
  t.true(changed > 0.1);
});

test('with self-steepening and Raman the photon number is conserved while energy is not', (t) => {
  const { z0, P0 } = soliton(2, 100);
  const grid: GridSpec = { points: 1024, windowPs: 4, centerWavelengthNm: 1550 };
  let energyChange = 0;
  const { fine, ratio } = driftAndOrder((steps) => {
    const { model, spectrum0 } = setUp(grid, singleMode(z0, steps, [0, 0, beta2], { raman: { model: 'blow-wood' }, selfSteepening: true }), { fwhmFs: 100, peakPowerW: P0 });
    const output = propagate(model, spectrum0).spectrum;
    energyChange = Math.abs(energy(output) / energy(spectrum0) - 1);
    return Math.abs(photonNumber(output, model) / photonNumber(spectrum0, model) - 1);
  }, 200);
  t.log(`photon number drift ${fine.toExponential(2)} (400 steps), ${ratio.toFixed(1)}x smaller than with 200; energy change ${energyChange.toExponential(2)}`);
  t.true(fine < 1e-7);
  t.true(ratio > 16);
  t.true(energyChange > 1e-2);
});

test("the Raman soliton self-frequency shift follows Gordon's rate", (t) => {
  // Gordon's -8·T_R·|beta2|/(15·T0⁴) is the T0 → ∞ limit; the Raman gain's curvature
  // adds a relative c/T0². Two widths check both the 1% agreement and the limit.
  const grid: GridSpec = { points: 4096, windowPs: 8, centerWavelengthNm: 1550 };
  const ratios = [300, 400].map((T0fs) => {
    const fwhmFs = T0fs * SECH_FWHM;
    const { T0, LD, P0 } = soliton(1, fwhmFs);
    const steps = 20;
    const { model, spectrum0 } = setUp(grid, singleMode(0.1 * LD, steps, [0, 0, beta2], { raman: { model: 'blow-wood' } }), { fwhmFs, peakPowerW: P0 });
    const output = propagate(model, spectrum0).spectrum;
    let first = 0;
    for (let k = 0; k < grid.points; k++) first += (output[2 * k] ** 2 + output[2 * k + 1] ** 2) * model.grid.omega[k];
    const rate = first / energy(output) / (0.1 * LD);
    const gordon = (TR: number) => (-8 * TR * Math.abs(beta2)) / (15 * T0 ** 4);
    const analytic = rate / gordon(blowWoodDelay(0.18));
    const sampled = rate / gordon(ramanDelay(model.ramanResponse!, model.grid.dt, 0.18));
    t.log(`T0 = ${T0fs} fs: dOmega/dz = ${rate.toExponential(4)} rad/ps/m, ${((analytic - 1) * 100).toFixed(2)}% from Gordon (analytic T_R), ${((sampled - 1) * 100).toFixed(2)}% (sampled h)`);
    t.true(Math.abs(analytic - 1) < 0.01);
    return sampled;
  });
  const limit = (16 * ratios[1] - 9 * ratios[0]) / 7; // Richardson in 1/T0²
  t.log(`extrapolated to T0 → ∞: ${((limit - 1) * 100).toFixed(4)}% from Gordon`);
  t.true(Math.abs(limit - 1) < 1e-3);
});

test('three coupled modes with a random symmetric S conserve energy, and photon number with Raman and self-steepening', (t) => {
  const grid: GridSpec = { points: 256, windowPs: 3, centerWavelengthNm: 1550 };
  const fiber = (raman: boolean): FiberSpec => ({
    lengthM: 0.3,
    steps: 200,
    modes: [{ betas: [0, 0, -0.02] }, { betas: [2, 0.005, -0.018, 1e-4] }, { betas: [-1, -0.004, -0.022] }],
    n2: 2.3e-20,
    overlap: randomSymmetricOverlap(3, random(11)),
    raman: { model: raman ? 'blow-wood' : 'none' },
    selfSteepening: raman,
  });
  for (const raman of [false, true]) {
    const { model, spectrum0 } = setUp(grid, fiber(raman), { fwhmFs: 100, peakPowerW: 3000, modeCoefficients: [1, 0.6, 0.3] });
    const output = propagate(model, spectrum0).spectrum;
    const N = grid.points;
    const modeEnergy = (s: Float64Array, p: number) => energy(s.subarray(2 * p * N, 2 * (p + 1) * N));
    const exchanged = Math.max(...[0, 1, 2].map((p) => Math.abs(modeEnergy(output, p) / modeEnergy(spectrum0, p) - 1)));
    const drift = raman ? Math.abs(photonNumber(output, model) / photonNumber(spectrum0, model) - 1) : Math.abs(energy(output) / energy(spectrum0) - 1);
    t.log(`${raman ? 'photon number' : 'energy'} drift ${drift.toExponential(2)}; largest per-mode energy change ${(exchanged * 100).toFixed(1)}%`);
    t.true(exchanged > 0.01, 'the modes exchange energy');
    t.true(drift < 1e-8);
  }
});
