import { parseProblem } from '@adjoint/runtime/fiber/problem';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import { FiberStepHooks } from '@adjoint/runtime/fiber/hooks';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { inputSpectrum } from '@adjoint/runtime/fiber/input';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
const points = Number(process.argv[2] ?? 4096);
const mode = process.argv[3] ?? 'both';
  const p = parseProblem({ version: 1, grid: { points, windowPs: 20, centerWavelengthNm: 1550 },
    fiber: { lengthM: 0.3, steps: 1000, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
    pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 10000, modeCoefficients: [1], gddFs2: 0, todFs3: 0 },
    controls: ['pulse.peakPowerW'], objective: { kind: 'bandEnergyFraction', bandNm: [1600, 1700] } });
  const model = fiberModel(p.grid, p.fiber);
  const hooks = new FiberStepHooks(new Float64Backend(model));
  let x = inputSpectrum(p.pulse, model.grid, new ComplexFft(points));
  for (let i = 0; i < 50; i++) x = hooks.step(x, i);
  for (let rep = 0; rep < 3; rep++) {
  let t = process.cpuUsage();
  if (mode !== 'rev') for (let i = 0; i < 200; i++) x = hooks.step(x, i);
  let u = process.cpuUsage(t);
  const fwd = (u.user + u.system) / 1e3 / 200;
  t = process.cpuUsage();
  if (mode !== 'fwd') for (let i = 0; i < 200; i++) { const [y, pb] = hooks.stepVjp(x, i); pb(y); }
  u = process.cpuUsage(t);
  const rev = (u.user + u.system) / 1e3 / 200;
  console.log(points, 'step ms', fwd.toFixed(3), 'taped+adjoint ms', rev.toFixed(3));
  }
