import { transpile, load } from '../harness';
const src = `import { grad, tanh, add, matmul, sum, Tensor } from '@adjoint/runtime';
export function rnnLoss(x0: Tensor, W: Tensor, b: Tensor): number {
  let h = x0;
  // @checkpoint snapshots=32 schedule=revolve
  for (let t = 0; t < 1000; t++) {
    h = tanh(add(matmul(h, W), b));
  }
  return sum(h);
}
export const dRnnLoss = grad(rnnLoss, [0, 1, 2]);
`;
import ts from 'typescript';
import { adjointTransformer } from '../../src/transformer';
const out = ts.transpileModule(src, { fileName: 'rnn.ts', compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, transformers: { before: [adjointTransformer()] } });
console.log(out.outputText);
