import ts from 'typescript';
import { analyzeLoop } from '/work/main/packages/transformer/src/analysis/loops';
import { readNames, declaredNames } from '/work/main/packages/transformer/src/analysis/references';
const src = `function f(x0: number, a: number) {
  let x = x0;
  let total = 0;
  for (let i = 0; i < 12; i++) {
    let acc = 0;
    for (let j = 0; j < 3; j++) {
      acc += Math.tanh(a * x + j);
    }
    x = x + 0.1 * acc;
    total = total + x;
  }
  return total;
}`;
const sf = ts.createSourceFile('a.ts', src, ts.ScriptTarget.ES2022, true);
const fn = sf.statements[0] as ts.FunctionDeclaration;
const loop = fn.body!.statements[2] as ts.ForStatement;
console.log([...readNames(loop.statement)], [...declaredNames(loop.statement)]);
const names = new Set([...declaredNames(fn.body!), 'x0', 'a']);
console.log(analyzeLoop(loop, {}, fn.body!, names));
