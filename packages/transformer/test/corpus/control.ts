// Control flow in differentiated code: if/else, nested and plain loops, while loops, early returns.
import { grad } from '@adjoint/runtime';
import { def } from './case';

export function ifElseChain(x: number, y: number): number {
  let r: number;
  if (x > 1) {
    r = x * y;
  } else if (x > 0) {
    r = Math.sin(x) + y * y;
  } else {
    r = -x / y;
  }
  return r * x;
}

export function nestedLoops(x: number, y: number): number {
  let s = 0;
  for (let i = 1; i <= 4; i++) {
    for (let j = 0; j < i; j++) {
      s += Math.sin(x * i + y * j) / i;
    }
  }
  return s;
}

export function ifInLoop(x: number, y: number): number {
  let s = 1;
  for (let i = 0; i < 8; i++) {
    if (s > 1.5) {
      s = s / 2;
    } else {
      s = s * x + y;
    }
  }
  return s;
}

export function whileLoop(x: number, y: number): number {
  let s = x;
  let n = 0;
  while (s < 10) {
    s = s * (1 + y) + x;
    n++;
  }
  return s / n;
}

export function strideLoop(x: number): number {
  let p = 1;
  for (let i = 0; i < 10; i += 3) {
    p = p * (x + i);
  }
  return p;
}

export function countdown(x: number, n: number): number {
  let s = 0;
  for (let i = n; i > 0; i--) {
    s = Math.cos(s) + x * i;
  }
  return s;
}

export function earlyReturn(x: number, y: number): number {
  if (x < 0) return -x * y;
  const z = x * x;
  if (z > 4) {
    return z - y;
  }
  return z * y;
}

export function loopBoundFromArgument(x: number, n: number): number {
  let s = x;
  for (let i = 0; i < n; i++) {
    s = s * x - 0.1 * i;
  }
  return s;
}

export function conditionInLoopHead(x: number): number {
  let s = x;
  for (let i = 0; i < 20 && s < 5; i++) {
    s = s * 1.5 + x;
  }
  return s;
}

export function ternaryInLoop(x: number, y: number): number {
  let s = 0;
  for (let i = 0; i < 5; i++) {
    s += i % 2 === 0 ? x * i : Math.exp(-y * i);
  }
  return s;
}

export const dIfElseChain = grad(ifElseChain, [0, 1]);
export const dNestedLoops = grad(nestedLoops, [0, 1]);
export const dIfInLoop = grad(ifInLoop, [0, 1]);
export const dWhileLoop = grad(whileLoop, [0, 1]);
export const dStrideLoop = grad(strideLoop);
export const dCountdown = grad(countdown, 0);
export const dEarlyReturn = grad(earlyReturn, [0, 1]);
export const dLoopBoundFromArgument = grad(loopBoundFromArgument, 0);
export const dConditionInLoopHead = grad(conditionInLoopHead);
export const dTernaryInLoop = grad(ternaryInLoop, [0, 1]);

export const cases = [
  def({ name: 'if / else if / else (middle branch)', f: ifElseChain, df: dIfElseChain, args: () => [0.6, 1.4], argnums: [0, 1] }),
  def({ name: 'if / else if / else (last branch)', f: ifElseChain, df: dIfElseChain, args: () => [-0.6, 1.4], argnums: [0, 1] }),
  def({ name: 'nested loops', f: nestedLoops, df: dNestedLoops, args: () => [0.3, 0.7], argnums: [0, 1] }),
  def({ name: 'if/else inside a loop', f: ifInLoop, df: dIfInLoop, args: () => [1.3, 0.4], argnums: [0, 1] }),
  def({ name: 'while loop', f: whileLoop, df: dWhileLoop, args: () => [1.1, 0.3], argnums: [0, 1] }),
  def({ name: 'for loop with stride 3', f: strideLoop, df: dStrideLoop, args: () => [0.8], argnums: 0 }),
  def({ name: 'counting-down loop', f: countdown, df: dCountdown, args: () => [0.4, 6], argnums: 0 }),
  def({ name: 'early returns', f: earlyReturn, df: dEarlyReturn, args: () => [1.5, 0.5], argnums: [0, 1] }),
  def({ name: 'early return taken', f: earlyReturn, df: dEarlyReturn, args: () => [-1.5, 0.5], argnums: [0, 1] }),
  def({ name: 'trip count from an argument', f: loopBoundFromArgument, df: dLoopBoundFromArgument, args: () => [0.9, 7], argnums: 0 }),
  def({ name: 'loop condition with &&', f: conditionInLoopHead, df: dConditionInLoopHead, args: () => [0.7], argnums: 0 }),
  def({ name: '?: inside a loop', f: ternaryInLoop, df: dTernaryInLoop, args: () => [0.5, 0.3], argnums: [0, 1] }),
];
