import test from 'ava';
import { simulate } from '../../src/fiber/engine';
import { decimate, lossPlot, modeSum, renderPlots, simulationPlots, spectraPlot } from '../../src/fiber/plots';
import { targetShaping } from '../../src/fiber/example-problems';
import { checkWellFormedXml, PNG_SIGNATURE, tinyGrin, tinySoliton } from './helpers';

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
  t.is(plots[2].svg.match(/class="legend"/g)?.length, 6); // input + 5 saved positions
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

test('the loss plot has one point per evaluation and says the direction', (t) => {
  const svg = lossPlot([0.1, 0.2, 0.25], 'bandEnergyFraction', 'maximize');
  t.notThrows(() => checkWellFormedXml(svg));
  t.is(svg.match(/<circle /g)?.length, 3 + 1); // three points and the legend marker
  t.regex(svg, /bandEnergyFraction \(maximized\)/);
});

test('a propagation that diverges is an error that says what to change, not a plot of NaN', (t) => {
  t.throws(() => simulate(targetShaping({ points: 512, windowPs: 1.5, steps: 5 })), { message: /the propagation diverged: .* use more fiber\.steps than 5/ });
});
