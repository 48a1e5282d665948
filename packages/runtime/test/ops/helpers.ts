import type { ExecutionContext } from 'ava';
import { grad } from '@adjoint/runtime/autodiff/index';
import { add, imag, mul, real, sum } from '@adjoint/runtime/ops/index';
import { Tensor } from '@adjoint/runtime/tensor/index';

/** Deterministic values in [lo, hi) (mulberry32), independent of the runtime's RNG. */
export function seeded(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    data[i] = lo + ((((r ^ (r >>> 14)) >>> 0) / 4294967296) * (hi - lo));
  }
  return new Tensor(data, shape);
}

/** A real loss that weighs every output element (real and imaginary parts) differently. */
function projector(y: Tensor): (out: Tensor) => Tensor {
  if (!y.isComplex) {
    const w = seeded(y.shape, 991);
    return (out) => sum(mul(out, w));
  }
  const w1 = seeded(y.shape, 992);
  const w2 = seeded(y.shape, 993);
  return (out) => sum(add(mul(real(out), w1), mul(imag(out), w2)));
}

/**
 * Checks the reverse-mode gradient of a weighted sum of f's output against central
 * finite differences on every element of every (real, float64) input.
 */
export function checkGradient(t: ExecutionContext, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tolerance = 1e-7, h = 1e-5): void {
  const project = projector(f(...inputs));
  const loss = (...xs: Tensor[]) => project(f(...xs));
  const argnums = inputs.map((_, i) => i);
  const analytic = grad(loss, argnums)(...inputs) as Tensor[];
  const failures: string[] = [];
  inputs.forEach((x, i) => {
    t.deepEqual(analytic[i].shape, x.shape, `gradient ${i} has the input's shape`);
    t.is(analytic[i].dtype, x.dtype, `gradient ${i} has the input's dtype`);
    for (let j = 0; j < x.size; j++) {
      const at = (delta: number) => {
        const d = new Float64Array(x.data);
        d[j] += delta;
        const xs = inputs.map((y, k) => (k === i ? new Tensor(d, x.shape) : y));
        return loss(...xs).item();
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      const got = analytic[i].data[j];
      if (!(Math.abs(got - numeric) <= tolerance * (1 + Math.abs(numeric)))) failures.push(`input ${i}[${j}]: reverse ${got}, finite difference ${numeric}`);
    }
  });
  t.deepEqual(failures, []);
}

export function close(t: ExecutionContext, got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-12, what = ''): void {
  t.is(got.length, want.length, `${what} length`);
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tolerance * (1 + Math.abs(want[i])))) bad.push(`[${i}] ${got[i]} vs ${want[i]}`);
  }
  t.deepEqual(bad, [], what);
}
