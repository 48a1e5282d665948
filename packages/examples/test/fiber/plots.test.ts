import test from 'ava';
import { makeGrid } from '@adjoint/runtime/fiber/grid';
import { simulate, type Simulation } from '../../src/fiber/engine';
import { spectralBinOmega, temporalBinTime } from '../../src/fiber/evolution';
import { decimate, EVOLUTION_COLUMNS, EVOLUTION_RANGE_DB, evolutionFigure, lossPlot, modeSum, renderPlots, simulationPlots, spectraPlot } from '../../src/fiber/plots';
import { targetShaping } from '../../src/fiber/example-problems';
import { checkWellFormedXml, decodePng, PNG_SIGNATURE, tinyGrin, tinySoliton } from './helpers';

test('decimate keeps at most the requested points, in order, and every bin\'s peak', (t) => {
  const points = Array.from({ length: 10000 }, (_, i) => [i, i === 4321 ? 100 : Math.sin(i)] as const);
  const thinned = decimate(points, 500);
  t.is(thinned.length, 500);
  t.true(thinned.every((p, i) => i === 0 || p[0] > thinned[i - 1][0]));
  t.true(thinned.some(([x, y]) => x === 4321 && y === 100));
  t.deepEqual(decimate([[1, 2], [3, 4]], 500), [[1, 2], [3, 4]]);
});

test('modeSum adds |field|² over modes', (t) => {
  // two modes, two points: (1+2i, 3), (0, i)
  t.deepEqual(Array.from(modeSum(Float64Array.of(1, 2, 3, 0, 0, 0, 0, 1), 2)), [5, 10]);
});

test('simulation plots are well-formed SVG, rasterise to PNG, and mark the objective band', async (t) => {
  const problem = tinySoliton();
  const plots = simulationPlots(problem, simulate(problem, { evolutionSpectra: 5 }));
  t.deepEqual(plots.map((p) => p.name), ['spectra', 'temporal', 'evolution']);
  for (const plot of plots) t.notThrows(() => checkWellFormedXml(plot.svg), plot.name);
  t.regex(plots[0].svg, /objective band/);
  t.regex(plots[0].svg, /wavelength \(nm\)/);
  t.regex(plots[1].svg, /intensity \(W\)/);
  // The evolution: two density maps, EVOLUTION_COLUMNS wide, a row per position (the input and 5 more).
  const maps = Array.from(plots[2].svg.matchAll(/<image class="density-map"[^>]*xlink:href="data:image\/png;base64,([^"]+)"/g), ([, data]) => decodePng(Buffer.from(data, 'base64')));
  t.deepEqual(maps.map((m) => [m.width, m.height]), [[EVOLUTION_COLUMNS, 6], [EVOLUTION_COLUMNS, 6]]);
  for (const label of ['wavelength (nm)', 'delay (ps)', 'distance z (m)', 'relative to peak (dB)', 'objective band']) t.true(plots[2].svg.includes(label), label);
  const files = await renderPlots(plots.slice(0, 1), 320);
  t.deepEqual(files.map((f) => f.name), ['spectra.svg', 'spectra.png']);
  t.deepEqual(Buffer.from(files[1].data as Uint8Array).subarray(0, 8), PNG_SIGNATURE);
});

test('a target-spectrum problem shows its target; multimode spectra sum the modes', (t) => {
  const target = targetShaping({ points: 512, windowPs: 1.5, steps: 60 });
  const run = simulate(target);
  const svg = spectraPlot(run.grid, [{ name: 'input', spectrum: run.input }], { title: 't', objective: target.objective });
  t.notThrows(() => checkWellFormedXml(svg));
  t.regex(svg, /target \(own max = 0 dB\)/);
  const grin = tinyGrin();
  t.notThrows(() => checkWellFormedXml(simulationPlots(grin, simulate(grin, { evolutionSpectra: 1 }))[1].svg));
});

/**
 * A simulation on 256 points whose evolution is given: three positions (z = 0, 0.5, 1 m) with two
 * lit spectral bins and two lit delay bins over a floor of -100 dB, one of each dimming along z.
 */
function knownEvolution(): { simulation: Simulation; lit: { spectral: [number, number]; temporal: [number, number] } } {
  const grid = makeGrid(256, 2, 1550);
  const lit = { spectral: [100, 150] as [number, number], temporal: [120, 140] as [number, number] };
  const rows = [0, 0.5, 1].map((z, i) => {
    const spectrum = new Float32Array(256).fill(-100);
    const intensity = new Float32Array(256).fill(-100);
    [spectrum[lit.spectral[0]], spectrum[lit.spectral[1]]] = [7 - 10 * i, 7 - 20]; // peak 7 dB: levels are relative to it
    [intensity[lit.temporal[0]], intensity[lit.temporal[1]]] = [-3 - 10 * i, -3 - 30];
    return { z, spectrum, intensity };
  });
  const none = new Float64Array(0);
  return { simulation: { loss: 0, grid, modes: 1, input: none, output: none, evolution: { group: 1, rows } }, lit };
}

test('evolution maps: the range where levels come within the dynamic range, padded 5%; lit bins land in their columns; z interpolated', (t) => {
  const { simulation, lit } = knownEvolution();
  const { grid } = simulation;
  const figure = evolutionFigure(simulation, 'known');
  t.is(figure.rangeDb, EVOLUTION_RANGE_DB);
  t.deepEqual(figure.y, [0, 1]);
  const [spectral, temporal] = figure.panels;
  t.is(spectral.title, 'spectrum');
  const wavelength = (omega: number) => (grid.centerWavelengthNm * grid.omega0) / (grid.omega0 + omega);
  const omegas = spectralBinOmega(grid, 1);
  const [short, long] = [wavelength(omegas[lit.spectral[1]]), wavelength(omegas[lit.spectral[0]])];
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  t.true(close(spectral.x[0], short - 0.05 * (long - short)) && close(spectral.x[1], long + 0.05 * (long - short)), `${spectral.x}`);
  const times = temporalBinTime(grid, 1);
  const [early, late] = [times[lit.temporal[0]], times[lit.temporal[1]]];
  t.true(close(temporal.x[0], early - 0.05 * (late - early)) && close(temporal.x[1], late + 0.05 * (late - early)), `${temporal.x}`);

  const column = (x: readonly [number, number], v: number) => Math.floor(((v - x[0]) / (x[1] - x[0])) * EVOLUTION_COLUMNS);
  const level = (panel: typeof spectral, row: number, c: number) => panel.levels[row * panel.columns + c];
  // Image rows sit at z = 1/6, 1/2, 5/6: between the saved positions, levels are interpolated linearly.
  const [dimming, steady] = [column(spectral.x, long), column(spectral.x, short)];
  t.deepEqual([0, 1, 2].map((r) => Number(level(spectral, r, dimming).toFixed(4))), [-3.3333, -10, -16.6667]);
  t.deepEqual([0, 1, 2].map((r) => level(spectral, r, steady)), [-20, -20, -20]);
  t.deepEqual([0, 1, 2].map((r) => Number(level(temporal, r, column(temporal.x, early)).toFixed(4))), [-3.3333, -10, -16.6667]);
  t.deepEqual([0, 1, 2].map((r) => level(temporal, r, column(temporal.x, late))), [-30, -30, -30]);
  // Far from the lit bins: the floor, never below it.
  t.is(level(spectral, 1, 0), -EVOLUTION_RANGE_DB);
  t.true(spectral.levels.every((v) => v >= -EVOLUTION_RANGE_DB && v <= 0) && temporal.levels.every((v) => v >= -EVOLUTION_RANGE_DB && v <= 0));
});

test('evolution maps widen to show the objective\'s marks', (t) => {
  const { simulation } = knownEvolution();
  const figure = evolutionFigure(simulation, 'known', { kind: 'targetSpectrum', centerNm: 2000, fwhmNm: 40 });
  t.deepEqual(figure.panels[0].marks, { at: [1980, 2020], label: 'target FWHM' });
  t.true(figure.panels[0].x[1] > 2020);
});

test('the loss plot has one point per evaluation and says the direction', (t) => {
  const svg = lossPlot([0.1, 0.2, 0.25], 'bandEnergyFraction', 'maximize');
  t.notThrows(() => checkWellFormedXml(svg));
  t.is(svg.match(/<circle /g)?.length, 3 + 1); // three points and the legend marker
  t.regex(svg, /bandEnergyFraction \(maximized\)/);
});

test('a propagation that diverges is an error that says what to change, not a plot of NaN', (t) => {
  t.throws(() => simulate(targetShaping({ points: 512, windowPs: 1.5, steps: 5 })), { message: /the propagation diverged: .* use more fiber\.steps than 5/ });
});
