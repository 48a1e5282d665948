/**
 * One orchestration, two drivers. Some callees answer at once and some with Promises:
 * gpu.js kernels in webgpu mode, and the checkpoint sweep's hooks when they run such
 * kernels. Kernel sequences, the RK4IP step over a StepBackend's operations
 * (fiber/rk4ip.ts, fiber/adjoint.ts) and the sweep's action executor
 * (checkpoint/sweep.ts) are written once as generators that `yield` each raw answer;
 * runSync feeds answers straight back, runAsync awaits them first.
 */
export type Op<T> = Generator<unknown, T, unknown>;

/** A result, or a Promise of it where the callee answers asynchronously. */
export type Answer<R = void> = R | Promise<R>;

/** Yields a raw answer and resumes with its settled value. */
export function* settle<T>(value: Answer<T>): Op<T> {
  return (yield value) as T;
}

/**
 * Drives `op` to its end without waiting; an answer that is a Promise ends it (its
 * finally blocks run) with an error naming `what` and the asynchronous alternative.
 */
export function runSync<T>(op: Op<T>, what: string, instead = 'the async method'): T {
  let next = op.next();
  while (!next.done) {
    if (next.value instanceof Promise) {
      next.value.catch(() => undefined); // its outcome is moot once we refuse it
      op.return(undefined as never); // runs the generator's finally blocks
      throw new Error(`${what} answered asynchronously (with a Promise); use ${instead} instead`);
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
