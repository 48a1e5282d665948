/**
 * webgpu mode without a GPU: Dawn's null backend validates every WGSL shader
 * and pipeline as a real adapter would, but computes nothing, so this checks
 * that each kernel of the step and its adjoint (the solver's own RK4IP
 * sequences, driven asynchronously) translates and builds for WebGPU, and that
 * device buffers are accounted, not the numbers (those are checked in cpu mode).
 */
import test from 'ava';
import { Rk4ipAdjoint } from '@adjoint/runtime/fiber/adjoint';
import { runAsync, runSync, settle } from '@adjoint/runtime/drive/index';
import { GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { Rk4ipStep } from '@adjoint/runtime/fiber/rk4ip';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { random, randomArray, setUp, threeCoupledModes } from '../fiber/helpers';

const grid = { points: 64, windowPs: 2, centerWavelengthNm: 1550 };
const pulse = { fwhmFs: 100, peakPowerW: 2000 };
// One problem reaches every kernel of the step and its adjoint. One device per process:
// Dawn's teardown after a second open has crashed worker exits.
const fiber = threeCoupledModes(2);

test.serial('every step and adjoint kernel builds as WGSL, its buffers are in ledger("gpu"), and dispose removes the WebGPU globals', async (t) => {
  t.timeout(60_000);
  const before = ledger.current('gpu');
  const hadNavigator = 'navigator' in globalThis;
  const { model, spectrum0 } = setUp(grid, fiber, { ...pulse, modeCoefficients: fiber.modes.map(() => 1) });
  let b: GpuJsStepBackend;
  try {
    b = await GpuJsStepBackend.open(model, { mode: 'webgpu', webgpuFlags: ['backend=null'] });
  } catch (e) {
    // the webgpu package's native binary must load on CI's platform; say so rather than pass silently
    t.fail(`webgpu (Dawn null backend) did not open: ${(e as Error).message}`);
    return;
  }
  t.true(b.device.asynchronous);
  const tapes = [b.tape(), b.tape(), b.tape(), b.tape()] as const;
  const [x, y, yBar, xBar] = [b.field(), b.field(), b.field(), b.field()];
  const [output, inputAdjoint] = await runAsync(
    (function* () {
      yield b.uploadInto(x, spectrum0);
      yield b.uploadInto(yBar, randomArray(spectrum0.length, random(5)));
      yield* new Rk4ipStep(b).run(x, y, tapes);
      yield* new Rk4ipAdjoint(b).run(tapes, yBar, xBar);
      return [yield* settle(b.download(y)), yield* settle(b.download(xBar))];
    })(),
  );
  t.is(output.length, spectrum0.length);
  t.is(inputAdjoint.length, spectrum0.length);
  t.throws(() => runSync(new Rk4ipStep(b).run(x, y), 'step'), { message: /^step answered asynchronously \(with a Promise\); use the async method instead/ });
  t.true(b.bytesHeld > 0);
  t.is(ledger.current('gpu') - before, b.bytesHeld);
  await b.device.dispose();
  t.is(ledger.current('gpu'), before);
  t.is('navigator' in globalThis, hadNavigator);
});
