import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { parseProblem } from '../../src/fiber/engine';
import { EXAMPLE_PROBLEMS, problemText } from '../../src/fiber/example-problems';

const DIR = path.resolve(__dirname, '../../problems');

test('every shipped problem file validates and is exactly what its builder makes', (t) => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  t.deepEqual(files, Object.keys(EXAMPLE_PROBLEMS).sort());
  for (const [name, build] of Object.entries(EXAMPLE_PROBLEMS)) {
    const text = fs.readFileSync(path.join(DIR, name), 'utf8');
    t.notThrows(() => parseProblem(text), name);
    t.is(text, problemText(build()), `${name} differs from its builder: regenerate with node --import=tsx --conditions=adjoint-source packages/examples/problems/generate.ts`);
  }
});

test('the GRIN example is the seed case: 10 modes, 1030 nm, 2000 steps of 50 µm, 2^14 points, mode coefficients as controls', (t) => {
  const grin = parseProblem(fs.readFileSync(path.join(DIR, 'grin-multimode-1300.json'), 'utf8'));
  t.is(grin.fiber.modes.length, 10);
  t.is(grin.grid.centerWavelengthNm, 1030);
  t.is(grin.grid.points, 2 ** 14);
  t.is(grin.fiber.steps, 2000);
  t.true(Math.abs(grin.fiber.lengthM / grin.fiber.steps - 50e-6) < 1e-15);
  t.deepEqual(grin.controls, ['pulse.modeCoefficients']);
  t.deepEqual(grin.objective, { kind: 'bandEnergyFraction', bandNm: [1250, 1350] });
  // 600 nJ in a 200 fs gaussian: E = P0·T0·√π
  const t0 = 0.2 / 1.6651;
  t.true(Math.abs((grin.pulse.peakPowerW * t0 * Math.sqrt(Math.PI)) / 1000 - 600) < 0.01);
});

test('problem text puts number lists on one line and parses back to the same problem', (t) => {
  const problem = parseProblem(fs.readFileSync(path.join(DIR, 'soliton-fission.json'), 'utf8'));
  const text = problemText(problem);
  t.regex(text, /"betas": \[0, 0, -0\.02, 0\.0001\]/);
  t.deepEqual(parseProblem(text), problem);
});
