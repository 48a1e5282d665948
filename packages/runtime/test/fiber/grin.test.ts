import test from 'ava';
import { C_M_PER_PS, centerOmega } from '@adjoint/runtime/fiber/grid';
import { grinFiber } from '@adjoint/runtime/fiber/grin';
import { findAsymmetry, sparseOverlap } from '@adjoint/runtime/fiber/overlap';
import { ConfigError } from '@adjoint/runtime/fiber/validate';

const options = { coreRadiusUm: 25, na: 0.2, wavelengthNm: 1030, modes: 10 };
const fiber = grinFiber(options);
const M = options.modes;
const S = (p: number, l: number, m: number, n: number) => fiber.overlap[((p * M + l) * M + m) * M + n];

test('S_1111 equals the analytic 1/A_eff = 1/(2π·w²) of the fundamental mode, and Hermite–Gaussian ratios hold', (t) => {
  const w = fiber.modeRadiusUm * 1e-6;
  const inverseArea = 1 / (2 * Math.PI * w * w);
  t.log(`w = ${fiber.modeRadiusUm.toFixed(4)} µm, S_1111 = ${S(0, 0, 0, 0).toExponential(10)} 1/m², 1/A_eff = ${inverseArea.toExponential(10)} 1/m²`);
  t.true(Math.abs(S(0, 0, 0, 0) / inverseArea - 1) < 1e-12);
  // w² = a/(k·n1·sqrt(2Δ))
  const k = centerOmega(options.wavelengthNm) / C_M_PER_PS;
  t.true(Math.abs((w * w) / (25e-6 / (k * fiber.coreIndex * Math.sqrt(2 * fiber.delta))) - 1) < 1e-12);
  // ∫u0²u1² = ∫u0⁴/2 and ∫u1⁴ = 3/4·∫u0⁴ in each direction; modes 1 = HG10 and 4 = HG11
  t.is(fiber.modes[1].label, 'HG10');
  t.is(fiber.modes[4].label, 'HG11');
  t.true(Math.abs(S(0, 0, 1, 1) / S(0, 0, 0, 0) - 0.5) < 1e-12);
  t.true(Math.abs(S(1, 1, 1, 1) / S(0, 0, 0, 0) - 0.75) < 1e-12);
  t.true(Math.abs(S(4, 4, 4, 4) / S(0, 0, 0, 0) - 0.5625) < 1e-12);
});

test('S is exactly symmetric and zero wherever parity forbids an overlap', (t) => {
  t.is(findAsymmetry(fiber.overlap, M, 0), null);
  let allowed = 0;
  for (let p = 0; p < M; p++)
    for (let l = 0; l < M; l++)
      for (let m = 0; m < M; m++)
        for (let n = 0; n < M; n++) {
          const q = [p, l, m, n].map((i) => fiber.modes[i]);
          const even = q.reduce((s, mode) => s + mode.mx, 0) % 2 === 0 && q.reduce((s, mode) => s + mode.my, 0) % 2 === 0;
          if (even) {
            allowed++;
            t.not(S(p, l, m, n), 0);
          } else t.is(S(p, l, m, n), 0);
        }
  const sparse = sparseOverlap(fiber.overlap, M);
  t.is(
    sparse.terms.reduce((sum, term) => sum + term.multiplicity, 0),
    allowed,
  );
  t.log(`${allowed} of ${M ** 4} entries are nonzero; ${sparse.terms.length} unique terms, ${sparse.pairs.length} pairs`);
});

test('the sampled profiles and betas solve the scalar wave equation of the parabolic profile', (t) => {
  const k = centerOmega(options.wavelengthNm) / C_M_PER_PS;
  const a = 25e-6;
  const h = fiber.modeRadiusUm / 200; // µm
  for (const mode of [0, 1, 4, 6]) {
    const beta = fiber.modes[mode].betas[0];
    for (const [x, y] of [
      [0.3, 0.2],
      [-2.1, 1.3],
      [4.0, -3.5],
    ]) {
      const psi = (u: number, v: number) => fiber.field(mode, u, v);
      const laplacian = (psi(x + h, y) + psi(x - h, y) + psi(x, y + h) + psi(x, y - h) - 4 * psi(x, y)) / (h * 1e-6) ** 2;
      const r2 = (x * x + y * y) * 1e-12;
      const potential = (k * fiber.coreIndex) ** 2 * (1 - (2 * fiber.delta * r2) / (a * a)) - beta * beta;
      const residual = Math.abs(laplacian + potential * psi(x, y)) / (Math.abs(laplacian) + Math.abs(potential * psi(x, y)));
      t.true(residual < 1e-4, `${fiber.modes[mode].label} at (${x}, ${y}) µm: relative residual ${residual.toExponential(2)}`);
    }
  }
});

test('beta_1..beta_3 are the derivatives of the dispersion relation, plus the material terms', (t) => {
  const k0 = centerOmega(options.wavelengthNm) / C_M_PER_PS;
  const withMaterial = grinFiber({ ...options, materialBetas: [0.018, 4e-5, 1e-7] });
  for (const mode of [0, 3, 9]) {
    const { mx, my, betas } = fiber.modes[mode];
    // beta(ω) = sqrt((n1·ω/c)² - 2·(n1·ω/c)·sqrt(2Δ)·g/a)
    const beta = (omega: number) => {
      const kn = (fiber.coreIndex * omega) / C_M_PER_PS;
      return Math.sqrt(kn * kn - (2 * kn * Math.sqrt(2 * fiber.delta) * (mx + my + 1)) / 25e-6);
    };
    const w0 = k0 * C_M_PER_PS;
    const d = 5;
    const first = (beta(w0 + d) - beta(w0 - d)) / (2 * d);
    const second = (beta(w0 + d) - 2 * beta(w0) + beta(w0 - d)) / (d * d);
    const third = (beta(w0 + 2 * d) - 2 * beta(w0 + d) + 2 * beta(w0 - d) - beta(w0 - 2 * d)) / (2 * d ** 3);
    t.true(Math.abs(betas[0] / beta(w0) - 1) < 1e-14);
    t.true(Math.abs(first / betas[1] - 1) < 1e-9);
    t.true(Math.abs(second / betas[2] - 1) < 1e-3, `beta2 ${betas[2]} vs ${second}`);
    t.true(Math.abs(third / betas[3] - 1) < 0.05, `beta3 ${betas[3]} vs ${third}`);
    t.deepEqual(
      withMaterial.modes[mode].betas,
      [betas[0], betas[1], betas[2] + 0.018, betas[3] + 4e-5, 1e-7],
    );
  }
});

test('bad GRIN options name the option', (t) => {
  t.throws(() => grinFiber({ ...options, deltaN: 0.01 }), { instanceOf: ConfigError, message: /^grin\.na: give exactly one of na and deltaN/ });
  t.throws(() => grinFiber({ ...options, modes: 200 }), { instanceOf: ConfigError, message: /^grin\.modes: 200 requested but only \d+ of them are guided/ });
  t.throws(() => grinFiber({ ...options, coreRadiusUm: -1 }), { instanceOf: ConfigError, message: /^grin\.coreRadiusUm: must be a positive number/ });
  t.throws(() => grinFiber({ ...options, radius: 1 } as never), { instanceOf: ConfigError, message: /^grin\.radius: unknown key/ });
});
