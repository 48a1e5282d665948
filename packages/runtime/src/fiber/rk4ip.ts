/**
 * One fixed RK4IP step (Hult 2007) exactly as the spec gives it, written once for
 * every backend. With E = exp(h·D/2) and spectra Â:
 *   A_I = E·Â;  k1 = E·[h·N(Â)];  k2 = h·N(A_I + k1/2);  k3 = h·N(A_I + k2/2);
 *   k4 = h·N(E·(A_I + k3));  Â(z+h) = E·(A_I + k1/6 + k2/3 + k3/3) + k4/6.
 */
import type { StepBackend } from './backend';
import type { Op } from './drive';

/** The nonlinear evaluations of one step, in order: at Â, A_I + k1/2, A_I + k2/2, E·(A_I + k3). */
export type StepTapes<T> = readonly [T, T, T, T];

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

  /** output = one step from input (distinct fields), yielding each operation's answer (drive.ts). With tapes, records what Rk4ipAdjoint needs. */
  *run(input: F, output: F, tapes?: StepTapes<T>): Op<void> {
    const b = this.backend;
    const { interaction: aI, k, stage: x, sum, temp } = this;
    yield b.halfStep(input, aI, false);
    yield b.nonlinear(input, temp, tapes?.[0]);
    yield b.halfStep(temp, k, false); // k1
    yield b.combine(sum, [
      [1, aI],
      [1 / 6, k],
    ]);
    yield b.combine(x, [
      [1, aI],
      [0.5, k],
    ]);
    yield b.nonlinear(x, k, tapes?.[1]); // k2
    yield b.combine(sum, [
      [1, sum],
      [1 / 3, k],
    ]);
    yield b.combine(x, [
      [1, aI],
      [0.5, k],
    ]);
    yield b.nonlinear(x, k, tapes?.[2]); // k3
    yield b.combine(sum, [
      [1, sum],
      [1 / 3, k],
    ]);
    yield b.combine(temp, [
      [1, aI],
      [1, k],
    ]);
    yield b.halfStep(temp, x, false);
    yield b.nonlinear(x, k, tapes?.[3]); // k4
    yield b.halfStep(sum, temp, false);
    yield b.combine(output, [
      [1, temp],
      [1 / 6, k],
    ]);
  }
}
