import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { GpuRk4ipStepper } from '@adjoint/runtime/fiber/gpu/rk4ip';
import { singleModeProblem, threeModeProblem, pulseSpectrum, referenceStep, relativeError } from './reference';
(async () => {
  const device = GpuDevice.openSync('webasm');
  for (const problem of [singleModeProblem(256), threeModeProblem(256)]) {
    const stepper = GpuRk4ipStepper.createSync(device, problem);
    const u = pulseSpectrum(problem);
    console.log('webasm', problem.modes, relativeError(stepper.advanceSync(u, 1), referenceStep(problem, u)));
  }
  await device.dispose();
})().catch((e) => { console.error('FAILED', e.message); process.exit(1); });
