import test from 'ava';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
import { makeGrid } from '@adjoint/runtime/fiber/grid';
import { simulate } from '../../src/fiber/engine';
import { binGroup, EvolutionRecorder, MAX_EVOLUTION_BINS, spectralBinOmega, temporalBinTime } from '../../src/fiber/evolution';
import { tinyGrin, tinySoliton } from './helpers';

const recorderFor = (points: number) => {
  const fft = new ComplexFft(points);
  return new EvolutionRecorder(points, (spectrum, field) => fft.negative(spectrum, field));
};

/** Two modes on 8 points: mode 0 has 3 at Omega index 1 and 4i at index -2; mode 1 has 2 at index 0. */
function twoModeSpectrum(): Float64Array {
  const spectrum = new Float64Array(2 * 2 * 8);
  spectrum[2 * 1] = 3; // mode 0, k = 1
  spectrum[2 * 6 + 1] = 4; // mode 0, k = 6 (fftfreq -2)
  spectrum[16 + 2 * 0] = 2; // mode 1, k = 0
  return spectrum;
}

test('a recorded position is the mode-summed power spectrum in frequency order and the mode-summed intensity, in dB', (t) => {
  const recorder = recorderFor(8);
  recorder.record(0.25, twoModeSpectrum());
  const [row] = recorder.finish().rows;
  t.is(row.z, 0.25);
  // frequency order: k = 4, 5, 6, 7, 0, 1, 2, 3 (fftfreq -4 .. 3)
  const db = (p: number) => Math.fround(10 * Math.log10(p));
  t.deepEqual(Array.from(row.spectrum), [-Infinity, -Infinity, db(16), -Infinity, db(4), db(9), -Infinity, -Infinity]);
  // Mode 0 in time, from the transform's definition: A_0(t_j) = 3·e^{-2πi·j/8} + 4i·e^{-2πi·6j/8}; mode 1 adds |2|².
  for (let j = 0; j < 8; j++) {
    const phase1 = (-2 * Math.PI * j * 1) / 8;
    const phase6 = (-2 * Math.PI * j * 6) / 8;
    const re = 3 * Math.cos(phase1) - 4 * Math.sin(phase6);
    const im = 3 * Math.sin(phase1) + 4 * Math.cos(phase6);
    t.true(Math.abs(row.intensity[j] - 10 * Math.log10(re * re + im * im + 4)) < 1e-5, `t index ${j}`);
  }
});

test('grids wider than MAX_EVOLUTION_BINS points are averaged into bins; bins and their centres line up', (t) => {
  const points = 4 * MAX_EVOLUTION_BINS;
  t.is(binGroup(points), 4);
  t.is(binGroup(MAX_EVOLUTION_BINS), 1);
  const spectrum = new Float64Array(2 * points);
  spectrum[2 * 3] = 2; // k = 3: fftfreq 3, frequency-order index points/2 + 3, bin points/8
  const recorder = recorderFor(points);
  recorder.record(0, spectrum);
  const [row] = recorder.finish().rows;
  t.is(row.spectrum.length, MAX_EVOLUTION_BINS);
  t.is(row.spectrum[points / 8], Math.fround(10 * Math.log10(4 / 4)));
  t.is(row.spectrum.filter(Number.isFinite).length, 1);
  // A single line is flat in time: |2|² everywhere, so every delay bin holds 10·log10(4).
  t.true(row.intensity.every((v) => Math.abs(v - 10 * Math.log10(4)) < 1e-5));
  const grid = makeGrid(points, 20, 1550);
  const omegas = spectralBinOmega(grid, 4);
  t.is(omegas[points / 8], (grid.omega[3] + grid.omega[2] + grid.omega[1] + grid.omega[0]) / 4);
  const times = temporalBinTime(grid, 4);
  t.is(times.length, MAX_EVOLUTION_BINS);
  t.true(times.every((v, b) => b === 0 || v > times[b - 1]));
  t.true(omegas.every((v, b) => b === 0 || v > omegas[b - 1]));
});

test('a saved position of the 10-mode 2^14-point GRIN grid holds 16 KiB of levels, not 2.5 MiB of fields', (t) => {
  const points = 2 ** 14;
  const modes = 10;
  const recorder = recorderFor(points);
  const spectrum = Float64Array.from({ length: 2 * modes * points }, (_, i) => Math.sin(i));
  recorder.record(0, spectrum);
  recorder.record(0.05, spectrum);
  const { rows, group } = recorder.finish();
  t.is(group, 8);
  for (const row of rows) t.is(row.spectrum.byteLength + row.intensity.byteLength, 2 * MAX_EVOLUTION_BINS * 4);
  t.is(2 * MAX_EVOLUTION_BINS * 4, 16384);
  t.is(spectrum.byteLength, 2_621_440);
});

test('recordings refuse spectra that are not whole modes of the grid', (t) => {
  t.throws(() => recorderFor(8).record(0, new Float64Array(10)), { message: 'EvolutionRecorder: 10 numbers are not whole modes of 8 complex points' });
});

/** Every typed array reachable from `value`, once each. */
function typedArrays(value: unknown, seen = new Set<unknown>()): ArrayBufferView[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (ArrayBuffer.isView(value)) return [value];
  return Object.values(value).flatMap((v) => typedArrays(v, seen));
}

test('a simulation holds the grid, input and output fields and the evolution levels, and nothing else: bytes counted', (t) => {
  const problem = tinyGrin(); // 10 modes, 256 points, 40 steps
  const simulation = simulate(problem); // default: a position per step here, 41 in all
  t.is(simulation.evolution.rows.length, 41);
  const bytes = typedArrays(simulation).reduce((sum, a) => sum + a.byteLength, 0);
  const grid = 3 * 256 * 8; // t, omega, wavelengths
  const fields = 2 * (2 * 10 * 256 * 8); // input and output
  const levels = 41 * 2 * 256 * 4; // per position: spectrum and intensity, float32, one bin per point
  t.is(bytes, grid + fields + levels);
});

test('positions: the input, every saveEvery-th step and the output, at their z', (t) => {
  const problem = tinySoliton(); // 60 steps over 0.15 m
  const rows = simulate(problem, { evolutionSpectra: 7 }).evolution.rows; // every ceil(60/7) = 9 steps
  const h = 0.15 / 60;
  t.deepEqual(rows.map((r) => Math.round(r.z / h)), [0, 9, 18, 27, 36, 45, 54, 60]);
  t.true(Math.abs(rows[rows.length - 1].z - 0.15) < 1e-12);
  t.is(simulate(problem).evolution.rows.length, 61);
});
