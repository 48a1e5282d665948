import { valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { rnnLoss, rnnProblem } from '../../src/rnn/model';
const mode = process.argv[2] as any;
const p = rnnProblem({ hidden: 128, steps: 200 });
for (let r = 0; r < 8; r++) {
  const t0 = performance.now();
  valueAndGrad(rnnLoss(p, mode === 'unrolled' ? 'unrolled' : { schedule: mode, snapshots: mode === 'store-all' ? undefined : 10 }))(p.params);
  console.log(mode, (performance.now() - t0).toFixed(1));
}
