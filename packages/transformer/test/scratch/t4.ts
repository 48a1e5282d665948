import { transpile, load } from '../harness';
import { tensor } from '@adjoint/runtime/tensor';
const src = `
import { grad, customVjp } from '@adjoint/runtime/autodiff';
import { mul, sum, tanh } from '@adjoint/runtime/ops';
import type { Tensor } from '@adjoint/runtime/tensor';
const cube = customVjp((x: Tensor) => [mul(x, mul(x, x)), x] as const, (x: Tensor, g: Tensor) => [mul(g, mul(3, mul(x, x)))]);
function cell(h: Tensor, c: Tensor, w: number) {
  const hn = tanh(mul(h, w));
  return [hn, mul(c, hn)] as const;
}
export function f(x: Tensor, w: number) {
  let h = x;
  let c = cube(x);
  for (let i = 0; i < 3; i++) {
    [h, c] = cell(h, c, w);
  }
  return sum(mul(h, c));
}
export const df = grad(f, [0, 1]);
`;
console.log(transpile(src).split("use strict")[1].slice(1500));
const m = load(src);
const x = tensor([0.3, -0.2]);
const g = m.df(x, 0.7);
console.log(Array.from(g[0].data), g[1]);
const h = 1e-6;
const f = (a: number, b: number, w: number) => Number(m.f(tensor([a, b]), w));
console.log((f(0.3 + h, -0.2, 0.7) - f(0.3 - h, -0.2, 0.7)) / 2 / h, (f(0.3, -0.2 + h, 0.7) - f(0.3, -0.2 - h, 0.7)) / 2 / h, (f(0.3, -0.2, 0.7 + h) - f(0.3, -0.2, 0.7 - h)) / 2 / h);
