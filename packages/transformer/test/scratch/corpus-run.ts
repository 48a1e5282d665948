import { loadFile, transpile } from '../harness';
import { finiteDifferences, firstMismatch } from '../support/trees';
import { readFileSync } from 'node:fs';
const file = process.argv[2];
if (process.argv[3] === 'show') console.log(transpile(readFileSync(file, 'utf8'), file));
const m = loadFile(file);
for (const c of m.cases) {
  try {
    const args = c.args();
    let g = c.df(...args);
    if (c.withValue) g = g[1];
    const fd = finiteDifferences(c.f, args, c.argnums);
    const bad = firstMismatch(g, fd);
    console.log(bad ? 'FAIL' : 'ok  ', c.name, bad ?? '');
  } catch (e) { console.log('ERR ', c.name, (e as Error).stack?.split('\n').slice(0,4).join('\n')); }
}
