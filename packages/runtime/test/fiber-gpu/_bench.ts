import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { Rk4ipStep } from '@adjoint/runtime/fiber/rk4ip';
import { Rk4ipAdjoint } from '@adjoint/runtime/fiber/adjoint';
import { StepBackend } from '@adjoint/runtime/fiber/backend';
import { GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { GpuRk4ipStepper } from '@adjoint/runtime/fiber/gpu/rk4ip';
import { planesFromInterleaved } from '@adjoint/runtime/fiber/gpu/field';
import { setUp, random, randomSymmetricOverlap } from '../fiber/helpers';
import type { FiberSpec } from '@adjoint/runtime/fiber/problem';

const mode = (process.argv[2] ?? 'cpu') as any;
function median(xs: number[]) { xs.sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)]; }
function timeBackend<F, T>(b: StepBackend<F, T>, x: Float64Array, reps: number) {
  const step = new Rk4ipStep(b); const adj = new Rk4ipAdjoint(b);
  const tapes = [b.tape(), b.tape(), b.tape(), b.tape()] as const;
  let cur = b.field(); let next = b.field(); b.combine(cur, [[1, b.upload(x)]]);
  const bar = b.field(); const ob = b.field(); b.combine(ob, [[1, cur]]);
  const fw: number[] = []; const vj: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    let t0 = performance.now(); step.run(cur, next); b.download(next); fw.push(performance.now() - t0);
    [cur, next] = [next, cur];
    t0 = performance.now(); step.run(cur, next, tapes); adj.run(tapes, ob, bar); b.download(bar); vj.push(performance.now() - t0);
  }
  fw.shift(); vj.shift();
  return [median(fw), median(vj)];
}
for (const log2 of [12, 14]) {
  for (const modes of [1, 3]) {
    const points = 2 ** log2;
    const grid = { points, windowPs: 20, centerWavelengthNm: 1550 };
    const fiber: FiberSpec = modes === 1
      ? { lengthM: 0.5, steps: 2000, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true }
      : { lengthM: 0.5, steps: 2000, modes: [{ betas: [0, 0, -0.02] }, { betas: [3, 0.05, -0.018] }, { betas: [6, 0.1, -0.016] }], n2: 2.3e-20, overlap: randomSymmetricOverlap(3, random(3)), raman: { model: 'blow-wood' }, selfSteepening: true };
    const { model, spectrum0 } = setUp(grid, fiber, { fwhmFs: 100, peakPowerW: 2000, modeCoefficients: fiber.modes.map(() => 1) });
    const reps = log2 === 12 ? 7 : 3;
    const js = new Float64Backend(model);
    const [jsF, jsV] = timeBackend(js, spectrum0, reps); js.dispose();
    let gF = NaN, gV = NaN, sF = NaN;
    if (mode !== 'webgpu') {
      const gpu = new GpuJsStepBackend(model, { mode });
      [gF, gV] = timeBackend(gpu, spectrum0, reps); gpu.dispose();
    }
    console.log(`N=2^${log2} M=${modes}: js step ${jsF.toFixed(2)} ms, step+vjp ${jsV.toFixed(2)} ms | gpu.js(${mode}) backend step ${gF.toFixed(1)} ms, step+vjp ${gV.toFixed(1)} ms`);
  }
}
import { singleModeProblem, threeModeProblem, pulseSpectrum } from './reference';
(async () => {
  for (const log2 of [12, 14]) for (const make of [singleModeProblem, threeModeProblem]) {
    const problem = make(2 ** log2);
    const device = mode === 'webgpu' ? await GpuDevice.open('webgpu') : GpuDevice.openSync(mode);
    const stepper = await GpuRk4ipStepper.createAsync(device, problem);
    const u = pulseSpectrum(problem);
    await stepper.advanceAsync(u, 1);
    const k = log2 === 12 ? 6 : 3;
    let t0 = performance.now(); await stepper.advanceAsync(u, k); const step = (performance.now() - t0) / k;
    t0 = performance.now(); await stepper.pullbackAsync(u, u); const vjp = performance.now() - t0;
    console.log(`stepper N=2^${log2} M=${problem.modes}: step ${step.toFixed(1)} ms, vjp ${vjp.toFixed(1)} ms`);
    await device.dispose();
  }
})();
