/**
 * The RK4IP step as one primitive of the array DSL: a complex128 Tensor of spectra
 * [M, N] in, the spectra one step later out, and the hand-derived adjoint of
 * adjoint.ts as its VJP (registered with customVjp). A propagation loop can then be
 * written with checkpointedLoop and differentiated with grad like any DSL code:
 *
 *   const step = rk4ipStep(model);
 *   const loss = (a0: Tensor) => objective(checkpointedLoop(step, a0, model.steps, { schedule: 'revolve', snapshots: 20 }));
 *   const gradient = grad(loss)(a0);
 *   step.dispose();
 *
 * Adjoints follow the DSL's convention (z̄ = ∂L/∂Re z + i·∂L/∂Im z), which is also the
 * fiber kernels' one, so the hand adjoint plugs in unchanged.
 */
import { customVjp } from '../../autodiff/custom';
import { noteUntracedUse, recordingTape } from '../../autodiff/tape';
import { formatShape, Tensor } from '../../tensor/tensor';
import { Rk4ipAdjoint } from '../adjoint';
import { runSync } from '../../drive/index';
import { Float64Backend, type Float64Tape } from '../float64';
import type { FiberModel } from '../model';
import { Rk4ipStep, type StepTapes } from '../rk4ip';

export interface Rk4ipStepOp {
  /** The spectra one step later: complex128 [modes, points] in and out (extra arguments, such as a loop index, are ignored). */
  (spectra: Tensor): Tensor;
  /** Releases the solver's work fields; the step is unusable afterwards. */
  dispose(): void;
}

export function rk4ipStep(model: FiberModel): Rk4ipStepOp {
  const backend = new Float64Backend(model);
  const forward = new Rk4ipStep(backend);
  const reverse = new Rk4ipAdjoint(backend);
  const input = backend.field();
  const output = backend.field();
  const outputAdjoint = backend.field();
  const inputAdjoint = backend.field();
  const shape = [model.modes, model.grid.points];
  const couplings = model.overlap.couplings.length * model.grid.points;
  let disposed = false;

  const run = (spectra: Tensor, tapes?: StepTapes<Float64Tape>): Tensor => {
    backend.uploadInto(input, spectra._data as Float64Array);
    runSync(forward.run(input, output, tapes), 'rk4ipStep');
    return new Tensor(backend.download(output), shape, 'complex128');
  };

  // The tapes of each call are its own residuals (not the backend's reused ones): a
  // program may hold many steps' pullbacks at once, and the autodiff tape counts and frees them.
  const newTape = (): Float64Tape => ({ fields: new Float64Array(2 * model.modes * model.grid.points), couplings: new Float64Array(couplings) });
  const differentiable = customVjp(
    (spectra: Tensor) => {
      const tapes: StepTapes<Float64Tape> = [newTape(), newTape(), newTape(), newTape()];
      return [run(spectra, tapes), tapes] as const;
    },
    (tapes: StepTapes<Float64Tape>, cotangent: Tensor) => {
      backend.uploadInto(outputAdjoint, cotangent._data as Float64Array);
      runSync(reverse.run(tapes, outputAdjoint, inputAdjoint), 'rk4ipStep');
      return [new Tensor(backend.download(inputAdjoint), shape, 'complex128')];
    },
    'rk4ipStep',
  );

  const step = (spectra: Tensor): Tensor => {
    if (disposed) throw new Error('rk4ipStep: used after dispose()');
    if (!(spectra instanceof Tensor) || spectra.dtype !== 'complex128' || spectra.ndim !== 2 || spectra.shape[0] !== shape[0] || spectra.shape[1] !== shape[1]) {
      const got = spectra instanceof Tensor ? `a ${spectra.dtype} Tensor of shape ${formatShape(spectra.shape)}` : typeof spectra;
      throw new TypeError(`rk4ipStep: expected complex128 spectra of shape ${formatShape(shape)} (modes, points), got ${got}`);
    }
    // Nothing records: skip the tapes (the plain advances of a checkpointed loop land here).
    if (recordingTape() === null) {
      noteUntracedUse([spectra]);
      return run(spectra);
    }
    return differentiable(spectra);
  };
  return Object.assign(step, {
    dispose(): void {
      if (disposed) return;
      disposed = true;
      backend.dispose();
    },
  });
}

