import ts from 'typescript';
import { readNames } from '../../src/analysis/references';
for (const src of ['for (let j = 0; j < 3; j++) { acc += a; }', '{ let q = 0; acc += a; }', 'for (;;) { acc += a; }', 'for (j = 0;;) { acc += a; }']) {
  const sf = ts.createSourceFile('a.ts', src, ts.ScriptTarget.ES2022, true);
  console.log(src, [...readNames(sf.statements[0])]);
}
