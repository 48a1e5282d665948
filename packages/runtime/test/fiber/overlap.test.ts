import test, { type ExecutionContext } from 'ava';
import { ComplexFft } from '@adjoint/runtime/fiber/fft';
import { KerrRamanKernel } from '@adjoint/runtime/fiber/nonlinear';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { findAsymmetry, sparseOverlap } from '@adjoint/runtime/fiber/overlap';
import { ramanResponse, ramanTransfer } from '@adjoint/runtime/fiber/raman';
import { maxAbs, random, randomArray, randomSymmetricOverlap } from './helpers';

/** NL_p of the spec by its dense definition, with the Raman convolution summed directly. */
function denseNonlinearity(S: number[], M: number, fields: Float64Array, N: number, fR: number, h: Float64Array, dt: number): Float64Array {
  const out = new Float64Array(2 * M * N);
  const re = (p: number, t: number) => fields[2 * (p * N + t)];
  const im = (p: number, t: number) => fields[2 * (p * N + t) + 1];
  for (let m = 0; m < M; m++)
    for (let n = 0; n < M; n++) {
      // g = A_m·conj(A_n), then (1 - fR)·g + fR·(h ⊛ g)
      const gRe = Float64Array.from({ length: N }, (_, t) => re(m, t) * re(n, t) + im(m, t) * im(n, t));
      const gIm = Float64Array.from({ length: N }, (_, t) => im(m, t) * re(n, t) - re(m, t) * im(n, t));
      const vRe = new Float64Array(N);
      const vIm = new Float64Array(N);
      for (let j = 0; j < N; j++) {
        let cRe = 0;
        let cIm = 0;
        for (let k = 0; k < N; k++) {
          cRe += h[k] * gRe[(j - k + N) % N];
          cIm += h[k] * gIm[(j - k + N) % N];
        }
        vRe[j] = (1 - fR) * gRe[j] + fR * dt * cRe;
        vIm[j] = (1 - fR) * gIm[j] + fR * dt * cIm;
      }
      for (let p = 0; p < M; p++)
        for (let l = 0; l < M; l++) {
          const s = S[((p * M + l) * M + m) * M + n];
          if (s === 0) continue;
          for (let t = 0; t < N; t++) {
            out[2 * (p * N + t)] += s * (re(l, t) * vRe[t] - im(l, t) * vIm[t]);
            out[2 * (p * N + t) + 1] += s * (re(l, t) * vIm[t] + im(l, t) * vRe[t]);
          }
        }
    }
  return out;
}

test('the symmetric sparse Kerr + Raman kernel equals the dense sum of the spec', (t) => {
  const M = 3;
  const N = 64;
  const dt = 0.004;
  const S = randomSymmetricOverlap(M, random(1)).map((s) => s / 1e10);
  const fields = randomArray(2 * M * N, random(2));
  const fft = new ComplexFft(N);
  const h = ramanResponse('blow-wood', N, dt);
  const transfer = ramanTransfer(h, dt, fft);
  for (const fR of [0, 0.18]) checkAgainstDenseSum(t, new KerrRamanKernel(sparseOverlap(S, M), N, fR, transfer, fft), S, M, fields, fR, h, dt);
});

/** The kernel's NL(fields) equals the spec's dense Σ_lmn sum to rounding. */
function checkAgainstDenseSum(t: ExecutionContext, kernel: KerrRamanKernel, S: number[], M: number, fields: Float64Array, fR: number, h: Float64Array, dt: number): void {
  const N = kernel.points;
  const out = new Float64Array(2 * M * N);
  kernel.apply(fields, out, new Float64Array(kernel.couplingCount * N));
  const expected = denseNonlinearity(S, M, fields, N, fR, h, dt);
  const error = maxAbs(out.map((v, i) => v - expected[i])) / maxAbs(expected);
  t.log(`fR = ${fR}: max relative difference ${error.toExponential(2)}`);
  t.true(error < 1e-13);
}

test('graded-index couplings go through a row basis: 15 Raman signals for 21 pairs of 6 modes, the same NL as the dense sum', (t) => {
  // Hermite–Gaussian modes of order ≤ 2 have products of order ≤ 4 in x and y together:
  // polynomials with 15 monomials (times one Gaussian), so W has rank 15.
  const M = 6;
  const N = 1024; // two blocks of time points
  const dt = 0.004;
  const S = Array.from(grinFiber({ coreRadiusUm: 25, na: 0.2, wavelengthNm: 1030, modes: M }).overlap, (s) => s / 1e10);
  const fields = randomArray(2 * M * N, random(7));
  const fft = new ComplexFft(N);
  const h = ramanResponse('blow-wood', N, dt);
  const sparse = sparseOverlap(S, M);
  t.is(sparse.pairs.length, 21);
  for (const fR of [0, 0.18]) {
    const kernel = new KerrRamanKernel(sparse, N, fR, ramanTransfer(h, dt, fft), fft);
    t.is(kernel.signalCount, 15);
    checkAgainstDenseSum(t, kernel, S, M, fields, fR, h, dt);
  }
});

test('only nonzero entries are listed, once per permutation class', (t) => {
  const M = 4;
  const S = randomSymmetricOverlap(M, random(3), 0.5);
  const sparse = sparseOverlap(S, M);
  const nonzero = S.filter((s) => s !== 0).length;
  t.is(
    sparse.terms.reduce((sum, term) => sum + term.multiplicity, 0),
    nonzero,
    'the unique terms and their multiplicities cover exactly the nonzero entries',
  );
  t.true(sparse.terms.every((term) => term.value !== 0));
  for (const { p, l, pairs, weights } of sparse.couplings) {
    t.true(p <= l);
    pairs.forEach((pair, j) => {
      const [m, n] = sparse.pairs[pair];
      const s = S[((p * M + l) * M + m) * M + n];
      t.not(s, 0);
      t.is(weights[j], m < n ? 2 * s : s);
    });
  }
});

test('a diagonal S needs one pair and one coupling per mode: the work follows the nonzeros', (t) => {
  const M = 5;
  const S = new Array<number>(M ** 4).fill(0);
  for (let p = 0; p < M; p++) S[((p * M + p) * M + p) * M + p] = 1 + p;
  const sparse = sparseOverlap(S, M);
  t.is(sparse.terms.length, M);
  t.deepEqual(
    sparse.pairs.map(([m, n]) => [m, n]),
    Array.from({ length: M }, (_, p) => [p, p]),
  );
  t.deepEqual(
    sparse.couplings.map(({ p, l, pairs }) => [p, l, pairs.length]),
    Array.from({ length: M }, (_, p) => [p, p, 1]),
  );
});

test('small entries are dropped only when dropBelow is given', (t) => {
  const M = 2;
  const S = new Array<number>(16).fill(0);
  const set = (value: number, ...indices: number[][]) => indices.forEach(([p, l, m, n]) => (S[((p * M + l) * M + m) * M + n] = value));
  set(1, [0, 0, 0, 0]);
  set(0.5, [1, 1, 1, 1]);
  set(3e-6, [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]);
  t.is(sparseOverlap(S, M).terms.length, 3);
  t.is(sparseOverlap(S, M, { dropBelow: 1e-6 }).terms.length, 3);
  const dropped = sparseOverlap(S, M, { dropBelow: 1e-5 });
  t.deepEqual(
    dropped.terms.map((term) => term.indices),
    [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ],
  );
});

test('an asymmetric S is rejected with the entries that differ', (t) => {
  const M = 2;
  const S = randomSymmetricOverlap(M, random(4), 0);
  S[((0 * M + 1) * M + 1) * M + 1] *= 1.01;
  t.regex(findAsymmetry(S, M) ?? '', /S\[0\]\[1\]\[1\]\[1\] = .* but S\[1\]\[0\]\[1\]\[1\] = /);
  t.throws(() => sparseOverlap(S, M), { message: /symmetric under index permutations/ });
});
