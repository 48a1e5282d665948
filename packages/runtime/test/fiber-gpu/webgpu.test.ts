/**
 * webgpu mode without a GPU: Dawn's null backend validates every WGSL shader
 * and pipeline as a real adapter would, but computes nothing, so this checks
 * that each kernel of the step and its VJP translates and builds for WebGPU,
 * and that device buffers are accounted, not the numbers (those are checked
 * in cpu mode).
 */
import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { GpuRk4ipStepper } from '@adjoint/runtime/fiber/gpu/rk4ip';
import { pulseSpectrum, randomPlanes, threeModeProblem, singleModeProblem } from './reference';

test.serial('every step and vjp kernel builds as WGSL, its buffers are in ledger("gpu"), and dispose removes the WebGPU globals', async (t) => {
  t.timeout(60_000);
  const before = ledger.current('gpu');
  const hadNavigator = 'navigator' in globalThis;
  let device: GpuDevice;
  try {
    device = await GpuDevice.open('webgpu', { webgpuFlags: ['backend=null'] });
  } catch (e) {
    // the webgpu package's native binary must load on CI's platform; say so rather than pass silently
    t.fail(`webgpu (Dawn null backend) did not open: ${(e as Error).message}`);
    return;
  }
  t.true(device.asynchronous);
  for (const problem of [singleModeProblem(64), threeModeProblem(64)]) {
    const stepper = await GpuRk4ipStepper.createAsync(device, problem);
    const u = pulseSpectrum(problem);
    const out = await stepper.advanceAsync(u, 2);
    const bar = await stepper.pullbackAsync(u, randomPlanes(u.re.length, 3));
    t.is(out.re.length, problem.n * problem.modes);
    t.is(bar.re.length, problem.n * problem.modes);
    t.throws(() => stepper.advanceSync(u), { message: /answers asynchronously; use the async method/ });
  }
  t.true(device.heldBytes > 0);
  t.is(ledger.current('gpu') - before, device.heldBytes);
  await device.dispose();
  t.is(ledger.current('gpu'), before);
  t.is('navigator' in globalThis, hadNavigator);
});
