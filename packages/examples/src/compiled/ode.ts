/**
 * A damped, weakly driven pendulum integrated with RK4, compiled: x'' = A·cos(0.7·t) −
 * γ·x' − k·sin(x). The loss is the energy left after `steps` steps; its gradient with
 * respect to the damping γ, the stiffness k and the drive A is generated code, the loop
 * checkpointed by revolve.
 *
 * Written twice: with native arithmetic and Math.* (what the compiler is for), and with
 * DSL operations on 0-d tensors, the form the runtime tape can follow, so the two can be
 * compared on the same loop (bench/compiler.mjs).
 */
import { add, cos, grad, mul, sin, sub, type Tensor } from '@adjoint/runtime';

function acceleration(x: number, v: number, t: number, damping: number, stiffness: number, drive: number): number {
  return drive * Math.cos(0.7 * t) - damping * v - stiffness * Math.sin(x);
}

export function pendulumEnergy(x0: number, v0: number, damping: number, stiffness: number, drive: number, steps: number, dt: number): number {
  let x = x0;
  let v = v0;
  // @checkpoint snapshots=1000 schedule=revolve
  for (let i = 0; i < steps; i++) {
    const t = i * dt;
    const a1 = acceleration(x, v, t, damping, stiffness, drive);
    const v2 = v + 0.5 * dt * a1;
    const a2 = acceleration(x + 0.5 * dt * v, v2, t + 0.5 * dt, damping, stiffness, drive);
    const v3 = v + 0.5 * dt * a2;
    const a3 = acceleration(x + 0.5 * dt * v2, v3, t + 0.5 * dt, damping, stiffness, drive);
    const v4 = v + dt * a3;
    const a4 = acceleration(x + dt * v3, v4, t + dt, damping, stiffness, drive);
    x = x + (dt / 6) * (v + 2 * v2 + 2 * v3 + v4);
    v = v + (dt / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
  }
  return 0.5 * v * v + stiffness * (1 - Math.cos(x));
}

export const dPendulumEnergy = grad(pendulumEnergy, [2, 3, 4]);

function accelerationOnTensors(x: Tensor, v: Tensor, t: number, damping: Tensor, stiffness: Tensor, drive: Tensor): Tensor {
  return sub(sub(mul(drive, Math.cos(0.7 * t)), mul(damping, v)), mul(stiffness, sin(x)));
}

export function pendulumEnergyOnTensors(x0: Tensor, v0: Tensor, damping: Tensor, stiffness: Tensor, drive: Tensor, steps: number, dt: number): Tensor {
  let x = x0;
  let v = v0;
  // @checkpoint snapshots=1000 schedule=revolve
  for (let i = 0; i < steps; i++) {
    const t = i * dt;
    const a1 = accelerationOnTensors(x, v, t, damping, stiffness, drive);
    const v2 = add(v, mul(0.5 * dt, a1));
    const a2 = accelerationOnTensors(add(x, mul(0.5 * dt, v)), v2, t + 0.5 * dt, damping, stiffness, drive);
    const v3 = add(v, mul(0.5 * dt, a2));
    const a3 = accelerationOnTensors(add(x, mul(0.5 * dt, v2)), v3, t + 0.5 * dt, damping, stiffness, drive);
    const v4 = add(v, mul(dt, a3));
    const a4 = accelerationOnTensors(add(x, mul(dt, v3)), v4, t + dt, damping, stiffness, drive);
    x = add(x, mul(dt / 6, add(add(v, mul(2, add(v2, v3))), v4)));
    v = add(v, mul(dt / 6, add(add(a1, mul(2, add(a2, a3))), a4)));
  }
  return add(mul(0.5, mul(v, v)), mul(stiffness, sub(1, cos(x))));
}

export const dPendulumEnergyOnTensors = grad(pendulumEnergyOnTensors, [2, 3, 4]);
