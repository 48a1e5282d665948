/** The Raman response of the spec: its sampling, normalisation, default fractions and first moment. */
import test from 'ava';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import type { FiberSpec } from '@adjoint/runtime/fiber/problem';
import { blowWoodDelay, ramanDelay, ramanResponse } from '@adjoint/runtime/fiber/raman';

// The spec's constants, in ps, written out here rather than taken from raman.ts.
const tau1 = 0.0122;
const tau2 = 0.032;
const tauB = 0.096;
const blowWood = (t: number) => ((tau1 ** 2 + tau2 ** 2) / (tau1 * tau2 ** 2)) * Math.exp(-t / tau2) * Math.sin(t / tau1);
const boson = (t: number) => ((2 * tauB - t) / tauB ** 2) * Math.exp(-t / tauB);
const linAgrawal = (t: number) => (0.75 + 0.04) * blowWood(t) + 0.21 * boson(t);

test('h is the spec formula on lags 0..N/2-1, zero on the negative lags, with dt·Σh = 1', (t) => {
  const N = 1024;
  const dt = 0.002;
  for (const [model, formula] of [
    ['blow-wood', blowWood],
    ['lin-agrawal', linAgrawal],
  ] as const) {
    const h = ramanResponse(model, N, dt);
    t.is(h.length, N);
    t.true(h.subarray(N / 2).every((v) => v === 0), `${model}: negative lags are zero`);
    t.true(Math.abs(dt * h.reduce((sum, v) => sum + v, 0) - 1) < 1e-12, `${model}: normalised`);
    // one scale factor maps the formula onto every sample
    const scale = h[10] / formula(10 * dt);
    for (let k = 1; k < N / 2; k++) t.true(Math.abs(h[k] - scale * formula(k * dt)) <= 1e-12 * Math.abs(h[10]), `${model}: h[${k}]`);
  }
});

test("Lin-Agrawal's first moment: the Blow-Wood delay weighted by fa + fc, the boson peak adding none", (t) => {
  // ∫t·h_b dt = 0 for h_b = (2τb - t)/τb²·exp(-t/τb), so T_R = fR·(fa + fc)·2τ1²τ2/(τ1² + τ2²).
  // Sampled at 0.25 fs over lags up to 2 ps (21 τb), the rectangle rule is within 1e-3 of it;
  // a boson term of the wrong shape or weight, or fa alone, moves it by percents.
  const dt = 0.00025;
  const h = ramanResponse('lin-agrawal', 16384, dt);
  const expected = 0.79 * blowWoodDelay(0.245);
  const sampled = ramanDelay(h, dt, 0.245);
  t.log(`T_R = ${(sampled * 1e3).toFixed(4)} fs sampled, ${(expected * 1e3).toFixed(4)} fs analytic`);
  t.true(Math.abs(sampled / expected - 1) < 1e-3);
  t.true(Math.abs(ramanDelay(ramanResponse('blow-wood', 16384, dt), dt, 0.18) / blowWoodDelay(0.18) - 1) < 1e-4);
});

test('fR defaults to 0.18 (Blow-Wood) and 0.245 (Lin-Agrawal), is 0 with "none", and a given fR wins', (t) => {
  const grid = { points: 256, windowPs: 2, centerWavelengthNm: 1550 };
  const fiber = (raman: FiberSpec['raman']): FiberSpec => ({ lengthM: 0.1, steps: 10, modes: [{ betas: [0, 0, -0.02] }], gamma: 0.01, raman, selfSteepening: false });
  t.is(fiberModel(grid, fiber({ model: 'blow-wood' })).ramanFraction, 0.18);
  t.is(fiberModel(grid, fiber({ model: 'lin-agrawal' })).ramanFraction, 0.245);
  const none = fiberModel(grid, fiber({ model: 'none' }));
  t.is(none.ramanFraction, 0);
  t.is(none.ramanResponse, null);
  t.is(fiberModel(grid, fiber({ model: 'lin-agrawal', fR: 0.2 })).ramanFraction, 0.2);
});
