/**
 * One RK4IP step as the checkpointing engine sees it: states are host spectra
 * (Float64Array, 2·M·N interleaved numbers) and the taped evaluation hands back the
 * hand-written adjoint as its pullback. Fiber parameters the step reads (parameters.ts)
 * get their adjoints the engine's way: each pullback adds its step's terms into
 * accumulators these hooks own, so after the reverse sweep they hold the sums over all steps.
 *
 * Over a backend that answers asynchronously (StepBackend.asynchronous), every hook
 * answers with a Promise (runAsync), so the sweep must be driven by forwardAsync()/
 * backwardAsync(); otherwise the hooks answer at once (runSync).
 */
import type { AsyncPullback, AsyncStepHooks } from '../checkpoint/types';
import { runAsync, runSync, settle, type Answer, type Op } from '../drive/index';
import { Rk4ipAdjoint, type ParameterAccumulators } from './adjoint';
import type { StepBackend } from './backend';
import type { ParameterAdjoints, ParameterNeeds } from './parameters';
import { Rk4ipStep, type StepTapes } from './rk4ip';

export class FiberStepHooks<F, T> implements AsyncStepHooks<Float64Array> {
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
  /** Whether the hooks answer with Promises: decided once, by the backend. */
  readonly asynchronous: boolean;
  private generation = 0;

  /** `needs`: the parameter adjoints to accumulate (none by default). */
  constructor(backend: StepBackend<F, T>, needs?: ParameterNeeds) {
    if (needs?.ramanFraction && backend.ramanFractionTangent === undefined) {
      backend.dispose(); // the hooks own it, and there will be none to dispose of it later
      throw new Error(`fiber.raman.fR: this step backend (${backend.constructor.name}) cannot differentiate w.r.t. the Raman fraction; use the js (float64) backend`);
    }
    this.backend = backend;
    this.asynchronous = backend.asynchronous === true;
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


  readonly step = (state: Float64Array): Answer<Float64Array> => this.drive(this.advance(state), 'fiber step');

  readonly stepVjp = (state: Float64Array, index: number): Answer<readonly [Float64Array, AsyncPullback<Float64Array>]> => {
    const generation = ++this.generation;
    const pullback = (outputAdjoint: Float64Array): Answer<Float64Array> => {
      if (generation !== this.generation) {
        throw new Error(`fiber step ${index}: its tape was overwritten by a later taped step; call each pullback before the next stepVjp`);
      }
      return this.drive(this.pull(outputAdjoint), 'fiber step adjoint');
    };
    return this.drive(this.tapedStep(state, pullback), 'fiber step');
  };

  /** The parameter adjoints summed over every pullback so far (null where not wanted); synchronous backends only. */
  parameterAdjoints(): ParameterAdjoints {
    return runSync(this.downloadParameters(), 'fiber parameter adjoints', 'parameterAdjointsAsync()');
  }

  parameterAdjointsAsync(): Promise<ParameterAdjoints> {
    return runAsync(this.downloadParameters());
  }

  private drive<R>(op: Op<R>, what: string): Answer<R> {
    return this.asynchronous ? runAsync(op) : runSync(op, what);
  }

  private *tapedStep(state: Float64Array, pullback: AsyncPullback<Float64Array>): Op<readonly [Float64Array, AsyncPullback<Float64Array>]> {
    return [yield* this.advance(state, this.tapes), pullback] as const;
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
