/**
 * One fixed RK4IP step (Hult 2007) exactly as the spec gives it, written once for
 * every backend. With E = exp(h·D/2) and spectra Â:
 *   A_I = E·Â;  k1 = E·[h·N(Â)];  k2 = h·N(A_I + k1/2);  k3 = h·N(A_I + k2/2);
 *   k4 = h·N(E·(A_I + k3));  Â(z+h) = E·(A_I + k1/6 + k2/3 + k3/3) + k4/6.
 */
import type { StepBackend } from './backend';
import type { Op } from '../drive/index';

/** The nonlinear evaluations of one step, in order: at Â, A_I + k1/2, A_I + k2/2, E·(A_I + k3). */
export type StepTapes<T> = readonly [T, T, T, T];

/**
 * Fields a step writes A_I and k1..k4 into instead of its own work fields, so that
 * they outlive the step: the parameter adjoints (adjoint.ts) pair them with their adjoints.
 */
export interface StageRecord<F> {
  readonly interaction: F;
  readonly stages: readonly [F, F, F, F];
}

export class Rk4ipStep<F, T> {
  private readonly backend: StepBackend<F, T>;
  private readonly interaction: F;
  private readonly k: F;
  private readonly stage: F;
  private readonly sum: F;
  private readonly temp: F;

  constructor(backend: StepBackend<F, T>) {
    this.backend = backend;
    this.interaction = backend.field();
    this.k = backend.field();
    this.stage = backend.field();
    this.sum = backend.field();
    this.temp = backend.field();
  }

  /**
   * output = one step from input (distinct fields), yielding each operation's answer (drive.ts).
   * With tapes, records what Rk4ipAdjoint needs; with a record, keeps A_I and k1..k4 there.
   */
  *run(input: F, output: F, tapes?: StepTapes<T>, record?: StageRecord<F>): Op<void> {
    const b = this.backend;
    const { stage: x, sum, temp } = this;
    const aI = record?.interaction ?? this.interaction;
    const [k1, k2, k3, k4] = record?.stages ?? [this.k, this.k, this.k, this.k];
    yield b.halfStep(input, aI, false);
    yield b.nonlinear(input, temp, tapes?.[0]);
    yield b.halfStep(temp, k1, false);
    yield b.combine(sum, [
      [1, aI],
      [1 / 6, k1],
    ]);
    yield b.combine(x, [
      [1, aI],
      [0.5, k1],
    ]);
    yield b.nonlinear(x, k2, tapes?.[1]);
    yield b.combine(sum, [
      [1, sum],
      [1 / 3, k2],
    ]);
    yield b.combine(x, [
      [1, aI],
      [0.5, k2],
    ]);
    yield b.nonlinear(x, k3, tapes?.[2]);
    yield b.combine(sum, [
      [1, sum],
      [1 / 3, k3],
    ]);
    yield b.combine(temp, [
      [1, aI],
      [1, k3],
    ]);
    yield b.halfStep(temp, x, false);
    yield b.nonlinear(x, k4, tapes?.[3]);
    yield b.halfStep(sum, temp, false);
    yield b.combine(output, [
      [1, temp],
      [1 / 6, k4],
    ]);
  }
}
