/**
 * The gradient of each shipped example problem, in float64 on the JS backend:
 * revolve-checkpointed equals store-all to 1e-10, and both equal central finite
 * differences to 1e-6 relative. The problems run on reduced grids (finite
 * differences need several forward runs per control):
 *   - soliton fission and target shaping: the whole 0.15 m fiber, 512 points over
 *     1.5 ps (3 fs resolution) in 60 steps instead of 4096/12 ps/1500 and 2048/6 ps/600;
 *   - GRIN: all 10 modes, the seed's 50 µm steps and pulse, on the first 2 mm of fiber
 *     and 256 points over 1 ps; see tinyGrin for why its band is 1050–1100 nm there.
 */
import test from 'ava';
import { evaluateGradient, readControls, simulate, withControls, type FiberProblem } from '../../src/fiber/engine';
import { targetShaping } from '../../src/fiber/example-problems';
import { controlScaling } from '../../src/fiber/optimize/scaling';
import { tinyGrin, tinySoliton } from './helpers';

/**
 * d(loss)/du along `direction` by central differences at steps d and d/2, Richardson-
 * combined (truncation O(d⁴)), where x = x0 + u·scale: the optimizer's scaled units
 * (T0² for GDD, T0³ for TOD, x0 for power and width, ‖c‖ for mode coefficients), so
 * that one d = 1e-5 suits every control. Much larger TOD steps are not small at the
 * grid's edge, where Ω³/6 ~ 2e8 ps³.
 */
function centralDifference(problem: FiberProblem, direction: Float64Array, scales: readonly number[]): number {
  const x = readControls(problem);
  const at = (d: number) => simulate(withControls(problem, x.map((v, i) => v + d * direction[i] * scales[i])), { evolutionSpectra: 1 }).loss;
  const central = (d: number) => (at(d) - at(-d)) / (2 * d);
  const d = 1e-5;
  return (4 * central(d / 2) - central(d)) / 3;
}

for (const [name, build, checked] of [
  ['soliton fission (3 controls)', tinySoliton, [0, 1, 2]],
  ['target-spectrum shaping (3 controls)', () => targetShaping({ points: 512, windowPs: 1.5, steps: 60 }), [0, 1, 2]],
  ['10-mode GRIN (mode coefficients)', tinyGrin, [0, 1, 4, 7]],
] as const) {
  test(`example gradient: revolve equals store-all, and central differences: ${name}`, (t) => {
    const problem = build();
    const stored = evaluateGradient(problem, { schedule: 'store-all' });
    const revolve = evaluateGradient(problem, { schedule: 'revolve', snapshots: 3 });
    t.true(revolve.counters.advances > stored.counters.advances, 'revolve recomputes steps that store-all keeps');
    t.is(revolve.loss, stored.loss);
    const schedules = Math.max(...revolve.grad.map((g, i) => Math.abs(g - stored.grad[i]) / Math.abs(stored.grad[i])));
    t.log(`loss ${stored.loss.toExponential(4)}; revolve (3 snapshots, ${revolve.counters.advances} advances) vs store-all: largest relative difference ${schedules}`);
    t.true(schedules <= 1e-10);

    const scales = controlScaling(problem, stored.controls, readControls(problem)).scales.map((s) => s.scale);
    const check = (what: string, direction: Float64Array) => {
      // the adjoint's directional derivative in the same scaled units
      const predicted = stored.grad.reduce((sum, g, i) => sum + g * direction[i] * scales[i], 0);
      const fd = centralDifference(problem, direction, scales);
      const rel = Math.abs(fd - predicted) / Math.abs(predicted);
      t.log(`${what}: adjoint ${predicted.toExponential(8)}, central difference ${fd.toExponential(8)}, rel ${rel.toExponential(2)}`);
      t.true(rel < 1e-6, what);
    };
    for (const i of checked) check(stored.controls[i], Float64Array.from(stored.grad, (_, j) => (j === i ? 1 : 0)));
    if (checked.length < stored.controls.length) {
      // the controls not checked one by one, all at once along a fixed mixed direction
      check('every control along one direction', Float64Array.from(stored.grad, (_, j) => Math.sin(1 + 2.3 * j)));
    }
  });
}
