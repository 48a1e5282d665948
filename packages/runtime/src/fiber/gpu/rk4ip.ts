import { GpuDevice } from './device';
import { Op, runAsync, runSync } from './drive';
import { DiagonalMultiplyAdd, LinearCombination } from './elementwise';
import { ComplexPlanes, DeviceField, downloadField, FieldUpload } from './field';
import { NonlinearOperator } from './nonlinear';
import { GpuStepProblem, uploadStepOperators } from './step-problem';

/**
 * One RK4IP step (Hult 2007) and its vector-jacobian product as gpu.js
 * kernels, for frequency-domain fields of `modes` × n samples:
 *   A_I = E·Â, k1 = E·h·N(Â), k2 = h·N(A_I + k1/2), k3 = h·N(A_I + k2/2),
 *   k4 = h·N(E·(A_I + k3)), Â' = E·(A_I + k1/6 + k2/3 + k3/3) + k4/6,  E = exp(h·D/2).
 * Each stage writes its own device buffer, so fields never leave the device
 * between kernels or between steps; only upload/download cross to the host.
 */
export class GpuRk4ipStepper {
  readonly n: number;
  readonly modes: number;
  private readonly h: number;
  private readonly stateUpload: FieldUpload;
  private readonly cotangentUpload: FieldUpload;
  // forward stages, each its own buffer
  private readonly aI: DiagonalMultiplyAdd;
  private readonly u2: DiagonalMultiplyAdd;
  private readonly acc1: DiagonalMultiplyAdd;
  private readonly u3: LinearCombination;
  private readonly acc2: LinearCombination;
  private readonly t3: LinearCombination;
  private readonly u4: DiagonalMultiplyAdd;
  private readonly acc3: LinearCombination;
  private readonly eAcc3: DiagonalMultiplyAdd;
  private readonly out: LinearCombination;
  // adjoint stages
  private readonly barC: DiagonalMultiplyAdd;
  private readonly barV: DiagonalMultiplyAdd;
  private readonly barAI1: LinearCombination;
  private readonly barK3: LinearCombination;
  private readonly barAI2: LinearCombination;
  private readonly barK2: LinearCombination;
  private readonly barAI3: LinearCombination;
  private readonly barK1: LinearCombination;
  private readonly barK1E: DiagonalMultiplyAdd;
  private readonly barIn: DiagonalMultiplyAdd;

  private constructor(
    readonly device: GpuDevice,
    problem: GpuStepProblem,
    halfStep: DeviceField,
    private readonly nonlinear: NonlinearOperator,
  ) {
    const { n, modes } = problem;
    this.n = n;
    this.modes = modes;
    this.h = problem.stepSize;
    this.stateUpload = new FieldUpload(device, 'rk.state', n, modes);
    this.cotangentUpload = new FieldUpload(device, 'rk.cotangent', n, modes);
    const e = (name: string) => new DiagonalMultiplyAdd(device, name, halfStep, modes);
    const sum = (name: string) => new LinearCombination(device, name, n, modes);
    this.aI = e('rk.aI');
    this.u2 = e('rk.u2');
    this.acc1 = e('rk.acc1');
    this.u3 = sum('rk.u3');
    this.acc2 = sum('rk.acc2');
    this.t3 = sum('rk.t3');
    this.u4 = e('rk.u4');
    this.acc3 = sum('rk.acc3');
    this.eAcc3 = e('rk.eAcc3');
    this.out = sum('rk.out');
    this.barC = e('rk.bar.c');
    this.barV = e('rk.bar.v');
    this.barAI1 = sum('rk.bar.aI1');
    this.barK3 = sum('rk.bar.k3');
    this.barAI2 = sum('rk.bar.aI2');
    this.barK2 = sum('rk.bar.k2');
    this.barAI3 = sum('rk.bar.aI3');
    this.barK1 = sum('rk.bar.k1');
    this.barK1E = e('rk.bar.k1E');
    this.barIn = e('rk.bar.in');
  }

  static *create(device: GpuDevice, problem: GpuStepProblem): Op<GpuRk4ipStepper> {
    const { halfStep, nonlinear } = yield* uploadStepOperators(device, problem);
    return new GpuRk4ipStepper(device, problem, halfStep, nonlinear);
  }

  /** Opens a stepper on a device of a synchronous mode. */
  static createSync(device: GpuDevice, problem: GpuStepProblem): GpuRk4ipStepper {
    return runSync(GpuRk4ipStepper.create(device, problem), 'GpuRk4ipStepper.createSync');
  }

  static createAsync(device: GpuDevice, problem: GpuStepProblem): Promise<GpuRk4ipStepper> {
    return runAsync(GpuRk4ipStepper.create(device, problem));
  }

  /** Â(z) → Â(z + h). The result is this stepper's buffer, overwritten by the next step(). */
  *step(u: DeviceField): Op<DeviceField> {
    const h = this.h;
    const nl = this.nonlinear;
    const aI = yield* this.aI.multiply(u);
    let k = yield* nl.apply(u);
    const u2 = yield* this.u2.run(h / 2, k, 1, aI);
    const acc1 = yield* this.acc1.run(h / 6, k, 1, aI);
    k = yield* nl.apply(u2);
    const u3 = yield* this.u3.run(1, aI, h / 2, k);
    const acc2 = yield* this.acc2.run(1, acc1, h / 3, k);
    k = yield* nl.apply(u3);
    const t3 = yield* this.t3.run(1, aI, h, k);
    const u4 = yield* this.u4.multiply(t3);
    const acc3 = yield* this.acc3.run(1, acc2, h / 3, k);
    const eAcc3 = yield* this.eAcc3.multiply(acc3);
    k = yield* nl.apply(u4);
    return yield* this.out.run(1, eAcc3, h / 6, k);
  }

  /**
   * The cotangent of the step's input Â given the cotangent of its output,
   * x̄ = ∂L/∂Re x + i·∂L/∂Im x for a real loss L. The forward stages are
   * recomputed from Â. The result is this stepper's buffer, overwritten by
   * the next stepVjp(); neither argument is overwritten before it is read.
   */
  *stepVjp(u: DeviceField, outBar: DeviceField): Op<DeviceField> {
    const h = this.h;
    const nl = this.nonlinear;
    // forward stages u2, u3, u4 (k4 and the output are not needed)
    const aI = yield* this.aI.multiply(u);
    let k = yield* nl.apply(u);
    const u2 = yield* this.u2.run(h / 2, k, 1, aI);
    k = yield* nl.apply(u2);
    const u3 = yield* this.u3.run(1, aI, h / 2, k);
    k = yield* nl.apply(u3);
    const t3 = yield* this.t3.run(1, aI, h, k);
    const u4 = yield* this.u4.multiply(t3);
    // reverse: ā_c = conj(E)·ō is the cotangent of A_I + k1/6 + k2/3 + k3/3
    const c = yield* this.barC.multiply(outBar, true);
    const u4Bar = yield* nl.vjp(u4, outBar, h / 6);
    const v = yield* this.barV.multiply(u4Bar, true);
    const aI1 = yield* this.barAI1.run(1, c, 1, v);
    const k3Bar = yield* this.barK3.run(1 / 3, c, 1, v);
    const u3Bar = yield* nl.vjp(u3, k3Bar, h);
    const aI2 = yield* this.barAI2.run(1, aI1, 1, u3Bar);
    const k2Bar = yield* this.barK2.run(1 / 3, c, 1 / 2, u3Bar);
    const u2Bar = yield* nl.vjp(u2, k2Bar, h);
    const aI3 = yield* this.barAI3.run(1, aI2, 1, u2Bar);
    const k1Bar = yield* this.barK1.run(1 / 6, c, 1 / 2, u2Bar);
    const k1BarE = yield* this.barK1E.multiply(k1Bar, true);
    const uBar = yield* nl.vjp(u, k1BarE, h);
    return yield* this.barIn.run(1, aI3, 1, uBar, true);
  }

  *upload(state: ComplexPlanes): Op<DeviceField> {
    return yield* this.stateUpload.upload(state, 'state');
  }

  *uploadCotangent(cotangent: ComplexPlanes): Op<DeviceField> {
    return yield* this.cotangentUpload.upload(cotangent, 'cotangent');
  }

  /** Uploads once, takes `steps` steps on the device, downloads once. */
  *advance(state: ComplexPlanes, steps = 1): Op<ComplexPlanes> {
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps: must be a non-negative integer, got ${steps}`);
    let u = yield* this.upload(state);
    for (let i = 0; i < steps; i++) u = yield* this.step(u);
    return yield* downloadField(u);
  }

  /** The input cotangent of one step from `state` given the output cotangent. */
  *pullback(state: ComplexPlanes, outBar: ComplexPlanes): Op<ComplexPlanes> {
    const u = yield* this.upload(state);
    const bar = yield* this.uploadCotangent(outBar);
    return yield* downloadField(yield* this.stepVjp(u, bar));
  }

  advanceSync(state: ComplexPlanes, steps = 1): ComplexPlanes {
    return runSync(this.advance(state, steps), 'GpuRk4ipStepper.advanceSync');
  }

  pullbackSync(state: ComplexPlanes, outBar: ComplexPlanes): ComplexPlanes {
    return runSync(this.pullback(state, outBar), 'GpuRk4ipStepper.pullbackSync');
  }

  advanceAsync(state: ComplexPlanes, steps = 1): Promise<ComplexPlanes> {
    return runAsync(this.advance(state, steps));
  }

  pullbackAsync(state: ComplexPlanes, outBar: ComplexPlanes): Promise<ComplexPlanes> {
    return runAsync(this.pullback(state, outBar));
  }
}
