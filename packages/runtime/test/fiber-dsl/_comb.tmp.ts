import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import { fiberModel } from '@adjoint/runtime/fiber/model';
const model = fiberModel({ points: 4096, windowPs: 16, centerWavelengthNm: 1550 }, { lengthM: 0.25, steps: 100, modes: [{ betas: [0, 0, -0.02] }], gamma: 0.1, raman: { model: 'blow-wood' }, selfSteepening: true });
const b = new Float64Backend(model);
const x = b.field(), y = b.field(), d = b.field();
x.fill(1); y.fill(2);
for (let r = 0; r < 3; r++) {
  let t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) b.combine(d, [[1, x], [1 / 6, y]]);
  console.log('combine2 us', Number(process.hrtime.bigint() - t) / 1e3 / 20000);
  t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) b.halfStep(x, d, false);
  console.log('halfStep us', Number(process.hrtime.bigint() - t) / 1e3 / 20000);
  t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) b.toFrequency(x, d);
  console.log('toFrequency us', Number(process.hrtime.bigint() - t) / 1e3 / 20000);
  t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) b.toTime(x, d);
  console.log('toTime us', Number(process.hrtime.bigint() - t) / 1e3 / 20000);
}
