import { solitonFission } from './src/fiber/example-problems';
import { optimizeProblem } from './src/fiber/optimizer';
const p = solitonFission({ points: 2048, windowPs: 6, steps: 300 });
for (const cfg of [{ learningRate: 0.05 }, { optimizer: 'lbfgs' as const, learningRate: 0.3 }]) {
  const r = optimizeProblem(p, { iterations: 10, snapshots: 10, ...cfg }, { log: () => undefined });
  console.log(JSON.stringify(cfg), r.history.map((h) => h.loss.toFixed(4)).join(' '), r.seconds.toFixed(1));
}
