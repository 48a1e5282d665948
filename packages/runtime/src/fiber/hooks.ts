/**
 * One RK4IP step as the checkpointing engine sees it: states are host spectra
 * (Float64Array, 2·M·N interleaved numbers) and the taped evaluation hands back the
 * hand-written adjoint as its pullback.
 */
import type { StepFn, StepHooks, StepVjp } from '../checkpoint/types';
import { Rk4ipAdjoint } from './adjoint';
import type { StepBackend } from './backend';
import { Rk4ipStep, type StepTapes } from './rk4ip';

export class FiberStepHooks<F, T> implements StepHooks<Float64Array> {
  readonly backend: StepBackend<F, T>;
  private readonly forward: Rk4ipStep<F, T>;
  private readonly reverse: Rk4ipAdjoint<F, T>;
  private readonly output: F;
  private readonly inputAdjoint: F;
  /** One step's tapes, reused: a pullback is valid until the next taped step. */
  private readonly tapes: StepTapes<T>;
  private generation = 0;

  constructor(backend: StepBackend<F, T>) {
    this.backend = backend;
    this.forward = new Rk4ipStep(backend);
    this.reverse = new Rk4ipAdjoint(backend);
    this.output = backend.field();
    this.inputAdjoint = backend.field();
    this.tapes = [backend.tape(), backend.tape(), backend.tape(), backend.tape()];
  }

  readonly step: StepFn<Float64Array> = (state) => {
    this.forward.run(this.backend.upload(state), this.output);
    return this.backend.download(this.output);
  };

  readonly stepVjp: StepVjp<Float64Array> = (state, index) => {
    const generation = ++this.generation;
    this.forward.run(this.backend.upload(state), this.output, this.tapes);
    const pullback = (outputAdjoint: Float64Array): Float64Array => {
      if (generation !== this.generation) {
        throw new Error(`fiber step ${index}: its tape was overwritten by a later taped step; call each pullback before the next stepVjp`);
      }
      this.reverse.run(this.tapes, this.backend.upload(outputAdjoint), this.inputAdjoint);
      return this.backend.download(this.inputAdjoint);
    };
    return [this.backend.download(this.output), pullback] as const;
  };

  dispose(): void {
    this.backend.dispose();
  }
}
