// Calls to functions of the same file, differentiated recursively (per pattern of active arguments).
import { grad } from '@adjoint/runtime';
import { def } from './case';

function square(x: number): number {
  return x * x;
}

function softplus(x: number): number {
  return Math.log(1 + Math.exp(x));
}

function chain(x: number): number {
  return softplus(square(x) - 1);
}

export function helperChain(x: number, y: number): number {
  return chain(x) * y + square(y);
}

function polar(r: number, theta: number): [number, number] {
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

export function tupleHelper(r: number, theta: number): number {
  const [px, py] = polar(r, theta);
  return px * px * py + py;
}

function stats(a: number, b: number): { mean: number; spread: number } {
  const mean = (a + b) / 2;
  return { mean, spread: Math.abs(a - b) };
}

export function objectHelper(a: number, b: number): number {
  const s = stats(a, b);
  return s.mean * s.spread + s.mean;
}

function power(x: number, n: number): number {
  return n === 0 ? 1 : x * power(x, n - 1);
}

export function recursiveHelper(x: number): number {
  return power(x, 5) - power(x, 2);
}

function scaled(x: number, k: number): number {
  return x * k + Math.sin(k);
}

export function inactiveArguments(x: number): number {
  let s = 0;
  for (let i = 1; i < 5; i++) {
    s = s + scaled(x, i);
  }
  return s;
}

function decay(x: number, rate: number, dt: number): number {
  return x - dt * rate * x;
}

export function helperInCheckpointedLoop(x0: number, rate: number): number {
  let x = x0;
  // @checkpoint snapshots=3
  for (let i = 0; i < 30; i++) {
    x = decay(x, rate, 0.02);
  }
  return x;
}

function rotate(state: [number, number], angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * state[0] - s * state[1], s * state[0] + c * state[1]];
}

export function tupleStateHelper(a: number, angle: number): number {
  let p: [number, number] = [a, 0.5];
  // @checkpoint snapshots=2
  for (let i = 0; i < 9; i++) {
    p = rotate(p, angle * 0.1);
  }
  return p[0] * p[1];
}

export const dHelperChain = grad(helperChain, [0, 1]);
export const dTupleHelper = grad(tupleHelper, [0, 1]);
export const dObjectHelper = grad(objectHelper, [0, 1]);
export const dRecursiveHelper = grad(recursiveHelper);
export const dInactiveArguments = grad(inactiveArguments);
export const dHelperInCheckpointedLoop = grad(helperInCheckpointedLoop, [0, 1]);
export const dTupleStateHelper = grad(tupleStateHelper, [0, 1]);

export const cases = [
  def({ name: 'chain of helpers', f: helperChain, df: dHelperChain, args: () => [0.8, -0.6], argnums: [0, 1] }),
  def({ name: 'helper returning a tuple', f: tupleHelper, df: dTupleHelper, args: () => [1.4, 0.6], argnums: [0, 1] }),
  def({ name: 'helper returning an object', f: objectHelper, df: dObjectHelper, args: () => [0.3, 1.2], argnums: [0, 1] }),
  def({ name: 'recursive helper', f: recursiveHelper, df: dRecursiveHelper, args: () => [1.1], argnums: 0 }),
  def({ name: 'helper with inactive arguments', f: inactiveArguments, df: dInactiveArguments, args: () => [0.7], argnums: 0 }),
  def({ name: 'helper in a checkpointed loop', f: helperInCheckpointedLoop, df: dHelperInCheckpointedLoop, args: () => [2, 1.5], argnums: [0, 1], sweep: { n: 30, s: 3 } }),
  def({ name: 'tuple state through a helper', f: tupleStateHelper, df: dTupleStateHelper, args: () => [0.9, 1.3], argnums: [0, 1] }),
];
