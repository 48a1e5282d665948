import test from 'ava';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { parseProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, simulateProblem } from '@adjoint/runtime/fiber/simulate';
import { SimConfig, Simulation, SimulationCheckpointed, type SimConfigOptions } from '@adjoint/runtime/fiber/simulation';
import { ConfigError } from '@adjoint/runtime/fiber/validate';
import { axpy, dot, maxAbs, random, randomArray } from './helpers';

const domain = { points: 256, windowPs: 2, lengthM: 0.1, steps: 60 };
const fiber = { modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01 };
const pulse = { shape: 'sech' as const, fwhmFs: 100, peakPowerW: 5000, modeCoefficients: [1], gddFs2: 100, todFs3: 0 };
const objective = { kind: 'bandEnergyFraction' as const, bandNm: [1580, 1700] as [number, number] };

test('run() propagates, keeps every numSave-th field, and matches the problem-file solver', (t) => {
  const sim = new Simulation(domain, fiber, pulse, undefined, new SimConfig({ centerWavelength: 1550, numSave: 25 }));
  sim.run();
  t.deepEqual(
    sim.savedFields.map((s) => s.step),
    [0, 25, 50, 60],
  );
  t.deepEqual(sim.savedFields.at(-1)!.fields, sim.outputFields);
  t.true(Math.abs(sim.savedFields[1].z - 25 * (0.1 / 60)) < 1e-15);
  const problem = parseProblem({
    version: 1,
    grid: { points: 256, windowPs: 2, centerWavelengthNm: 1550 },
    fiber: { lengthM: 0.1, steps: 60, ...fiber, raman: { model: 'blow-wood' }, selfSteepening: true },
    pulse,
    controls: ['pulse.gddFs2', 'pulse.peakPowerW'],
    objective,
  });
  const reference = problemGradient(problem);
  const gradient = sim.gradient(objective);
  t.is(gradient.value, reference.value);
  t.is(gradient.pulseGradient!.gddFs2, reference.gradient[0]);
  t.is(gradient.pulseGradient!.peakPowerW, reference.gradient[1]);
});

test('checkpointing is a config switch: the gradient is the same, the schedule differs', (t) => {
  const plain = new Simulation(domain, fiber, pulse, 'periodic', new SimConfig({ centerWavelength: 1550 })).gradient(objective);
  const checkpointed = new SimulationCheckpointed(domain, fiber, pulse, null, new SimConfig({ centerWavelength: 1550, useCheckpointing: true, checkpointSegments: 4 })).gradient(objective);
  t.is(checkpointed.value, plain.value);
  checkpointed.fieldsAdjoint.forEach((g, i) => t.true(Math.abs(g - plain.fieldsAdjoint[i]) <= 1e-12 * maxAbs(plain.fieldsAdjoint)));
  t.is(plain.counters.peakRamStates, domain.steps - 1); // store-all
  t.true(checkpointed.counters.peakRamStates <= 4);
});

test('the adjoint of time-domain initial fields matches central differences (three GRIN modes, all switches on)', (t) => {
  const grin = grinFiber({ coreRadiusUm: 25, na: 0.2, wavelengthNm: 1550, modes: 3 });
  const grinFiberSpec = { modes: grin.modes.map((m) => ({ betas: [m.betas[0], m.betas[1], -0.02] })), n2: grin.n2, overlap: Array.from(grin.overlap) };
  const config = new SimConfig({ centerWavelength: 1550, useCheckpointing: true, snapshots: 3 });
  const rand = random(7);
  const fields = randomArray(2 * 3 * 256, rand, 30);
  const target = (spectrum: Float64Array) => ({ value: dot(spectrum, spectrum.map((v, i) => v * (i % 7))), adjoint: spectrum.map((v, i) => 2 * v * (i % 7)) });
  const value = (input: Float64Array) => {
    const sim = new Simulation({ ...domain, steps: 20 }, grinFiberSpec, input, undefined, config);
    return sim.gradient(target);
  };
  const { fieldsAdjoint } = value(fields);
  const v = randomArray(fields.length, rand, 30);
  const eps = 1e-5;
  const fd = (value(axpy(fields, eps, v)).value - value(axpy(fields, -eps, v)).value) / (2 * eps);
  const predicted = dot(fieldsAdjoint, v);
  t.log(`directional derivative: adjoint ${predicted}, central difference ${fd}`);
  t.true(Math.abs(fd - predicted) / Math.abs(predicted) < 1e-6);
});

test('each physics switch of SimConfig removes its term: the same output as the problem file without it', (t) => {
  const spec = { lengthM: 0.1, steps: 60, modes: fiber.modes, gamma: fiber.gamma, raman: { model: 'blow-wood' as const }, selfSteepening: true };
  const grid = { points: 256, windowPs: 2, centerWavelengthNm: 1550 };
  const output = (fiberSpec: typeof spec) =>
    simulateProblem(parseProblem({ version: 1, grid, fiber: fiberSpec, pulse, objective })).output;
  const allOn = output(spec);
  const withoutTerm: [keyof SimConfigOptions, typeof spec][] = [
    ['raman', { ...spec, raman: { model: 'none' } as never }],
    ['selfSteepening', { ...spec, selfSteepening: false }],
    ['kerr', { ...spec, gamma: 0 }],
    ['dispersion', { ...spec, modes: [{ betas: [0] }] }],
  ];
  for (const [name, equivalent] of withoutTerm) {
    const sim = new Simulation(domain, fiber, pulse, undefined, new SimConfig({ centerWavelength: 1550, [name]: false })).run();
    const expected = output(equivalent);
    t.deepEqual(sim.outputSpectrum, expected, `${name}: false`);
    t.true(maxAbs(expected.map((v, i) => v - allOn[i])) > 1e-3 * maxAbs(allOn), `${name} matters for this pulse`);
  }
});

test('dropOverlapBelow drops small overlap entries only when SimConfig asks for it', (t) => {
  const S = new Array<number>(16).fill(0);
  const set = (value: number, ...indices: number[][]) => indices.forEach(([p, l, m, n]) => (S[((p * 2 + l) * 2 + m) * 2 + n] = value));
  set(1e10, [0, 0, 0, 0]);
  set(5e9, [1, 1, 1, 1]);
  set(3e4, [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]); // 3e-6·S_1111
  const twoModes = { modes: [{ betas: [0, 0, -0.02] }, { betas: [1, 0, -0.02] }], n2: 2.3e-20, overlap: S };
  const twoPulse = { ...pulse, modeCoefficients: [1, 0.5] };
  const exact = new Simulation(domain, twoModes, twoPulse, undefined, new SimConfig({ centerWavelength: 1550 }));
  const dropped = new Simulation(domain, twoModes, twoPulse, undefined, new SimConfig({ centerWavelength: 1550, dropOverlapBelow: 1e-5 }));
  t.deepEqual(
    exact.model.overlap.terms.map((term) => term.indices),
    [
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [1, 1, 1, 1],
    ],
  );
  t.deepEqual(
    dropped.model.overlap.terms.map((term) => term.indices),
    [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ],
  );
  const a = exact.run().outputSpectrum!;
  const b = dropped.run().outputSpectrum!;
  const difference = maxAbs(a.map((v, i) => v - b[i])) / maxAbs(a);
  t.log(`dropping S entries of 3e-6·S_1111 changes the output by ${difference.toExponential(2)} (relative)`);
  t.true(difference > 0 && difference < 1e-3);
  t.throws(() => new SimConfig({ centerWavelength: 1550, dropOverlapBelow: -1 }), { instanceOf: ConfigError, message: /^config\.dropOverlapBelow: must be a positive number/ });
});

test('bad SimConfig and Simulation arguments name the key', (t) => {
  t.throws(() => new SimConfig({ centerWavelength: 1550, segments: 3 } as never), { instanceOf: ConfigError, message: /^config\.segments: unknown key/ });
  t.throws(() => new SimConfig({ centerWavelength: 1.55e-6 }), { instanceOf: ConfigError, message: /^config\.centerWavelength: is in nm/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, checkpointSegments: 4 }), { instanceOf: ConfigError, message: /^config\.checkpointSegments: only applies with useCheckpointing/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, useCheckpointing: true, snapshots: 0 }), { instanceOf: ConfigError, message: /^config\.snapshots: must be a positive integer/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, useCheckpointing: true, snapshots: null as never }), { instanceOf: ConfigError, message: /^config\.snapshots: must be a positive integer, got null/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, useCheckpointing: true, schedule: 'store-all', checkpointSegments: 4 }), { instanceOf: ConfigError, message: /^config\.checkpointSegments: does not apply to schedule "store-all"/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, useCheckpointing: true, schedule: 'binomial' as never }), { instanceOf: ConfigError, message: /^config\.schedule: must be one of "revolve"/ });
  t.throws(() => new SimConfig({ centerWavelength: 1550, numSave: -1 }), { instanceOf: ConfigError, message: /^config\.numSave/ });
  const config = new SimConfig({ centerWavelength: 1550 });
  t.throws(() => new Simulation({ ...domain, points: 300 }, fiber, pulse, undefined, config), { instanceOf: ConfigError, message: /^domain\.points: must be a power of two/ });
  t.throws(() => new Simulation({ ...domain, steps: 0 }, fiber, pulse, undefined, config), { instanceOf: ConfigError, message: /^domain\.steps/ });
  t.throws(() => new Simulation(domain, { modes: [] }, pulse, undefined, config), { instanceOf: ConfigError, message: /^fiber\.modes: must not be empty/ });
  t.throws(() => new Simulation(domain, fiber, { ...pulse, fwhmFs: -1 }, undefined, config), { instanceOf: ConfigError, message: /^initialFields\.fwhmFs/ });
  t.throws(() => new Simulation(domain, fiber, new Float64Array(10), undefined, config), { instanceOf: ConfigError, message: /^initialFields: 1 modes × 256 points need 512 numbers/ });
  t.throws(() => new Simulation(domain, fiber, pulse, 'absorbing' as never, config), { instanceOf: ConfigError, message: /^boundary: only "periodic"/ });
});
