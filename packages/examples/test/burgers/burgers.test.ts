/**
 * The Burgers example: gradients with respect to the initial condition and the viscosity
 * equal store-all and the unrolled tape to 1e-12 and pass the Taylor test; the physics is
 * sane (energy decays, more viscosity dissipates more) and unstable setups are refused.
 */
import test from 'ava';
import { grad } from '@adjoint/runtime/autodiff/index';
import { taylorTest } from '@adjoint/runtime/verify/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { main } from '../../src/burgers/main';
import { type BurgersControls, burgersLoss, burgersStep, checkStability, initialCondition } from '../../src/burgers/model';
import { relativeDifference } from '../../src/shared/demo';

const setup = { intervals: 40, steps: 60, dt: 0.005 };
const controls: BurgersControls = { u0: initialCondition(40), nu: 0.02 };

test('gradients with respect to u0 and nu equal store-all and the unrolled tape to 1e-12', (t) => {
  const storeAll = grad(burgersLoss(setup, { schedule: 'store-all' }))(controls);
  t.is(typeof storeAll.nu, 'number');
  t.deepEqual((storeAll.u0 as Tensor).shape, [39]);
  t.true(relativeDifference(grad(burgersLoss(setup, 'unrolled'))(controls), storeAll) <= 1e-12);
  for (const mode of [{ schedule: 'revolve', snapshots: 4 }, { schedule: 'uniform', snapshots: 6 }, {}] as const) {
    t.true(relativeDifference(grad(burgersLoss(setup, mode))(controls), storeAll) <= 1e-12, JSON.stringify(mode));
  }
  t.true((storeAll.nu as number) < 0, 'more viscosity leaves less energy');
});

test('the checkpointed gradient passes the Taylor test for u0 and nu together', (t) => {
  const result = taylorTest(burgersLoss(setup, { schedule: 'revolve', snapshots: 5 }), controls, undefined, { h: 1e-3 });
  t.true(result.orders.every((o) => Math.abs(o - 2) < 0.05), `orders ${result.orders}`);
});

test('the discrete energy decays step by step', (t) => {
  const step = burgersStep(setup, 0.02);
  let u = controls.u0;
  let energy = Infinity;
  for (let i = 0; i < setup.steps; i++) {
    u = step(u);
    const e = u.data.reduce((s, v) => s + v * v, 0);
    t.true(e < energy, `step ${i}`);
    energy = e;
  }
});

test('unstable setups are refused with the limit they break', (t) => {
  t.throws(() => checkStability({ ...setup, dt: 0.02 }, 0.02, 1), { message: 'burgers: dt = 0.02 is unstable for the diffusion: it must be at most dx²/(2·nu) = 0.01563' });
  t.throws(() => checkStability({ intervals: 40, steps: 1, dt: 0.01 }, 0.001, 5), { message: 'burgers: dt = 0.01 breaks the CFL condition dt·max|u| <= dx = 0.025 (max|u| = 5)' });
  t.throws(() => checkStability({ ...setup, intervals: 2 }, 0.02, 1), { message: 'burgers: intervals must be an integer >= 3, got 2' });
  t.notThrows(() => checkStability(setup, 0.02, 1));
});

test('the demo prints the energy, the profile and Taylor orders of 2', (t) => {
  const lines: string[] = [];
  t.is(main((l) => lines.push(l), { setup, nu: 0.02, snapshots: 4 }), 0);
  t.regex(lines.join('\n'), /J = ∫ u\(T\)² dx = 0\.\d+[\s\S]*gradient vs store-all: max relative difference 0\.00e\+0[\s\S]*should all be 2\): \[(1\.9[5-9]|2\.0)/);
});
