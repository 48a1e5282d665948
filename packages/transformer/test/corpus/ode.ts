// Scalar ODE integrators with @checkpoint loops: offline and online schedules, tuple and
// object state, helpers and nested checkpointed loops.
import { grad } from '@adjoint/runtime';
import { def } from './case';

function rhs(x: number, k: number, t: number): number {
  return -k * x + Math.sin(t);
}

export function eulerDecay(x0: number, k: number): number {
  let x = x0;
  const dt = 0.05;
  // @checkpoint snapshots=4 schedule=revolve
  for (let i = 0; i < 60; i++) {
    x = x + dt * (-k * x);
  }
  return x * x;
}

export function rk4(x0: number, k: number): number {
  let x = x0;
  const dt = 0.1;
  // @checkpoint snapshots=5
  for (let i = 0; i < 40; i++) {
    const t = i * dt;
    const k1 = rhs(x, k, t);
    const k2 = rhs(x + 0.5 * dt * k1, k, t + 0.5 * dt);
    const k3 = rhs(x + 0.5 * dt * k2, k, t + 0.5 * dt);
    const k4 = rhs(x + dt * k3, k, t + dt);
    x += (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return x;
}

export function oscillatorTuple(x0: number, v0: number, w: number): number {
  let x = x0;
  let v = v0;
  const dt = 0.02;
  // @checkpoint snapshots=3 schedule=revolve
  for (let i = 0; i < 50; i++) {
    [x, v] = [x + dt * v, v - dt * w * w * (x + dt * v)];
  }
  return 0.5 * v * v + 0.5 * w * w * x * x;
}

export function oscillatorObject(x0: number, v0: number, w: number): number {
  let s = { x: x0, v: v0 };
  const dt = 0.03;
  // @checkpoint snapshots=4 schedule=uniform
  for (let i = 0; i < 30; i++) {
    const a = -w * w * s.x;
    s = { x: s.x + dt * s.v, v: s.v + dt * a };
  }
  return s.x * s.v;
}

export function onlineUntilTime(y0: number, k: number): number {
  let y = y0;
  let t = 0;
  // @checkpoint snapshots=4
  while (t < 2) {
    y = y + 0.05 * (Math.cos(y) - k * y);
    t = t + 0.05;
  }
  return y;
}

export function nestedCheckpointed(x0: number, a: number): number {
  let x = x0;
  // @checkpoint snapshots=3
  for (let i = 0; i < 8; i++) {
    let y = x;
    // @checkpoint snapshots=2
    for (let j = 0; j < 5; j++) {
      y = y + 0.1 * Math.sin(a * y + j);
    }
    x = 0.5 * (x + y);
  }
  return x;
}

export function branchInCheckpointed(x0: number, c: number): number {
  let x = x0;
  let energy = 0;
  // @checkpoint snapshots=6 schedule=revolve
  for (let i = 0; i < 25; i++) {
    if (x > 0.5) {
      x = x - 0.1 * c * x * x;
    } else {
      x = x + 0.05 * Math.exp(-c * i * 0.01);
    }
    energy += x * x;
  }
  return energy;
}

export function strideOnline(x0: number, b: number): number {
  let x = x0;
  // @checkpoint snapshots=3
  for (let i = 0; i < 30; i += 2) {
    x = x * Math.cos(b * i) + 0.1;
  }
  return x;
}

export function storeAllLogistic(r: number, x0: number): number {
  let x = x0;
  // @checkpoint schedule=store-all
  for (let i = 0; i < 20; i++) {
    x = r * x * (1 - x);
  }
  return x;
}

export function checkpointedWithPlainInner(x0: number, a: number): number {
  let x = x0;
  let total = 0;
  // @checkpoint snapshots=4
  for (let i = 0; i < 12; i++) {
    let acc = 0;
    for (let j = 0; j < 3; j++) {
      acc += Math.tanh(a * x + j);
    }
    x = x + 0.1 * acc;
    total = total + x;
  }
  return total;
}

export function twoLevelStorage(x0: number, k: number): number {
  let x = x0;
  // @checkpoint schedule=multistage ram=2 disk=2
  for (let i = 0; i < 24; i++) {
    x = x + 0.05 * Math.cos(k * x + 0.1 * i);
  }
  return x * k;
}

export const dEulerDecay = grad(eulerDecay, [0, 1]);
export const dTwoLevelStorage = grad(twoLevelStorage, [0, 1]);
export const dRk4 = grad(rk4, [0, 1]);
export const dOscillatorTuple = grad(oscillatorTuple, [0, 1, 2]);
export const dOscillatorObject = grad(oscillatorObject, [0, 1, 2]);
export const dOnlineUntilTime = grad(onlineUntilTime, [0, 1]);
export const dNestedCheckpointed = grad(nestedCheckpointed, [0, 1]);
export const dBranchInCheckpointed = grad(branchInCheckpointed, [0, 1]);
export const dStrideOnline = grad(strideOnline, [0, 1]);
export const dStoreAllLogistic = grad(storeAllLogistic, [0, 1]);
export const dCheckpointedWithPlainInner = grad(checkpointedWithPlainInner, [0, 1]);

export const cases = [
  def({ name: 'explicit Euler (revolve)', f: eulerDecay, df: dEulerDecay, args: () => [1.3, 0.7], argnums: [0, 1], sweep: { n: 60, s: 4 } }),
  def({ name: 'RK4 with a helper right-hand side', f: rk4, df: dRk4, args: () => [0.4, 1.1], argnums: [0, 1], sweep: { n: 40, s: 5 } }),
  def({ name: 'oscillator, tuple state', f: oscillatorTuple, df: dOscillatorTuple, args: () => [1, 0.2, 1.7], argnums: [0, 1, 2], sweep: { n: 50, s: 3 } }),
  def({ name: 'oscillator, object state (uniform)', f: oscillatorObject, df: dOscillatorObject, args: () => [0.3, -0.5, 2.1], argnums: [0, 1, 2] }),
  def({ name: 'while loop (online schedule)', f: onlineUntilTime, df: dOnlineUntilTime, args: () => [0.2, 0.8], argnums: [0, 1] }),
  def({ name: 'nested checkpointed loops', f: nestedCheckpointed, df: dNestedCheckpointed, args: () => [0.5, 1.3], argnums: [0, 1] }),
  def({ name: 'if/else in a checkpointed loop', f: branchInCheckpointed, df: dBranchInCheckpointed, args: () => [0.9, 0.6], argnums: [0, 1], sweep: { n: 25, s: 6 } }),
  def({ name: 'stride-2 loop (online)', f: strideOnline, df: dStrideOnline, args: () => [0.7, 0.05], argnums: [0, 1] }),
  def({ name: 'logistic map (store-all)', f: storeAllLogistic, df: dStoreAllLogistic, args: () => [3.1, 0.3], argnums: [0, 1] }),
  def({ name: 'RAM and disk snapshots (multistage)', f: twoLevelStorage, df: dTwoLevelStorage, args: () => [0.4, 1.7], argnums: [0, 1], sweep: { n: 24, s: 4 } }),
  def({ name: 'plain loop inside a checkpointed one', f: checkpointedWithPlainInner, df: dCheckpointedWithPlainInner, args: () => [0.1, 0.9], argnums: [0, 1], sweep: { n: 12, s: 4 } }),
];
