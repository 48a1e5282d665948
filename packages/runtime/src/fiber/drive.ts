/**
 * One orchestration, two drivers. gpu.js kernels answer synchronously in the
 * cpu and GL modes but with Promises in webgpu mode. Kernel sequences, and the
 * RK4IP step over a StepBackend's operations (rk4ip.ts, adjoint.ts), are
 * written once as generators that `yield` each raw result; runSync feeds
 * results straight back, runAsync awaits them first.
 */
export type Op<T> = Generator<unknown, T, unknown>;

/** Yields a raw kernel (or readback) result and resumes with its settled value. */
export function* settle<T>(value: T | Promise<T>): Op<T> {
  return (yield value) as T;
}

export function runSync<T>(op: Op<T>, what: string): T {
  let next = op.next();
  while (!next.done) {
    if (next.value instanceof Promise) {
      next.value.catch(() => undefined); // its outcome is moot once we refuse it
      op.return(undefined as never); // runs the generator's finally blocks
      throw new Error(`${what}: this gpu.js mode answers asynchronously; use the async method instead`);
    }
    next = op.next(next.value);
  }
  return next.value;
}

export async function runAsync<T>(op: Op<T>): Promise<T> {
  let next = op.next();
  while (!next.done) next = op.next(await next.value);
  return next.value;
}
