/**
 * One RK4IP step as the checkpointing engine sees it: states are host spectra
 * (Float64Array, 2·M·N interleaved numbers) and the taped evaluation hands back the
 * hand-written adjoint as its pullback.
 */
import type { StepFn, StepHooks, StepVjp } from '../checkpoint/types';
import { Rk4ipAdjoint } from './adjoint';
import type { StepBackend } from './backend';
import { runSync, settle, type Op } from './drive';
import { Rk4ipStep, type StepTapes } from './rk4ip';

export class FiberStepHooks<F, T> implements StepHooks<Float64Array> {
  readonly backend: StepBackend<F, T>;
  private readonly forward: Rk4ipStep<F, T>;
  private readonly reverse: Rk4ipAdjoint<F, T>;
  private readonly input: F;
  private readonly output: F;
  private readonly outputAdjoint: F;
  private readonly inputAdjoint: F;
  /** One step's tapes, reused: a pullback is valid until the next taped step. */
  private readonly tapes: StepTapes<T>;
  private generation = 0;

  constructor(backend: StepBackend<F, T>) {
    this.backend = backend;
    this.forward = new Rk4ipStep(backend);
    this.reverse = new Rk4ipAdjoint(backend);
    this.input = backend.field();
    this.output = backend.field();
    this.outputAdjoint = backend.field();
    this.inputAdjoint = backend.field();
    this.tapes = [backend.tape(), backend.tape(), backend.tape(), backend.tape()];
  }

  readonly step: StepFn<Float64Array> = (state) => runSync(this.advance(state), 'fiber step');

  readonly stepVjp: StepVjp<Float64Array> = (state, index) => {
    const generation = ++this.generation;
    const output = runSync(this.advance(state, this.tapes), 'fiber step');
    const pullback = (outputAdjoint: Float64Array): Float64Array => {
      if (generation !== this.generation) {
        throw new Error(`fiber step ${index}: its tape was overwritten by a later taped step; call each pullback before the next stepVjp`);
      }
      return runSync(this.pull(outputAdjoint), 'fiber step adjoint');
    };
    return [output, pullback] as const;
  };

  private *advance(state: Float64Array, tapes?: StepTapes<T>): Op<Float64Array> {
    yield this.backend.uploadInto(this.input, state);
    yield* this.forward.run(this.input, this.output, tapes);
    return yield* settle(this.backend.download(this.output));
  }

  private *pull(outputAdjoint: Float64Array): Op<Float64Array> {
    yield this.backend.uploadInto(this.outputAdjoint, outputAdjoint);
    yield* this.reverse.run(this.tapes, this.outputAdjoint, this.inputAdjoint);
    return yield* settle(this.backend.download(this.inputAdjoint));
  }

  dispose(): void {
    this.backend.dispose();
  }
}
