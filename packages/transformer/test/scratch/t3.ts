import { transpile, load } from '../harness';
import { tensor } from '@adjoint/runtime/tensor';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
const src = `
import { grad } from '@adjoint/runtime/autodiff';
import { tanh, add, matmul, sum, mul } from '@adjoint/runtime/ops';
import type { Tensor } from '@adjoint/runtime/tensor';
export function rnnLoss(x0: Tensor, W: Tensor, b: Tensor) {
  let h = x0;
  // @checkpoint snapshots=4 schedule=revolve
  for (let t = 0; t < 20; t++) {
    h = tanh(add(matmul(h, W), b));
  }
  return sum(mul(h, h));
}
export const dRnnLoss = grad(rnnLoss, [0, 1, 2]);
`;
console.log(transpile(src).split('exports.rnnLoss = rnnLoss;')[1]);
const m = load(src);
const x0 = tensor([[0.1, -0.2, 0.3]]);
const W = tensor([[0.5, -0.1, 0.2], [0.3, 0.4, -0.5], [-0.2, 0.1, 0.6]]);
const b = tensor([0.05, -0.02, 0.01]);
observeSweeps((sw) => { setImmediate(() => console.log('counters', sw.counters.stepCalls)); });
const g = m.dRnnLoss(x0, W, b);
console.log(g.map((t: any) => Array.from(t.data)));
// FD on W[1][2]
const h = 1e-6;
const Wp = tensor([[0.5, -0.1, 0.2], [0.3, 0.4, -0.5 + h], [-0.2, 0.1, 0.6]]);
const Wm = tensor([[0.5, -0.1, 0.2], [0.3, 0.4, -0.5 - h], [-0.2, 0.1, 0.6]]);
console.log('fd W[1][2]', (Number(m.rnnLoss(x0, Wp, b)) - Number(m.rnnLoss(x0, Wm, b))) / 2 / h);
