/**
 * One RK4IP step as the checkpointing engine sees it: states are host spectra
 * (Float64Array, 2·M·N interleaved numbers) and the taped evaluation hands back the
 * hand-written adjoint as its pullback. Fiber parameters the step reads (parameters.ts)
 * get their adjoints the engine's way: each pullback adds its step's terms into
 * accumulators these hooks own, so after the reverse sweep they hold the sums over all steps.
 */
import type { StepFn, StepHooks, StepVjp } from '../checkpoint/types';
import { Rk4ipAdjoint, type ParameterAccumulators } from './adjoint';
import type { StepBackend } from './backend';
import { runSync, settle, type Op } from './drive';
import type { ParameterAdjoints, ParameterNeeds } from './parameters';
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
  /** Only when some parameter adjoint is wanted: the extra fields cost nothing otherwise. */
  private readonly parameters: ParameterAccumulators<F> | undefined;
  private generation = 0;

  /** `needs`: the parameter adjoints to accumulate (none by default). */
  constructor(backend: StepBackend<F, T>, needs?: ParameterNeeds) {
    if (needs?.ramanFraction && backend.ramanFractionTangent === undefined) {
      backend.dispose(); // the hooks own it, and there will be none to dispose of it later
      throw new Error(`fiber.raman.fR: this step backend (${backend.constructor.name}) cannot differentiate w.r.t. the Raman fraction; use the js (float64) backend`);
    }
    this.backend = backend;
    this.forward = new Rk4ipStep(backend);
    this.reverse = new Rk4ipAdjoint(backend);
    this.input = backend.field();
    this.output = backend.field();
    this.outputAdjoint = backend.field();
    this.inputAdjoint = backend.field();
    this.tapes = [backend.tape(), backend.tape(), backend.tape(), backend.tape()];
    if (needs && (needs.dispersion || needs.nonlinear || needs.ramanFraction)) {
      const field = () => backend.field();
      this.parameters = {
        record: { interaction: field(), stages: [field(), field(), field(), field()] },
        dispersion: needs.dispersion ? field() : null,
        nonlinear: needs.nonlinear ? field() : null,
        ramanFraction: needs.ramanFraction ? field() : null,
        work: field(),
        tangent: field(),
      };
    }
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

  /** The parameter adjoints summed over every pullback so far (null where not wanted). */
  parameterAdjoints(): ParameterAdjoints {
    return runSync(this.downloadParameters(), 'fiber parameter adjoints');
  }

  private *advance(state: Float64Array, tapes?: StepTapes<T>): Op<Float64Array> {
    yield this.backend.uploadInto(this.input, state);
    yield* this.forward.run(this.input, this.output, tapes, tapes && this.parameters?.record);
    return yield* settle(this.backend.download(this.output));
  }

  private *pull(outputAdjoint: Float64Array): Op<Float64Array> {
    yield this.backend.uploadInto(this.outputAdjoint, outputAdjoint);
    yield* this.reverse.run(this.tapes, this.outputAdjoint, this.inputAdjoint, this.parameters);
    return yield* settle(this.backend.download(this.inputAdjoint));
  }

  private *downloadParameters(): Op<ParameterAdjoints> {
    const p = this.parameters;
    return {
      dispersion: yield* this.host(p?.dispersion),
      nonlinear: realSum(yield* this.host(p?.nonlinear)),
      ramanFraction: realSum(yield* this.host(p?.ramanFraction)),
    };
  }

  private *host(field: F | null | undefined): Op<Float64Array | null> {
    return field ? yield* settle(this.backend.download(field)) : null;
  }

  dispose(): void {
    this.backend.dispose();
  }
}

/** Re Σ of interleaved complex values. */
function realSum(values: Float64Array | null): number | null {
  if (values === null) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i += 2) sum += values[i];
  return sum;
}
