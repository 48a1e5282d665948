import test from 'ava';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { ConfigError } from '@adjoint/runtime/fiber/validate';
import { random, randomSymmetricOverlap } from './helpers';

/** The spec's example problem. */
function valid(): Record<string, any> {
  return {
    version: 1,
    grid: { points: 4096, windowPs: 20, centerWavelengthNm: 1550 },
    fiber: {
      lengthM: 0.5,
      steps: 2000,
      modes: [{ betas: [0, 0, -0.02, 0.0001] }],
      gamma: 0.01,
      raman: { model: 'blow-wood' },
      selfSteepening: true,
    },
    pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 2000, modeCoefficients: [1], gddFs2: 0, todFs3: 0 },
    controls: ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW'],
    objective: { kind: 'bandEnergyFraction', bandNm: [1600, 1700] },
  };
}

function threeModes(): Record<string, any> {
  const problem = valid();
  problem.fiber = { ...problem.fiber, gamma: undefined, n2: 2.3e-20, overlap: randomSymmetricOverlap(3, random(1)), modes: [{ betas: [0] }, { betas: [1] }, { betas: [2] }] };
  delete problem.fiber.gamma;
  problem.pulse.modeCoefficients = [1, 1, 0];
  return problem;
}

test('the spec example parses, with defaults filled in', (t) => {
  const problem: FiberProblem = parseProblem(JSON.stringify(valid()));
  t.is(problem.grid.points, 4096);
  t.is(problem.fiber.raman.model, 'blow-wood');
  t.deepEqual(problem.controls, ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW']);
  const minimal = valid();
  delete minimal.controls;
  delete minimal.pulse.gddFs2;
  delete minimal.pulse.todFs3;
  const parsed = parseProblem(minimal);
  t.deepEqual([parsed.controls, parsed.pulse.gddFs2, parsed.pulse.todFs3], [[], 0, 0]);
  t.is(parseProblem(threeModes()).fiber.modes.length, 3);
});

test('the spec example error message', (t) => {
  const problem = valid();
  problem.fiber.steps = -3;
  t.throws(() => parseProblem(problem), { instanceOf: ConfigError, message: 'fiber.steps: must be a positive integer, got -3' });
});

type Mutation = [key: string, mutate: (p: Record<string, any>) => void, base?: () => Record<string, any>];

const cases: Mutation[] = [
  ['extra', (p) => (p.extra = 1)],
  ['version', (p) => (p.version = 2)],
  ['version', (p) => delete p.version],
  ['grid', (p) => (p.grid = [4096])],
  ['grid.points', (p) => (p.grid.points = 1000)],
  ['grid.points', (p) => (p.grid.points = -4)],
  ['grid.points', (p) => delete p.grid.points],
  ['grid.windowPs', (p) => (p.grid.windowPs = -1)],
  ['grid.windowPs', (p) => (p.grid.windowPs = 0.5)], // ±π/dt beyond omega0
  ['grid.centerWavelengthNm', (p) => (p.grid.centerWavelengthNm = NaN)],
  ['grid.spacing', (p) => (p.grid.spacing = 1)],
  ['fiber.lengthM', (p) => (p.fiber.lengthM = -0.5)],
  ['fiber.steps', (p) => (p.fiber.steps = 2.5)],
  ['fiber.modes', (p) => (p.fiber.modes = [])],
  ['fiber.modes[0]', (p) => (p.fiber.modes = [[0, 0]])],
  ['fiber.modes[0].betas[2]', (p) => (p.fiber.modes[0].betas[2] = 'x')],
  ['fiber.modes[0].beta', (p) => (p.fiber.modes[0].beta = [0])],
  ['fiber.gamma', (p) => (p.fiber.gamma = Infinity)],
  ['fiber.gamma', (p) => delete p.fiber.gamma],
  ['fiber.gamma', (p) => (p.fiber.modes.push({ betas: [0] }), (p.pulse.modeCoefficients = [1, 0]))],
  ['fiber.n2', (p) => (p.fiber.n2 = 2.3e-20)],
  ['fiber.overlap', (p) => (p.fiber.overlap = p.fiber.overlap.slice(1)), threeModes],
  ['fiber.overlap', (p) => (p.fiber.overlap[1] *= 2), threeModes],
  ['fiber.overlap[5]', (p) => (p.fiber.overlap[5] = null), threeModes],
  ['fiber.overlap', (p) => delete p.fiber.overlap, threeModes],
  ['fiber.raman', (p) => delete p.fiber.raman],
  ['fiber.raman.model', (p) => (p.fiber.raman.model = 'raman')],
  ['fiber.raman.fR', (p) => (p.fiber.raman.fR = 1.5)],
  ['fiber.raman.fR', (p) => (p.fiber.raman = { model: 'none', fR: 0.18 })],
  ['fiber.selfSteepening', (p) => (p.fiber.selfSteepening = 'yes')],
  ['pulse.shape', (p) => (p.pulse.shape = 'square')],
  ['pulse.fwhmFs', (p) => (p.pulse.fwhmFs = 0)],
  ['pulse.fwhmFs', (p) => (p.pulse.fwhmFs = 5e4)], // wider than the window
  ['pulse.peakPowerW', (p) => (p.pulse.peakPowerW = -1)],
  ['pulse.modeCoefficients', (p) => (p.pulse.modeCoefficients = [1, 0])],
  ['pulse.modeCoefficients', (p) => (p.pulse.modeCoefficients = [0])],
  ['pulse.gddFs2', (p) => (p.pulse.gddFs2 = NaN)],
  ['pulse.energyNj', (p) => (p.pulse.energyNj = 1)],
  ['controls', (p) => (p.controls = 'pulse.gddFs2')],
  ['controls[0]', (p) => (p.controls = ['fiber.steps'])],
  ['controls[1]', (p) => (p.controls = ['pulse.gddFs2', 'pulse.gddFs2'])],
  ['controls[0]', (p) => (p.controls = ['pulse.modeCoefficients.3'])],
  ['controls[0]', (p) => (p.controls = ['pulse.shape'])],
  ['objective', (p) => delete p.objective],
  ['objective.kind', (p) => (p.objective.kind = 'peakPower')],
  ['objective.bandNm', (p) => (p.objective.bandNm = [1700, 1600])],
  ['objective.bandNm', (p) => (p.objective.bandNm = [100, 200])], // outside the grid
  ['objective.modes[0]', (p) => (p.objective.modes = [1])],
  ['objective.modes', (p) => (p.objective.modes = [0, 0]), threeModes],
  ['objective.centerNm', (p) => (p.objective = { kind: 'targetSpectrum', centerNm: 5000, fwhmNm: 10 })],
  ['objective.fwhmNm', (p) => (p.objective = { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: -1 })],
  ['objective.bandNm', (p) => (p.objective = { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 10, bandNm: [1, 2] })],
];

test('every malformed key gives an error that names it', (t) => {
  for (const [key, mutate, base = valid] of cases) {
    const problem = base();
    mutate(problem);
    const error = t.throws(() => parseProblem(problem), { instanceOf: ConfigError }, `expected an error for ${key}`);
    t.is(error?.key, key, error?.message);
    t.true(error?.message.startsWith(`${key}: `), error?.message);
  }
});

test('fiber keys are controls: gamma or n2 (whichever the fiber gives), lengthM, raman.fR and betas, one or a mode\'s all', (t) => {
  const single = valid();
  single.controls = ['fiber.gamma', 'fiber.lengthM', 'fiber.raman.fR', 'fiber.modes.0.betas', 'fiber.modes.0.betas.3'];
  t.deepEqual(parseProblem(single).controls, single.controls);
  const multi = threeModes();
  multi.controls = ['fiber.n2', 'fiber.modes.2.betas.0', 'pulse.modeCoefficients.2'];
  t.deepEqual(parseProblem(multi).controls, multi.controls);
});

test('a control that is no differentiable input is refused with the entry, the path and the reason', (t) => {
  const refusals: [controls: string[], message: RegExp, base?: () => Record<string, any>][] = [
    [['fiber.steps'], /^controls\[0\]: "fiber\.steps" cannot be a control: the step count is an integer that sets the discretization$/],
    [['pulse.gddFs2', 'grid.points'], /^controls\[1\]: "grid\.points" cannot be a control: grid keys set the discretization/],
    [['grid.windowPs'], /^controls\[0\]: "grid\.windowPs" cannot be a control: grid keys set the discretization/],
    [['version'], /^controls\[0\]: "version" cannot be a control: the format version/],
    [['fiber.overlap.5'], /^controls\[0\]: "fiber\.overlap\.5" cannot be a control: overlap entries are tied together by the tensor's index-permutation symmetry/, threeModes],
    [['fiber.overlap'], /^controls\[0\]: "fiber\.overlap" cannot be a control/, threeModes],
    [['objective.bandNm.0'], /^controls\[0\]: "objective\.bandNm\.0" cannot be a control: objective settings are not controls/],
    [['fiber.selfSteepening'], /^controls\[0\]: "fiber\.selfSteepening" cannot be a control: not a numeric key$/],
    [['fiber.n2'], /^controls\[0\]: "fiber\.n2": this fiber gives gamma, not n2 \+ overlap; use fiber\.gamma$/],
    [['fiber.gamma'], /^controls\[0\]: "fiber\.gamma": this fiber gives n2 \+ overlap, not gamma; use fiber\.n2$/, threeModes],
    [['fiber.modes.3.betas'], /^controls\[0\]: "fiber\.modes\.3\.betas": mode index must be an integer in 0\.\.2$/, threeModes],
    [['fiber.modes.0.betas.4'], /^controls\[0\]: "fiber\.modes\.0\.betas\.4": mode 0 has betas 0\.\.3$/],
    [['fiber.modes.0.betas.x'], /^controls\[0\]: "fiber\.modes\.0\.betas\.x": mode 0 has betas 0\.\.3$/],
    [['fiber.modes[0].betas[2]'], /^controls\[0\]: "fiber\.modes\[0\]\.betas\[2\]" is not a differentiable control \(supported: .*fiber\.modes\.p\.betas\[\.n\]\)$/],
    [['fiber.beta2'], /^controls\[0\]: "fiber\.beta2" is not a differentiable control/],
  ];
  for (const [controls, message, base = valid] of refusals) {
    const problem = base();
    problem.controls = controls;
    t.throws(() => parseProblem(problem), { instanceOf: ConfigError, message }, controls.join(', '));
  }
  const none = valid();
  none.fiber.raman = { model: 'none' };
  none.controls = ['fiber.raman.fR'];
  t.throws(() => parseProblem(none), { message: /^controls\[0\]: "fiber\.raman\.fR": the Raman model is "none", so fR is 0 and has no effect$/ });
});

/** The bases below together hold every key the spec defines, optional ones included. */
function everyKey(): Record<string, any>[] {
  const withOptions = valid();
  withOptions.fiber.raman.fR = 0.2;
  withOptions.objective.modes = [0];
  const target = valid();
  target.objective = { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 40 };
  const multimode = threeModes();
  multimode.objective.modes = [0, 2];
  return [withOptions, target, multimode];
}

/** Keys the spec lets a problem leave out. */
const OPTIONAL = new Set(['controls', 'pulse.gddFs2', 'pulse.todFs3', 'fiber.raman.fR', 'objective.modes']);

/** [path, holder, name] of every object member and array element, depth first. */
function places(value: any, path = ''): [string, any, string | number][] {
  const children: [string, string | number][] = Array.isArray(value)
    ? value.map((_, i) => [`${path}[${i}]`, i])
    : Object.keys(value).map((name) => [path === '' ? name : `${path}.${name}`, name]);
  return children.flatMap(([child, name]) => {
    const inner = value[name];
    return [[child, value, name] as [string, any, string | number], ...(typeof inner === 'object' && inner !== null ? places(inner, child) : [])];
  });
}

function expectKeyError(t: import('ava').ExecutionContext, problem: unknown, key: string, what: string): void {
  const error = t.throws(() => parseProblem(problem), { instanceOf: ConfigError }, `${what}: expected an error naming ${key}`);
  t.is(error?.key, key, `${what}: ${error?.message}`);
}

test('every key of the spec, given null or a value of the wrong type, is named by the error', (t) => {
  let checked = 0;
  for (const base of everyKey()) {
    for (const [path, original, name] of places(base)) {
      const wrongType = typeof original[name] === 'string' ? 42 : typeof original[name] === 'boolean' ? 'yes' : 'x';
      for (const wrong of [wrongType, null]) {
        const problem = structuredClone(base);
        const [, holder] = places(problem).find(([p]) => p === path)!;
        holder[name] = wrong;
        expectKeyError(t, problem, path, `${path} = ${JSON.stringify(wrong)}`);
        checked++;
      }
    }
  }
  t.log(`${checked} malformed values checked`);
});

test('every required key, left out, is named; every optional one may be left out', (t) => {
  for (const base of everyKey()) {
    for (const [path, , name] of places(base)) {
      if (typeof name === 'number') continue; // an array entry: the array's length is checked instead
      const problem = structuredClone(base);
      const [, holder] = places(problem).find(([p]) => p === path)!;
      delete holder[name];
      if (OPTIONAL.has(path)) t.notThrows(() => parseProblem(problem), path);
      else expectKeyError(t, problem, path, `without ${path}`);
    }
  }
});

test('an unknown key in any object is named', (t) => {
  for (const base of everyKey()) {
    for (const [path, holder, name] of [['', { '': base }, ''] as [string, any, string], ...places(base)]) {
      const value = holder[name];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      const problem = structuredClone(base);
      const target = path === '' ? problem : places(problem).find(([p]) => p === path)![1][name];
      target.colour = 'red';
      expectKeyError(t, problem, path === '' ? 'colour' : `${path}.colour`, `colour in ${path || 'the root'}`);
    }
  }
});

test('text that is not JSON is reported as such', (t) => {
  t.throws(() => parseProblem('{"version": 1,'), { instanceOf: ConfigError, message: /^\(root\): not valid JSON/ });
});
