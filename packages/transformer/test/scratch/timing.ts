import { CORPUS, viaTranspileModule } from '../support/pipelines';
import { finiteDifferences } from '../support/trees';
let t0 = Date.now();
require('@adjoint/runtime');
console.log('runtime load', Date.now() - t0);
for (const f of CORPUS) {
  t0 = Date.now();
  const m = viaTranspileModule(f);
  const t1 = Date.now();
  for (const c of m.cases) { const a = c.args(); c.df(...a); }
  const t2 = Date.now();
  for (const c of m.cases) { const a = c.args(); finiteDifferences(c.f, a, c.argnums); }
  console.log(f.split('/').pop(), 'compile', t1 - t0, 'grad', t2 - t1, 'fd', Date.now() - t2);
}
