/** Objective values of the spec on spectra built by hand (their adjoints are checked by the gradient tests). */
import test from 'ava';
import { makeGrid } from '@adjoint/runtime/fiber/grid';
import { bandEnergyFraction, gaussianTarget, targetSpectrum } from '@adjoint/runtime/fiber/objective';

const N = 64;
const grid = makeGrid(N, 0.5, 1550);
const wavelength = (k: number) => (2 * Math.PI * 299792.458) / (grid.omega0 + (2 * Math.PI * (k < N / 2 ? k : k - N)) / 0.5);

/** Two modes; |Â_pk|² = power(p, k), with phases that must not matter. */
function spectrum(power: (p: number, k: number) => number): Float64Array {
  const out = new Float64Array(2 * 2 * N);
  for (let p = 0; p < 2; p++)
    for (let k = 0; k < N; k++) {
      const amplitude = Math.sqrt(power(p, k));
      out[2 * (p * N + k)] = amplitude * Math.cos(0.7 * k + p);
      out[2 * (p * N + k) + 1] = amplitude * Math.sin(0.7 * k + p);
    }
  return out;
}

test('bandEnergyFraction: the energy at grid wavelengths inside [low, high] (ends included) over all energy; "modes" restricts the numerator', (t) => {
  const power = (p: number, k: number) => (p + 1) * (1 + k);
  const fields = spectrum(power);
  // the band's ends are grid wavelengths themselves, so inclusion at both ends matters
  const [low, high] = [wavelength(3), wavelength(-6 + N)].sort((a, b) => a - b);
  const inBand = [0, 0];
  let total = 0;
  for (let p = 0; p < 2; p++)
    for (let k = 0; k < N; k++) {
      total += power(p, k);
      if (wavelength(k) >= low && wavelength(k) <= high) inBand[p] += power(p, k);
    }
  t.true(Math.abs(bandEnergyFraction(fields, grid, [low, high]).value - (inBand[0] + inBand[1]) / total) < 1e-15);
  t.true(Math.abs(bandEnergyFraction(fields, grid, [low, high], [1]).value - inBand[1] / total) < 1e-15);
  // 10 grid points: k = 0..3 and k = -6..-1
  t.is(grid.wavelengthNm.filter((w) => w >= low && w <= high).length, 10);
});

test('gaussianTarget is 1 at the center and 1/2 half a FWHM away, in wavelength', (t) => {
  const target = gaussianTarget(grid, 1550, 40);
  grid.wavelengthNm.forEach((w, k) => t.true(Math.abs(target[k] - 2 ** -(((w - 1550) / 20) ** 2)) < 1e-15));
});

test('targetSpectrum: mean over k of (mode-summed spectrum / its max - target)²', (t) => {
  // centred on a grid wavelength, so that the target's own maximum on the grid is 1
  const center = grid.wavelengthNm[2];
  const target = gaussianTarget(grid, center, 30);
  // a spectrum equal to 3·target, split over the modes: normalised, it is the target
  t.true(targetSpectrum(spectrum((p, k) => (p === 0 ? 1 : 2) * target[k]), grid, center, 30).value < 1e-30);
  // all energy at one frequency: S = 1 there and 0 elsewhere
  const peak = 5;
  let expected = 0;
  for (let k = 0; k < N; k++) expected += ((k === peak ? 1 : 0) - target[k]) ** 2 / N;
  const value = targetSpectrum(spectrum((p, k) => (k === peak ? 2 + p : 0)), grid, center, 30).value;
  t.true(Math.abs(value - expected) < 1e-15, `${value} vs ${expected}`);
});
