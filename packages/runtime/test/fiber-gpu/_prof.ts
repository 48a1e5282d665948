import { DeviceKernel } from '@adjoint/runtime/fiber/gpu/device';
import { Rk4ipStep } from '@adjoint/runtime/fiber/rk4ip';
import { GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { setUp, random, randomSymmetricOverlap } from '../fiber/helpers';
const times = new Map<string, [number, number]>();
const orig = DeviceKernel.prototype.run;
(DeviceKernel.prototype as any).run = function* (...args: unknown[]) {
  const t0 = performance.now(); const r = yield* orig.apply(this, args as any); const dt = performance.now() - t0;
  const key = this.name.replace(/^(field|tape)\d+/, '$1').replace(/\.(even|odd)$/, '');
  const e = times.get(key) ?? [0, 0]; e[0] += dt; e[1]++; times.set(key, e); return r;
};
const points = 2 ** 12;
const { model, spectrum0 } = setUp({ points, windowPs: 20, centerWavelengthNm: 1550 }, { lengthM: 0.5, steps: 2000, modes: [{ betas: [0, 0, -0.02] }, { betas: [3, 0.05, -0.018] }, { betas: [6, 0.1, -0.016] }], n2: 2.3e-20, overlap: randomSymmetricOverlap(3, random(3)), raman: { model: 'blow-wood' }, selfSteepening: true }, { fwhmFs: 100, peakPowerW: 2000, modeCoefficients: [1, 1, 1] });
const b = new GpuJsStepBackend(model);
const s = new Rk4ipStep(b); const out = b.field();
s.run(b.upload(spectrum0), out); times.clear();
s.run(b.upload(spectrum0), out);
console.log([...times.entries()].sort((a, b) => b[1][0] - a[1][0]).map(([k, [t, c]]) => `${k}: ${t.toFixed(1)} ms / ${c}`).join('\n'));
