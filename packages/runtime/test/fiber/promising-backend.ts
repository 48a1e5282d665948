/**
 * A step backend that answers like gpu.js in webgpu mode: Float64Backend with every
 * operation's answer delivered as a Promise on a later turn of the event loop. Shared by
 * the runtime's and the fiber example's tests of the asynchronous gradient paths.
 */
import type { StepBackend } from '@adjoint/runtime/fiber/backend';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import type { FiberModel } from '@adjoint/runtime/fiber/model';

const OPERATIONS = ['uploadInto', 'download', 'toTime', 'toFrequency', 'halfStep', 'nonlinear', 'nonlinearVjp', 'combine', 'accumulateProduct', 'ramanFractionTangent'] as const;

export class PromisingBackend {
  readonly asynchronous = true;
  /** Operations answered so far (each with a Promise). */
  answers = 0;
  disposed = false;
  private readonly inner: Float64Backend;

  constructor(model: FiberModel) {
    this.inner = new Float64Backend(model);
    for (const name of OPERATIONS) {
      const operation = (this.inner[name] as (...args: unknown[]) => unknown).bind(this.inner);
      (this as Record<string, unknown>)[name] = (...args: unknown[]) => {
        this.answers++;
        const result = operation(...args);
        return new Promise((resolve) => setImmediate(() => resolve(result)));
      };
    }
  }

  get modes() {
    return this.inner.modes;
  }
  get points() {
    return this.inner.points;
  }
  get bytesHeld() {
    return this.inner.bytesHeld;
  }
  field() {
    return this.inner.field();
  }
  tape() {
    return this.inner.tape();
  }
  dispose() {
    this.disposed = true;
    this.inner.dispose();
  }
}

/** A backend factory recording every backend it opens in `opened`. */
export function promisingFactory(opened: PromisingBackend[]): (model: FiberModel) => StepBackend<unknown, unknown> {
  return (model) => {
    const backend = new PromisingBackend(model);
    opened.push(backend);
    return backend as unknown as StepBackend<unknown, unknown>;
  };
}
