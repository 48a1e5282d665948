import { transpile, load } from '../harness';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
const src = `
import { grad } from '@adjoint/runtime/autodiff/grad';
export function f(x: number, k: number) {
  let s = x;
  let acc = 0;
  // @checkpoint snapshots=3
  for (let t = 0; t < 10; t++) {
    const u = Math.sin(s) * k;
    s = s + 0.1 * u;
    acc += s * s;
  }
  return acc + s;
}
export const df = grad(f, [0, 1]);
`;
console.log(transpile(src).split('exports.f = f;')[1]);
const m = load(src);
let calls = 0;
observeSweeps((sw) => { setImmediate(() => console.log('counters', sw.counters)); });
console.log(m.f(0.3, 0.7), m.df(0.3, 0.7));
const h = 1e-6;
console.log((m.f(0.3+h,0.7)-m.f(0.3-h,0.7))/2/h, (m.f(0.3,0.7+h)-m.f(0.3,0.7-h))/2/h);
