// checkpoint(fn) regions: fn runs plainly forward and again (with its generated VJP) backward.
import { add, checkpoint, grad, matmul, mul, sum, tanh, tensor, type Tensor } from '@adjoint/runtime';
import { def } from './case';

function block(h: Tensor, W: Tensor): Tensor {
  const a = tanh(matmul(h, W));
  return add(h, mul(a, 0.5));
}

export function residualStack(x: Tensor, W: Tensor): Tensor {
  let h = x;
  for (let i = 0; i < 3; i++) {
    h = checkpoint(block)(h, W);
  }
  return sum(mul(h, h));
}

export function inlineRegion(x: number, k: number): number {
  const y = checkpoint((a: number, b: number) => {
    let s = a;
    for (let i = 0; i < 4; i++) {
      s = Math.sin(s * b) + a;
    }
    return s * s;
  })(x, k);
  return y + x * k;
}

export function regionInCheckpointedLoop(x0: number, w: number): number {
  let x = x0;
  // @checkpoint snapshots=2
  for (let t = 0; t < 6; t++) {
    x = checkpoint((u: number, v: number) => Math.tanh(u * v) + 0.5 * u, { name: 'cell' })(x, w);
  }
  return x;
}

export const dResidualStack = grad(residualStack, [0, 1]);
export const dInlineRegion = grad(inlineRegion, [0, 1]);
export const dRegionInCheckpointedLoop = grad(regionInCheckpointedLoop, [0, 1]);

const matrix = (rows: number, cols: number, seed: number): Tensor =>
  tensor(
    Array.from({ length: rows * cols }, (_, i) => Math.cos(seed * 3.7 + i * 1.3) * 0.4),
    [rows, cols],
  );

export const cases = [
  def({ name: 'checkpoint(block) in a loop', f: residualStack, df: dResidualStack, args: () => [matrix(2, 3, 1), matrix(3, 3, 2)], argnums: [0, 1], tape: true }),
  def({ name: 'inline checkpoint region with a loop inside', f: inlineRegion, df: dInlineRegion, args: () => [0.7, 1.3], argnums: [0, 1] }),
  def({ name: 'checkpoint region inside a @checkpoint loop', f: regionInCheckpointedLoop, df: dRegionInCheckpointedLoop, args: () => [0.2, 1.1], argnums: [0, 1], sweep: { n: 6, s: 2 } }),
];
