/** The elementwise kernels: scalar functions per dtype pairing, compiled into loops. */
import { binaryKernel, unaryKernel } from './elementwise';

export const addKernel = binaryKernel('add', {
  real: (a, b) => a + b,
  complex: (o, k, ar, ai, br, bi) => {
    o[k] = ar + br;
    o[k + 1] = ai + bi;
  },
});

export const subKernel = binaryKernel('sub', {
  real: (a, b) => a - b,
  complex: (o, k, ar, ai, br, bi) => {
    o[k] = ar - br;
    o[k + 1] = ai - bi;
  },
});

export const mulKernel = binaryKernel('mul', {
  real: (a, b) => a * b,
  complex: (o, k, ar, ai, br, bi) => {
    o[k] = ar * br - ai * bi;
    o[k + 1] = ar * bi + ai * br;
  },
});

export const divKernel = binaryKernel('div', {
  real: (a, b) => a / b,
  complex: (o, k, ar, ai, br, bi) => {
    const d = br * br + bi * bi;
    o[k] = (ar * br + ai * bi) / d;
    o[k + 1] = (ai * br - ar * bi) / d;
  },
});

export const powKernel = binaryKernel('pow', { real: Math.pow });
/** NaN-propagating, unlike `a > b ? a : b`. */
export const maximumKernel = binaryKernel('maximum', { real: Math.max });
export const minimumKernel = binaryKernel('minimum', { real: Math.min });
export const greaterKernel = binaryKernel('greater', { real: (a, b) => (a > b ? 1 : 0) });
export const greaterEqualKernel = binaryKernel('greaterEqual', { real: (a, b) => (a >= b ? 1 : 0) });
export const lessKernel = binaryKernel('less', { real: (a, b) => (a < b ? 1 : 0) });
export const lessEqualKernel = binaryKernel('lessEqual', { real: (a, b) => (a <= b ? 1 : 0) });
export const equalKernel = binaryKernel('equal', {
  real: (a, b) => (a === b ? 1 : 0),
});
export const complexKernel = binaryKernel('complex', {
  realToComplex: (o, k, re, im) => {
    o[k] = re;
    o[k + 1] = im;
  },
});

export const negKernel = unaryKernel('neg', {
  real: (a) => -a,
  complex: (o, k, re, im) => {
    o[k] = -re;
    o[k + 1] = -im;
  },
});

export const expKernel = unaryKernel('exp', {
  real: Math.exp,
  complex: (o, k, re, im) => {
    const m = Math.exp(re);
    o[k] = m * Math.cos(im);
    o[k + 1] = m * Math.sin(im);
  },
});

export const squareKernel = unaryKernel('square', {
  real: (a) => a * a,
  complex: (o, k, re, im) => {
    o[k] = re * re - im * im;
    o[k + 1] = 2 * re * im;
  },
});

export const logKernel = unaryKernel('log', { real: Math.log });
export const sinKernel = unaryKernel('sin', { real: Math.sin });
export const cosKernel = unaryKernel('cos', { real: Math.cos });
export const tanhKernel = unaryKernel('tanh', { real: Math.tanh });
/** Written so neither branch overflows: exp of a large positive argument is never taken. */
export const sigmoidKernel = unaryKernel('sigmoid', {
  real: (a) => {
    if (a >= 0) return 1 / (1 + Math.exp(-a));
    const e = Math.exp(a);
    return e / (1 + e);
  },
});
export const reluKernel = unaryKernel('relu', { real: (a) => (a > 0 ? a : a === a ? 0 : a) });
export const sqrtKernel = unaryKernel('sqrt', { real: Math.sqrt });
export const signKernel = unaryKernel('sign', { real: Math.sign });
export const absKernel = unaryKernel('abs', { real: Math.abs, complexToReal: Math.hypot });
export const abs2Kernel = unaryKernel('abs2', { real: (a) => a * a, complexToReal: (re, im) => re * re + im * im });
export const realKernel = unaryKernel('real', { complexToReal: (re) => re });
export const imagKernel = unaryKernel('imag', { complexToReal: (_re, im) => im });
export const conjKernel = unaryKernel('conj', {
  complex: (o, k, re, im) => {
    o[k] = re;
    o[k + 1] = -im;
  },
});
export const expiKernel = unaryKernel('expi', {
  realToComplex: (o, k, a) => {
    o[k] = Math.cos(a);
    o[k + 1] = Math.sin(a);
  },
});
