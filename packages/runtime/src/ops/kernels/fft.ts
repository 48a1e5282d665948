/**
 * Discrete Fourier transform along the last axis, NumPy's convention:
 * X_k = Σ_j x_j·exp(-2πi·jk/n), and the inverse divides by n.
 * Power-of-two lengths use fft.js (radix-4); other lengths use Bluestein's chirp-z
 * algorithm on top of it, so every length costs O(n log n).
 */
import FFT = require('fft.js');
import { alloc } from '../../tensor/dtype';
import { Tensor } from '../../tensor/tensor';

interface Plan {
  /** Transforms `x` (interleaved, length 2n) into `out`; `x` may be overwritten. */
  forward(x: Float64Array, out: Float64Array): void;
}

const plans = new Map<number, Plan>();

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

function radix2Plan(n: number): Plan {
  if (n === 1) return { forward: (x, out) => out.set(x) };
  const f = new FFT(n);
  return { forward: (x, out) => f.transform(out, x) };
}

/**
 * Bluestein: with c_j = exp(-iπ·j²/n), X_k = c_k·Σ_j (x_j·c_j)·conj(c_{k-j}), a
 * convolution evaluated by power-of-two FFTs of length m >= 2n - 1.
 */
function bluesteinPlan(n: number): Plan {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const f = new FFT(m);
  const chirp = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const angle = (Math.PI * ((j * j) % (2 * n))) / n; // j² mod 2n keeps the angle exact for large j
    chirp[2 * j] = Math.cos(angle);
    chirp[2 * j + 1] = -Math.sin(angle);
  }
  const kernel = new Float64Array(2 * m);
  for (let j = 0; j < n; j++) {
    for (const at of j === 0 ? [0] : [j, m - j]) {
      kernel[2 * at] = chirp[2 * j];
      kernel[2 * at + 1] = -chirp[2 * j + 1];
    }
  }
  const kernelHat = new Float64Array(2 * m);
  f.transform(kernelHat, kernel);
  const a = new Float64Array(2 * m);
  const aHat = new Float64Array(2 * m);
  const conv = new Float64Array(2 * m);
  return {
    forward(x, out) {
      a.fill(0);
      for (let j = 0; j < n; j++) {
        const [xr, xi, cr, ci] = [x[2 * j], x[2 * j + 1], chirp[2 * j], chirp[2 * j + 1]];
        a[2 * j] = xr * cr - xi * ci;
        a[2 * j + 1] = xr * ci + xi * cr;
      }
      f.transform(aHat, a);
      for (let k = 0; k < m; k++) {
        const [ar, ai, br, bi] = [aHat[2 * k], aHat[2 * k + 1], kernelHat[2 * k], kernelHat[2 * k + 1]];
        aHat[2 * k] = ar * br - ai * bi;
        aHat[2 * k + 1] = ar * bi + ai * br;
      }
      f.inverseTransform(conv, aHat);
      for (let k = 0; k < n; k++) {
        const [vr, vi, cr, ci] = [conv[2 * k], conv[2 * k + 1], chirp[2 * k], chirp[2 * k + 1]];
        out[2 * k] = vr * cr - vi * ci;
        out[2 * k + 1] = vr * ci + vi * cr;
      }
    },
  };
}

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (!plan) {
    plan = isPowerOfTwo(n) ? radix2Plan(n) : bluesteinPlan(n);
    plans.set(n, plan);
  }
  return plan;
}

/** fft (inverse = false) or ifft of a complex128 tensor along its last axis. */
export function fftKernel(x: Tensor, inverse: boolean): Tensor {
  if (x.dtype !== 'complex128') throw new Error('internal: fftKernel needs complex128 data');
  if (x.ndim === 0) throw new Error(`${inverse ? 'ifft' : 'fft'}: needs at least one axis (got a 0-d tensor)`);
  const n = x.shape[x.ndim - 1];
  const out = alloc('complex128', x.size) as Float64Array;
  if (n === 0) return new Tensor(out, x.shape, 'complex128');
  const plan = planFor(n);
  const row = new Float64Array(2 * n);
  const src = x._data;
  // ifft(x) = conj(fft(conj(x))) / n
  const sign = inverse ? -1 : 1;
  const scale = inverse ? 1 / n : 1;
  for (let r = 0; r < x.size / n; r++) {
    const base = 2 * n * r;
    for (let j = 0; j < 2 * n; j += 2) {
      row[j] = src[base + j];
      row[j + 1] = sign * src[base + j + 1];
    }
    const dst = out.subarray(base, base + 2 * n);
    plan.forward(row, dst);
    if (inverse) for (let j = 0; j < 2 * n; j += 2) {
      dst[j] *= scale;
      dst[j + 1] *= -scale;
    }
  }
  return new Tensor(out, x.shape, 'complex128');
}
