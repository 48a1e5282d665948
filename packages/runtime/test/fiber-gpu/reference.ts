/**
 * Float64 references for the gpu.js fiber kernels, written straight from the
 * GMMNLSE spec: fft.js for F, the dense S tensor, and the Raman term as a
 * direct circular sum (no FFT), so they share no code path with the kernels.
 */
import FFT from 'fft.js';
import { ComplexPlanes, complexPlanes } from '@adjoint/runtime/fiber/gpu/field';
import { GpuStepProblem } from '@adjoint/runtime/fiber/gpu/step-problem';

export type Sign = 1 | -1;

/** scale·Σ_j x_j·exp(sign·2πi·jk/n) on each of `batch` signals. */
export function dft(x: ComplexPlanes, n: number, batch: number, sign: Sign, scale = 1): ComplexPlanes {
  const fft = new FFT(n);
  const inData = fft.createComplexArray();
  const outData = fft.createComplexArray();
  const out = complexPlanes(n * batch);
  for (let b = 0; b < batch; b++) {
    // fft.js computes the −i sign; the +i sign is conj(DFT₋(conj x))
    for (let j = 0; j < n; j++) {
      inData[2 * j] = x.re[b * n + j];
      inData[2 * j + 1] = -sign * x.im[b * n + j];
    }
    fft.transform(outData, inData);
    for (let k = 0; k < n; k++) {
      out.re[b * n + k] = scale * outData[2 * k];
      out.im[b * n + k] = -sign * scale * outData[2 * k + 1];
    }
  }
  return out;
}

export function randomPlanes(length: number, seed: number, amplitude = 1): ComplexPlanes {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  };
  const out = complexPlanes(length);
  for (let i = 0; i < length; i++) {
    out.re[i] = amplitude * next();
    out.im[i] = amplitude * next();
  }
  return out;
}

export function maxAbs(x: ComplexPlanes): number {
  let m = 0;
  for (let i = 0; i < x.re.length; i++) m = Math.max(m, Math.hypot(x.re[i], x.im[i]));
  return m;
}

/** max |a − b| / max |b|. */
export function relativeError(a: ComplexPlanes, b: ComplexPlanes): number {
  let m = 0;
  for (let i = 0; i < b.re.length; i++) m = Math.max(m, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return m / maxAbs(b);
}

/** Re⟨a, b⟩ = Σ Re(conj(a)·b). */
export function realDot(a: ComplexPlanes, b: ComplexPlanes): number {
  let s = 0;
  for (let i = 0; i < a.re.length; i++) s += a.re[i] * b.re[i] + a.im[i] * b.im[i];
  return s;
}

export function norm(a: ComplexPlanes): number {
  return Math.sqrt(realDot(a, a));
}

export function axpy(a: number, x: ComplexPlanes, y: ComplexPlanes): ComplexPlanes {
  const out = complexPlanes(x.re.length);
  for (let i = 0; i < x.re.length; i++) {
    out.re[i] = a * x.re[i] + y.re[i];
    out.im[i] = a * x.im[i] + y.im[i];
  }
  return out;
}

export function scaled(a: number, x: ComplexPlanes): ComplexPlanes {
  return { re: x.re.map((v) => a * v), im: x.im.map((v) => a * v) };
}

function mulElementwise(d: ComplexPlanes, x: ComplexPlanes, n: number, batch: number, rowsOfD: number): ComplexPlanes {
  const out = complexPlanes(n * batch);
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < n; j++) {
      const i = b * n + j;
      const di = (rowsOfD === 1 ? 0 : b) * n + j;
      out.re[i] = d.re[di] * x.re[i] - d.im[di] * x.im[i];
      out.im[i] = d.re[di] * x.im[i] + d.im[di] * x.re[i];
    }
  return out;
}

/** Blow-Wood response sampled on lags 0..n/2−1, zero for negative lags, scaled to dt·Σh = 1; returns dt·h_k. */
export function blowWoodWeights(n: number, dtPs: number): Float64Array {
  const tau1 = 0.0122;
  const tau2 = 0.032;
  const w = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n / 2; k++) {
    const t = k * dtPs;
    w[k] = ((tau1 ** 2 + tau2 ** 2) / (tau1 * tau2 ** 2)) * Math.exp(-t / tau2) * Math.sin(t / tau1);
    sum += w[k];
  }
  for (let k = 0; k < n; k++) w[k] /= sum;
  return w;
}

/** Ω_k = 2π·fftfreq(n, dt)_k. */
export function angularFrequencies(n: number, dtPs: number): Float64Array {
  const omega = new Float64Array(n);
  for (let k = 0; k < n; k++) omega[k] = (2 * Math.PI * (k < n / 2 ? k : k - n)) / (n * dtPs);
  return omega;
}

/** N(u) in float64, straight from the spec. */
export function referenceNonlinear(problem: GpuStepProblem, u: ComplexPlanes): ComplexPlanes {
  const { n, modes: M, overlap, ramanFraction: fR } = problem;
  const { sign, scale } = problem.transform ?? { sign: 1, scale: 1 };
  const a = dft(u, n, M, -sign as Sign, 1 / (n * scale));
  const w = problem.ramanWeights;
  // T_mn and its Raman convolution for every pair
  const t = complexPlanes(n * M * M);
  const v = complexPlanes(n * M * M);
  for (let m = 0; m < M; m++)
    for (let q = 0; q < M; q++) {
      const base = (m * M + q) * n;
      for (let j = 0; j < n; j++) {
        const ar = a.re[m * n + j], ai = a.im[m * n + j], br = a.re[q * n + j], bi = a.im[q * n + j];
        t.re[base + j] = ar * br + ai * bi;
        t.im[base + j] = ai * br - ar * bi;
      }
      if (fR > 0 && w) {
        for (let j = 0; j < n; j++) {
          let sr = 0, si = 0;
          for (let k = 0; k < n; k++) {
            const src = base + ((j - k + n) % n);
            sr += w[k] * t.re[src];
            si += w[k] * t.im[src];
          }
          v.re[base + j] = sr;
          v.im[base + j] = si;
        }
      }
    }
  const nl = complexPlanes(n * M);
  for (let p = 0; p < M; p++)
    for (let l = 0; l < M; l++)
      for (let m = 0; m < M; m++)
        for (let q = 0; q < M; q++) {
          const s = overlap[((p * M + l) * M + m) * M + q];
          if (s === 0) continue;
          const base = (m * M + q) * n;
          for (let j = 0; j < n; j++) {
            const qr = (1 - fR) * t.re[base + j] + fR * v.re[base + j];
            const qi = (1 - fR) * t.im[base + j] + fR * v.im[base + j];
            const lr = a.re[l * n + j], li = a.im[l * n + j];
            nl.re[p * n + j] += s * (lr * qr - li * qi);
            nl.im[p * n + j] += s * (lr * qi + li * qr);
          }
        }
  const spectrum = dft(nl, n, M, sign, scale);
  const prefactor = complexPlanes(n);
  for (let k = 0; k < n; k++) {
    prefactor.im[k] = problem.gamma0 * (1 + ((problem.selfSteepening ? 1 : 0) * problem.omega[k]) / problem.omega0);
  }
  return mulElementwise(prefactor, spectrum, n, M, 1);
}

/** One RK4IP step in float64, as the spec writes it. */
export function referenceStep(problem: GpuStepProblem, u: ComplexPlanes): ComplexPlanes {
  const { n, modes: M, stepSize: h } = problem;
  const e = complexPlanes(n * M);
  for (let i = 0; i < n * M; i++) {
    const mag = Math.exp((h / 2) * problem.dispersion.re[i]);
    e.re[i] = mag * Math.cos((h / 2) * problem.dispersion.im[i]);
    e.im[i] = mag * Math.sin((h / 2) * problem.dispersion.im[i]);
  }
  const E = (x: ComplexPlanes) => mulElementwise(e, x, n, M, M);
  const hN = (x: ComplexPlanes) => scaled(h, referenceNonlinear(problem, x));
  const aI = E(u);
  const k1 = E(hN(u));
  const k2 = hN(axpy(0.5, k1, aI));
  const k3 = hN(axpy(0.5, k2, aI));
  const k4 = hN(E(axpy(1, k3, aI)));
  const sum = axpy(1 / 3, k3, axpy(1 / 3, k2, axpy(1 / 6, k1, aI)));
  return axpy(1 / 6, k4, E(sum));
}

/** A single-mode problem with Raman (Blow-Wood) and self-steepening, on a window short enough to resolve h(t). */
export function singleModeProblem(n: number): GpuStepProblem {
  const dt = 2 / n; // 2 ps window
  const omega = angularFrequencies(n, dt);
  const dispersion = complexPlanes(n);
  for (let k = 0; k < n; k++) dispersion.im[k] = (-0.02 * omega[k] ** 2) / 2 + (0.0001 * omega[k] ** 3) / 6;
  return {
    n,
    modes: 1,
    stepSize: 0.004,
    dispersion,
    gamma0: 0.01,
    omega,
    omega0: (2 * Math.PI * 299792.458) / 1550,
    selfSteepening: true,
    overlap: [1],
    ramanFraction: 0.18,
    ramanWeights: blowWoodWeights(n, dt),
  };
}

/** Three modes with a sparse, index-parity overlap pattern, per-mode dispersion and a little loss. */
export function threeModeProblem(n: number): GpuStepProblem {
  const M = 3;
  const dt = 2 / n;
  const omega = angularFrequencies(n, dt);
  const dispersion = complexPlanes(n * M);
  for (let p = 0; p < M; p++)
    for (let k = 0; k < n; k++) {
      const w = omega[k];
      dispersion.re[p * n + k] = -0.5 * p;
      dispersion.im[p * n + k] = 3 * p + 0.05 * p * w + ((-0.02 + 0.004 * p) * w ** 2) / 2;
    }
  const overlap = new Float64Array(M ** 4);
  for (let p = 0; p < M; p++)
    for (let l = 0; l < M; l++)
      for (let m = 0; m < M; m++)
        for (let q = 0; q < M; q++)
          if ((p + l + m + q) % 2 === 0) overlap[((p * M + l) * M + m) * M + q] = 1 / (1 + p + l + m + q);
  return {
    n,
    modes: M,
    stepSize: 0.004,
    dispersion,
    gamma0: 0.01,
    omega,
    omega0: (2 * Math.PI * 299792.458) / 1550,
    selfSteepening: true,
    overlap,
    ramanFraction: 0.18,
    ramanWeights: blowWoodWeights(n, dt),
  };
}

/** A sech pulse of peak power P per mode (mode p scaled by 1/(p+1)), chirped a little, in the frequency domain of `problem`. */
export function pulseSpectrum(problem: GpuStepProblem, peakPowerW = 2000, fwhmPs = 0.1): ComplexPlanes {
  const { n, modes } = problem;
  const dt = 2 / n;
  const t0 = fwhmPs / 1.7627;
  const a = complexPlanes(n * modes);
  for (let p = 0; p < modes; p++)
    for (let j = 0; j < n; j++) {
      const t = (j - n / 2) * dt;
      const amp = Math.sqrt(peakPowerW) / Math.cosh(t / t0) / (p + 1);
      a.re[p * n + j] = amp * Math.cos(20 * t * t);
      a.im[p * n + j] = amp * Math.sin(20 * t * t);
    }
  const { sign, scale } = problem.transform ?? { sign: 1, scale: 1 };
  return dft(a, n, modes, sign, scale);
}
