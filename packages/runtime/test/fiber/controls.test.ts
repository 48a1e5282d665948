import test from 'ava';
import { controlGradient, expandControls, readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { parseProblem } from '@adjoint/runtime/fiber/problem';

const problem = parseProblem({
  version: 1,
  grid: { points: 64, windowPs: 2, centerWavelengthNm: 1550 },
  fiber: { lengthM: 0.5, steps: 10, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'lin-agrawal' }, selfSteepening: true },
  pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 2000, modeCoefficients: [1] },
  controls: ['fiber.modes.0.betas', 'pulse.peakPowerW', 'fiber.raman.fR', 'fiber.gamma', 'fiber.lengthM'],
  objective: { kind: 'bandEnergyFraction', bandNm: [1560, 1700] },
});

test('group paths expand in place; values are read in that order, fR at the model default when the file gives none', (t) => {
  t.deepEqual(expandControls(problem.controls, problem.fiber), [
    'fiber.modes.0.betas.0',
    'fiber.modes.0.betas.1',
    'fiber.modes.0.betas.2',
    'fiber.modes.0.betas.3',
    'pulse.peakPowerW',
    'fiber.raman.fR',
    'fiber.gamma',
    'fiber.lengthM',
  ]);
  t.deepEqual(Array.from(readControls(problem)), [0, 0, -0.02, 1e-4, 2000, 0.245, 0.01, 0.5]);
});

test('withControls writes fiber keys into a copy and leaves the problem alone', (t) => {
  const values = [1, 2, 3, 4, 5, 0.3, 0.02, 0.25];
  const changed = withControls(problem, values);
  t.deepEqual(Array.from(readControls(changed)), values);
  t.deepEqual(changed.fiber.modes[0].betas, [1, 2, 3, 4]);
  t.deepEqual(changed.fiber.raman, { model: 'lin-agrawal', fR: 0.3 });
  t.deepEqual(parseProblem(changed).controls, problem.controls, 'the copy is a valid problem');
  t.deepEqual(problem.fiber.modes[0].betas, [0, 0, -0.02, 1e-4]);
  t.is(problem.fiber.raman.fR, undefined);
  t.is(problem.fiber.gamma, 0.01);
  t.throws(() => withControls(problem, [1, 2]), { message: /^withControls: 8 controls \(fiber\.modes\.0\.betas\.0, .*\) but 2 values$/ });
});

test('controlGradient takes fiber controls from the sweep, and says so when it was not given one', (t) => {
  const pulse = { gddFs2: 0, todFs3: 0, peakPowerW: 7, fwhmFs: 0, modeCoefficients: Float64Array.of(0) };
  const fiberGradient = (p: { kind: string }) => (p.kind === 'beta' ? 1 : p.kind === 'gamma' ? 2 : 3);
  t.deepEqual(Array.from(controlGradient(pulse, problem.controls, problem.fiber, fiberGradient)), [1, 1, 1, 1, 7, 3, 2, 3]);
  t.deepEqual(Array.from(controlGradient(pulse, ['pulse.peakPowerW'], problem.fiber)), [7]);
  t.throws(() => controlGradient(pulse, problem.controls, problem.fiber), { message: /"fiber\.modes\.0\.betas\.0" is a fiber control; its gradient comes from the sweep/ });
});
