import test from 'ava';
import { readControls, expandControls } from '../../src/fiber/engine';
import { adam } from '../../src/fiber/optimize/adam';
import { ControlScaling, controlScaling } from '../../src/fiber/optimize/scaling';
import { tinyGrin, tinySoliton } from './helpers';

test('scales follow the starting pulse: T0² for GDD, T0³ for TOD, log for power, ‖c‖ for mode coefficients', (t) => {
  const soliton = tinySoliton();
  const scaling = controlScaling(soliton, soliton.controls, readControls(soliton));
  const t0 = 100 / 1.7627;
  t.deepEqual(
    scaling.scales.map((s) => [s.control, s.kind]),
    [
      ['pulse.gddFs2', 'linear'],
      ['pulse.todFs3', 'linear'],
      ['pulse.peakPowerW', 'log'],
    ],
  );
  t.true(Math.abs(scaling.scales[0].scale / t0 ** 2 - 1) < 1e-12);
  t.true(Math.abs(scaling.scales[1].scale / t0 ** 3 - 1) < 1e-12);
  const grin = tinyGrin();
  const controls = expandControls(grin.controls, grin.fiber);
  const grinScaling = controlScaling(grin, controls, readControls(grin));
  t.is(grinScaling.scales.length, 10);
  for (const s of grinScaling.scales) t.true(Math.abs(s.scale - Math.hypot(...grin.pulse.modeCoefficients)) < 1e-12);
  t.throws(() => controlScaling(soliton, ['pulse.nonsense'], [1]), { message: /no scale known for control "pulse.nonsense"/ });
});

test('fiber controls: log for gamma, n2 and length, 0.1 for fR, T0^n/L (ps^n/m) for beta_n, so beta_2, beta_3 match the GDD, TOD scales over L', (t) => {
  const soliton = { ...tinySoliton(), controls: ['fiber.gamma', 'fiber.lengthM', 'fiber.raman.fR', 'fiber.modes.0.betas'] };
  const controls = expandControls(soliton.controls, soliton.fiber);
  const scaling = controlScaling(soliton, controls, readControls(soliton));
  t.deepEqual(
    scaling.scales.map((s) => [s.control, s.kind, s.start]),
    [
      ['fiber.gamma', 'log', 0.01],
      ['fiber.lengthM', 'log', 0.15],
      ['fiber.raman.fR', 'linear', 0.18],
      ['fiber.modes.0.betas.0', 'linear', 0],
      ['fiber.modes.0.betas.1', 'linear', 0],
      ['fiber.modes.0.betas.2', 'linear', -0.02],
      ['fiber.modes.0.betas.3', 'linear', 0.0001],
    ],
  );
  t.is(scaling.scales[2].scale, 0.1);
  const t0Ps = 0.1 / 1.7627;
  scaling.scales.slice(3).forEach((s, n) => t.true(Math.abs((s.scale * 0.15) / t0Ps ** n - 1) < 1e-12, s.control));
  const gddScale = controlScaling(soliton, ['pulse.gddFs2'], [0]).scales[0].scale;
  t.true(Math.abs((scaling.scales[5].scale * 0.15 * 1e6) / gddScale - 1) < 1e-12, 'beta_2·L in fs² is the GDD scale');
  t.regex(scaling.scales[6].description, /^\S+ ps\^3\/m \(T0\^3\/L\)$/);
});

test('toControls and fromControls are inverse, and gradToScaled is the chain rule (checked by finite differences)', (t) => {
  const scaling = new ControlScaling([
    { control: 'pulse.gddFs2', kind: 'linear', start: 200, scale: 3218, description: '' },
    { control: 'pulse.peakPowerW', kind: 'log', start: 10000, scale: 10000, description: '' },
  ]);
  const u = Float64Array.of(0.3, -0.7);
  const x = scaling.toControls(u);
  t.true(Math.abs(x[0] - (200 + 0.3 * 3218)) < 1e-9);
  t.true(Math.abs(x[1] - 10000 * Math.exp(-0.7)) < 1e-9);
  scaling.fromControls(x).forEach((ui, i) => t.true(Math.abs(ui - u[i]) < 1e-12));
  // J(x) = sin(x0/1000)·log(x1); dJ/du by central differences of J(toControls(u))
  const J = (v: Float64Array) => Math.sin(v[0] / 1000) * Math.log(v[1]);
  const gradX = Float64Array.of((Math.cos(x[0] / 1000) / 1000) * Math.log(x[1]), Math.sin(x[0] / 1000) / x[1]);
  const gradU = scaling.gradToScaled(x, gradX);
  for (let i = 0; i < 2; i++) {
    const h = 1e-5;
    const up = u.slice();
    const down = u.slice();
    up[i] += h;
    down[i] -= h;
    const fd = (J(scaling.toControls(up)) - J(scaling.toControls(down))) / (2 * h);
    t.true(Math.abs(fd - gradU[i]) < 1e-8 * Math.max(1, Math.abs(fd)), `u[${i}]: ${fd} vs ${gradU[i]}`);
  }
});

test('with scaling, Adam moves controls of very different units at comparable relative speed', (t) => {
  // A loss whose natural scales are 3000 fs², 2e5 fs³ and a factor e in power: in raw
  // units Adam's ~learningRate-sized steps barely move GDD and TOD; scaled, all three converge.
  const target = [1500, -80000, 6000];
  const scaling = new ControlScaling([
    { control: 'pulse.gddFs2', kind: 'linear', start: 0, scale: 3000, description: '' },
    { control: 'pulse.todFs3', kind: 'linear', start: 0, scale: 2e5, description: '' },
    { control: 'pulse.peakPowerW', kind: 'log', start: 10000, scale: 10000, description: '' },
  ]);
  const loss = (x: Float64Array) => {
    const r = [(x[0] - target[0]) / 3000, (x[1] - target[1]) / 2e5, Math.log(x[2] / target[2])];
    return { value: r.reduce((s, v) => s + v * v, 0), grad: Float64Array.of((2 * r[0]) / 3000, (2 * r[1]) / 2e5, (2 * r[2]) / x[2]) };
  };
  const scaled = adam(
    (u) => {
      const x = scaling.toControls(u);
      const { value, grad } = loss(x);
      return { loss: value, grad: scaling.gradToScaled(x, grad) };
    },
    [0, 0, 0],
    { iterations: 300, learningRate: 0.05 },
  );
  const xs = scaling.toControls(scaled.x);
  xs.forEach((v, i) => t.true(Math.abs(v - target[i]) < 0.01 * Math.abs(target[i]), `scaled: control ${i} = ${v}, target ${target[i]}`));
  const raw = adam((x) => ({ loss: loss(x).value, grad: loss(x).grad }), [0, 0, 10000], { iterations: 300, learningRate: 0.05 });
  t.true(Math.abs(raw.x[0] - target[0]) > 0.5 * Math.abs(target[0]), `raw GDD reached ${raw.x[0]}`);
});
