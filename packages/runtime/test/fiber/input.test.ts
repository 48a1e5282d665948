/** The input pulse of the spec: shapes, widths, power, mode weights and chirp. */
import test from 'ava';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
import { makeGrid } from '@adjoint/runtime/fiber/grid';
import { inputSpectrum } from '@adjoint/runtime/fiber/input';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import type { PulseSpec } from '@adjoint/runtime/fiber/problem';
import { propagate } from '@adjoint/runtime/fiber/simulate';
import { maxAbs, modulus, timeFields } from './helpers';

const N = 512;
const grid = makeGrid(N, 3, 1550);
const fft = new ComplexFft(N);
const pulse = (extra: Partial<PulseSpec>): PulseSpec => ({ shape: 'sech', fwhmFs: 150, peakPowerW: 400, modeCoefficients: [1], gddFs2: 0, todFs3: 0, ...extra });

test('the unchirped input is sqrt(P)·sech(t/T0) or sqrt(P)·exp(-t²/2T0²) on t_j = (j - N/2)·dt, with T0 = FWHM/1.7627 or /1.6651', (t) => {
  for (const [shape, t0, envelope] of [
    ['sech', 0.15 / 1.7627, (x: number) => 1 / Math.cosh(x)],
    ['gaussian', 0.15 / 1.6651, (x: number) => Math.exp(-0.5 * x * x)],
  ] as const) {
    const fields = timeFields(inputSpectrum(pulse({ shape }), grid, fft), N);
    const expected = new Float64Array(2 * N);
    for (let j = 0; j < N; j++) expected[2 * j] = Math.sqrt(400) * envelope(((j - N / 2) * grid.dt) / t0);
    t.true(maxAbs(fields.map((v, i) => v - expected[i])) < 1e-12 * Math.sqrt(400), shape);
    // the FWHM of |A|² is the one asked for
    const half = (x: number) => envelope(x) ** 2 - 0.5;
    let [low, high] = [0, 5];
    for (let i = 0; i < 60; i++) [low, high] = half((low + high) / 2) > 0 ? [(low + high) / 2, high] : [low, (low + high) / 2];
    t.true(Math.abs(2 * low * t0 * 1e3 - 150) < 0.01, `${shape}: FWHM ${2 * low * t0 * 1e3} fs`);
  }
});

test('mode p carries c_p/sqrt(Σ c_q²) of the pulse', (t) => {
  const coefficients = [3, -4, 0];
  const one = inputSpectrum(pulse({}), grid, fft);
  const three = inputSpectrum(pulse({ modeCoefficients: coefficients }), grid, fft);
  coefficients.forEach((c, p) => {
    const block = three.subarray(2 * p * N, 2 * (p + 1) * N);
    t.true(maxAbs(block.map((v, i) => v - (c / 5) * one[i])) <= 1e-15 * maxAbs(one), `mode ${p}`);
  });
});

test('input chirp is the operator of 1 m of fiber with beta2 = GDD and beta3 = TOD (positive GDD stretches like normal dispersion)', (t) => {
  const gddFs2 = 2000;
  const todFs3 = -30000;
  const chirped = inputSpectrum(pulse({ gddFs2, todFs3 }), grid, fft);
  const spec = { points: N, windowPs: 3, centerWavelengthNm: 1550 };
  const model = fiberModel(spec, { lengthM: 1, steps: 1, modes: [{ betas: [0, 0, gddFs2 * 1e-6, todFs3 * 1e-9] }], gamma: 0, raman: { model: 'none' }, selfSteepening: false });
  const propagated = propagate(model, inputSpectrum(pulse({}), grid, fft)).spectrum;
  t.true(maxAbs(chirped.map((v, i) => v - propagated[i])) < 1e-12 * maxAbs(chirped));
  // and GDD does stretch the pulse: 20000 fs² = 2.8·T0² lowers the peak amplitude by about 1/sqrt(2.9)
  const peak = (spectrum: Float64Array) => maxAbs(modulus(timeFields(spectrum, N)));
  t.true(peak(inputSpectrum(pulse({ gddFs2: 20000 }), grid, fft)) < 0.7 * peak(inputSpectrum(pulse({}), grid, fft)));
});
