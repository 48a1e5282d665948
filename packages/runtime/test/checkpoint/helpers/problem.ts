/**
 * The test loop x_{i+1} = sin(x_i)·w + 0.1·x_i² (elementwise, Float64Array or scalar),
 * with a hand-written VJP that accumulates dJ/dw in a closure, and call counters.
 */
import type { StepHooks } from '@adjoint/runtime/checkpoint/types';

export function randomVector(m: number, seed: number, lo: number, hi: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

export interface VectorProblem {
  hooks: StepHooks<Float64Array>;
  w: Float64Array;
  /** dJ/dw accumulated by the pullbacks so far. */
  dw: Float64Array;
  calls: { step: number; stepVjp: number; pullback: number };
}

export function vectorProblem(w: Float64Array): VectorProblem {
  const dw = new Float64Array(w.length);
  const calls = { step: 0, stepVjp: 0, pullback: 0 };
  const forward = (x: Float64Array): Float64Array => {
    const y = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) y[j] = Math.sin(x[j]) * w[j] + 0.1 * x[j] * x[j];
    return y;
  };
  return {
    w,
    dw,
    calls,
    hooks: {
      step: (x) => {
        calls.step++;
        return forward(x);
      },
      stepVjp: (x) => {
        calls.stepVjp++;
        const input = x.slice();
        return [
          forward(x),
          (g) => {
            calls.pullback++;
            const gx = new Float64Array(g.length);
            for (let j = 0; j < g.length; j++) {
              gx[j] = g[j] * (Math.cos(input[j]) * w[j] + 0.2 * input[j]);
              dw[j] += g[j] * Math.sin(input[j]);
            }
            return gx;
          },
        ];
      },
    },
  };
}

/** The whole loop run plainly: for finite differences. */
export function runVectorLoop(x0: Float64Array, w: Float64Array, n: number): Float64Array {
  let x = x0;
  for (let i = 0; i < n; i++) {
    const y = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) y[j] = Math.sin(x[j]) * w[j] + 0.1 * x[j] * x[j];
    x = y;
  }
  return x;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Same bits, NaN payloads and signed zeros included. */
export function sameBits(a: Float64Array | Float32Array, b: Float64Array | Float32Array): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}

