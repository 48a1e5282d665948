import test from 'ava';
import { dispersionPhases, taylorPhase } from '@adjoint/runtime/fiber/dispersion';

test('taylorPhase is Σ beta_n·Omega^n/n!', (t) => {
  const omega = 1.7;
  t.true(Math.abs(taylorPhase([0.3, -0.2, 0.05, 0.01], omega) - (0.3 - 0.2 * omega + (0.05 * omega ** 2) / 2 + (0.01 * omega ** 3) / 6)) < 1e-15);
});

test("each mode's phase is relative to mode 1's beta_0 and beta_1, as the spec's D_p; unlisted betas are 0", (t) => {
  const omega = new Float64Array([-2, -0.5, 0, 1.25]);
  const reference = [1, 0.5, 0.02];
  const [phase0, phase1, phase2] = dispersionPhases([reference, [3], [3, 0.7, -0.01, 1e-3]], omega);
  omega.forEach((w, k) => {
    t.true(Math.abs(phase0[k] - (0.02 * w * w) / 2) < 1e-15, 'the reference frame removes its own beta_0 and beta_1');
    // A mode listing only beta_0 still has (0 - b1_1)·Omega: the group-velocity walk-off against the reference.
    t.true(Math.abs(phase1[k] - (3 - 1 + (0 - 0.5) * w)) < 1e-15, `mode 2 at Omega = ${w}: ${phase1[k]}`);
    t.true(Math.abs(phase2[k] - (3 - 1 + (0.7 - 0.5) * w - (0.01 * w * w) / 2 + (1e-3 * w ** 3) / 6)) < 1e-15);
  });
});
