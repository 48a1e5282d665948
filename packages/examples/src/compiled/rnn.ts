/**
 * The example, verbatim: an Elman RNN over 1000 steps whose loop the compiler
 * checkpoints (revolve, 32 snapshots) and whose gradient it generates as plain code.
 */
import { grad, tanh, add, matmul, sum, Tensor } from '@adjoint/runtime';

export function rnnLoss(x0: Tensor, W: Tensor, b: Tensor): Tensor {
  let h = x0;
  // @checkpoint snapshots=32 schedule=revolve
  for (let t = 0; t < 1000; t++) {
    h = tanh(add(matmul(h, W), b));
  }
  return sum(h);
}

export const dRnnLoss = grad(rnnLoss, [0, 1, 2]);
