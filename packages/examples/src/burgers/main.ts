/**
 * `node packages/examples/dist/burgers/main.js`: the gradient of the final energy of the
 * viscous Burgers equation with respect to the initial condition and the viscosity,
 * through 1000 time steps under revolve, checked against store-all and by the Taylor test.
 */
import { demoLines } from '../shared/demo';
import { type BurgersSetup, burgersLoss, checkStability, initialCondition } from './model';

const BURGERS_DEMO = { setup: { intervals: 200, steps: 1000, dt: 5e-4 } satisfies BurgersSetup, nu: 0.01, snapshots: 20 };

export function main(say: (line: string) => void = console.log, demo = BURGERS_DEMO): number {
  const { setup, nu, snapshots } = demo;
  const u0 = initialCondition(setup.intervals);
  checkStability(setup, nu, 1);
  say(`viscous Burgers, ${setup.intervals} intervals, nu = ${nu}, ${setup.steps} steps of dt = ${setup.dt} (T = ${setup.steps * setup.dt}), revolve with ${snapshots} snapshots`);
  const value = burgersLoss(setup, { snapshots })({ u0, nu }).item();
  say(`J = ∫ u(T)² dx = ${value.toPrecision(8)} (∫ u(0)² dx = 0.5)`);
  for (const line of demoLines((mode) => burgersLoss(setup, mode), { u0, nu }, { schedule: 'revolve', snapshots }, { h: 1e-3 })) say(line);
  return 0;
}

if (require.main === module) process.exitCode = main();
