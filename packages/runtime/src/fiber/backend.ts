/**
 * What the RK4IP step (rk4ip.ts) and its adjoint (adjoint.ts) need from a compute
 * backend. The step algorithms are written once against this interface; a backend
 * supplies storage and kernels (float64.ts: typed arrays; a gpu.js backend plugs in
 * the same way).
 *
 * A field is one M×N complex array (M modes, N time/frequency points) in the
 * backend's own storage `F`; host data is interleaved (re, im), mode-major.
 * `T` is the backend's record of one taped nonlinear evaluation.
 *
 * Aliasing: `combine` must accept dst among its terms; every other operation gets
 * dst distinct from its inputs (the algorithms guarantee it, so a GPU kernel never
 * reads and writes one texture).
 *
 * Answers: an operation returns its result at once, or, on a backend whose kernels
 * answer asynchronously (gpu.js webgpu mode), a Promise of it. The step algorithms
 * are generators that yield every answer (drive.ts), so runSync drives them over a
 * synchronous backend and runAsync over either; the next operation starts only once
 * the previous one has settled.
 *
 * Adjoints use the Wirtinger convention of nonlinear.ts (z̄ = ∂J/∂Re z + i·∂J/∂Im z).
 * The adjoint of a complex-linear operator is its conjugate transpose, so
 * toTime^H = N·toFrequency and toFrequency^H = toTime/N (helpers below).
 */
import type { Answer, Op } from '../drive/index';

export type { Answer };

export interface StepBackend<F, T> {
  readonly modes: number;
  readonly points: number;
  /** A new zero work field, held (and counted in bytesHeld) until dispose(). */
  field(): F;
  /**
   * dst = the host data (2·M·N numbers), copied: like every other operation's
   * result, it lives in dst until dst is written again.
   */
  uploadInto(dst: F, data: Float64Array): Answer;
  /** A fresh host copy of the field's data, owned by the caller. */
  download(field: F): Answer<Float64Array>;
  /** dst = spec F^{-1}(src) per mode: spectra → time fields. */
  toTime(src: F, dst: F): Answer;
  /** dst = spec F(src) per mode: time fields → spectra. */
  toFrequency(src: F, dst: F): Answer;
  /** dst = E ⊙ src with E = exp(h·D/2), or conj(E) ⊙ src (the adjoint) when `adjoint`. */
  halfStep(src: F, dst: F, adjoint: boolean): Answer;
  /** dst = h·N(src) for spectra src; with a tape, records what nonlinearVjp needs. */
  nonlinear(src: F, dst: F, tape?: T): Answer;
  /** A new, empty tape for one nonlinear evaluation, held until dispose(). */
  tape(): T;
  /** dst = (∂(h·N)/∂src)^H·adjoint at the spectra src taped by nonlinear(src, _, tape). */
  nonlinearVjp(tape: T, adjoint: F, dst: F): Answer;
  /** dst = Σ c_i·x_i with real c_i. */
  combine(dst: F, terms: readonly (readonly [number, F])[]): Answer;
  /**
   * acc += conj(adjoint) ⊙ primal, elementwise: the terms of Re⟨adjoint, primal⟩ that a
   * parameter's adjoint sums over stages and steps (adjoint.ts, parameters.ts). acc is
   * read and written; adjoint and primal are other fields.
   */
  accumulateProduct(acc: F, adjoint: F, primal: F): Answer;
  /**
   * dst = ∂(h·N)/∂fR at the spectra taped by nonlinear(src, _, tape); zero where the model
   * has no Raman term. Optional: a backend without it cannot differentiate w.r.t. fR.
   */
  ramanFractionTangent?(tape: T, dst: F): Answer;
  /** Bytes of fields, tapes and scratch this backend allocated and still holds. */
  readonly bytesHeld: number;
  /** True when operations answer with Promises (gpu.js webgpu mode): the step generators then run under runAsync. */
  readonly asynchronous?: boolean;
  /** Release everything the backend holds; it is unusable afterwards. */
  dispose(): void;
}

/** dst = toTime^H(src) = N·toFrequency(src). */
export function* toTimeAdjoint<F, T>(backend: StepBackend<F, T>, src: F, dst: F): Op<void> {
  yield backend.toFrequency(src, dst);
  yield backend.combine(dst, [[backend.points, dst]]);
}

/** dst = toFrequency^H(src) = toTime(src)/N. */
export function* toFrequencyAdjoint<F, T>(backend: StepBackend<F, T>, src: F, dst: F): Op<void> {
  yield backend.toTime(src, dst);
  yield backend.combine(dst, [[1 / backend.points, dst]]);
}
