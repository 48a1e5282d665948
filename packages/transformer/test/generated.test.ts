/**
 * What generated code looks like (the issue's RNN example): adjoints named after their
 * primals, one operation per line, a "grad of" comment on each adjoint statement, VJP
 * table calls, nothing saved that the reverse sweep does not read, source maps into the
 * user's file.
 */
import test from 'ava';
import ts from 'typescript';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
import { tensor } from '@adjoint/runtime';
import { adjointTransformer } from '../src/transformer';
import { evaluate, transpile } from './harness';
import { inlineMap, originalLines } from './support/sourcemap';
import { finiteDifferences, firstMismatch } from './support/trees';

const ISSUE = `import { grad, tanh, add, matmul, sum, Tensor } from '@adjoint/runtime';
export function rnnLoss(x0: Tensor, W: Tensor, b: Tensor): Tensor {
  let h = x0;
  // @checkpoint snapshots=32 schedule=revolve
  for (let t = 0; t < 1000; t++) {
    h = tanh(add(matmul(h, W), b));
  }
  return sum(h);
}
export const dRnnLoss = grad(rnnLoss, [0, 1, 2]);
`;

function esm(source: string, fileName = 'rnn.ts'): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
    transformers: { before: [adjointTransformer()] },
  }).outputText;
}

function functionText(code: string, name: string): string {
  const start = code.indexOf(`function ${name}(`);
  const end = code.indexOf('\n}\n', start);
  return code.slice(start, end + 2);
}

test('the annotated loop becomes a checkpointedLoop call in the function itself', (t) => {
  const fn = functionText(esm(ISSUE), 'rnnLoss');
  t.regex(fn, /h = adjoint\.checkpointedLoop\(\(h, index\) => \{\n\s+h = tanh\(add\(matmul\(h, W\), b\)\);\n\s+return h;\n\s+\}, h, 1000, \{ snapshots: 32, schedule: 'revolve' \}\);/);
});

test('grad(rnnLoss) becomes a generated gradient function over rnnLoss_vjp', (t) => {
  const code = esm(ISSUE);
  t.regex(code, /export const dRnnLoss = \(x0, W, b\) => \{\n\s+const \[value, pullback\] = rnnLoss_vjp\(x0, W, b\);/);
  t.notRegex(code, /grad\(rnnLoss/);
});

test('the step adjoint is generated code: one operation per line, adjoints named after primals, VJP table calls', (t) => {
  const vjp = functionText(esm(ISSUE), 'rnnLoss_vjp');
  const forward = ['matmul1 = matmul(h, W)', 'const add1 = add(matmul1, b);', 'h = tanh(add1);'];
  for (const line of forward) t.true(vjp.includes(line), line);
  t.regex(vjp, /\/\/ grad of: h = tanh\(add\(matmul\(h, W\), b\)\)\n\s+const \[d_add1\] = adjoint\.rules\.tanh\(b_h, \[add1\], h\);/);
  t.regex(vjp, /adjoint\.rules\.add\(b_add1, \[matmul1, b\], add1\)/);
  // W and b are only read: their adjoints are accumulators, summing one term per step in place;
  // W's term hᵀ·g goes straight into its accumulator, and the rule computes h's adjoint alone
  t.regex(vjp, /const b_W = adjoint\.accumulator\(\), b_b = adjoint\.accumulator\(\);/);
  t.regex(vjp, /const \[d_h\] = adjoint\.rules\.matmul\(b_matmul1, \[h, W\], matmul1, \[true, false\]\);/);
  t.regex(vjp, /adjoint\.addMatmulAdjoint\(b_W, b_matmul1, \[h, W\], matmul1\);/);
  t.regex(vjp, /b_b\.add\(d_b\);/);
  t.regex(vjp, /b_h = adjoint\.add\(b_h, d_h\);/, 'h is reassigned: its adjoint is a plain value');
  t.regex(vjp, /b_h = sweep1\.backward\(b_h\);/);
  t.regex(vjp, /return \[b_x0\.value\(\), b_W\.value\(\), b_b\.value\(\)\];/);
  t.notRegex(vjp, /tapeVjp/, 'every operation here has a rule in the VJP table');
  // matmul's rule reads the state before the step overwrites it: that one value is saved
  t.deepEqual(vjp.match(/stack\.(push|pop)\(\w*\)/g), ['stack.push(h)', 'stack.pop()']);
  t.notRegex(vjp, /const t = index/, 'the unused loop index is not bound');
});

test('every group of adjoint statements carries a "grad of" comment', (t) => {
  const vjp = functionText(esm(ISSUE), 'rnnLoss_vjp');
  const pullbacks = vjp.split(/=> \{\n/).slice(1);
  for (const body of pullbacks.filter((p) => /^\s+(let|const) b_/.test(p))) {
    const afterDeclarations = body.split('\n').find((l) => l.trim() && !/^\s+(let|const) b_\w+ = /.test(l));
    t.regex(afterDeclarations ?? '', /\/\/ grad of: /);
  }
  t.is((vjp.match(/\/\/ grad of: /g) ?? []).length, 4);
});

test('generated statements map to the user line they come from', (t) => {
  const code = esm(ISSUE);
  const lines = originalLines(inlineMap(code));
  const generated = code.split('\n');
  const lineOf = (needle: string): number | undefined => lines[generated.findIndex((l) => l.includes(needle))]?.line;
  t.is(lineOf('adjoint.rules.tanh('), 6);
  t.is(lineOf('const add1 = add(matmul1, b);'), 6);
  t.is(lineOf('b_h = sweep1.backward(b_h)'), 5);
  t.is(lineOf('adjoint.rules.sum('), 8);
  t.is(lineOf('const [value, pullback] = rnnLoss_vjp'), 10);
});

test('the issue example: gradient equals finite differences and the step runs n + t(n, s) times', (t) => {
  const m = evaluate(transpile(ISSUE, 'rnn.ts'));
  const args = [tensor([[0.1, -0.2, 0.3, 0.05]]), tensor([[0.4, -0.1, 0.2, 0.1], [0.3, 0.2, -0.4, 0.0], [-0.2, 0.1, 0.3, 0.2], [0.1, 0.0, -0.1, 0.3]]), tensor([0.05, -0.02, 0.01, 0.03])];
  const sweeps: { stepCalls: number; peakRamStates: number }[] = [];
  const stop = observeSweeps((s) => sweeps.push(s.counters));
  const g = m.dRnnLoss(...args);
  stop();
  t.is(firstMismatch(g, finiteDifferences(m.rnnLoss, args, [0, 1, 2])), undefined);
  // t(1000, 32) = r·n − C(s+r, s+1) with r = 3 (C(35, 32) = 6545 >= 1000 > C(34, 32) = 561): 3000 − C(35, 33) = 2405
  t.is(sweeps[0].stepCalls, 1000 + 2405);
  t.true(sweeps[0].peakRamStates <= 32);
});

test('values a later statement overwrites are saved only where the reverse sweep reads them', (t) => {
  const code = esm(`import { grad } from '@adjoint/runtime';
export function f(x: number) {
  let s = 0;
  for (let i = 0; i < 3; i++) {
    s = s + Math.sin(x * i);
  }
  return s * s;
}
export const d = grad(f);
`);
  const vjp = functionText(code, 'f_vjp');
  // mul1 (read by sin's adjoint) is saved each iteration; s (only summed into) is not
  t.deepEqual(vjp.match(/stack\.push\(\w+\)/g), ['stack.push(mul1)']);
  t.deepEqual(vjp.match(/\w+ = stack\.pop\(\)/g), ['mul1 = stack.pop()']);
  t.regex(vjp, /for \(let i = 2; i >= 0; i--\)/);
});

test('verbose prints the schedule as the gradient runs', (t) => {
  const m = evaluate(
    transpile(`import { grad } from '@adjoint/runtime';
export function f(x: number): number {
  // @checkpoint snapshots=2 verbose
  for (let i = 0; i < 4; i++) {
    x = Math.sin(x) + 0.5;
  }
  return x;
}
export const df = grad(f);
`),
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    m.df(0.3);
  } finally {
    console.log = log;
  }
  t.true(lines.length > 4, lines.join('\n'));
  t.true(lines.some((l) => /advance/i.test(l)), lines.join('\n'));
});

test('random draws in a @checkpoint loop are replayed when the schedule recomputes a step', (t) => {
  const m = evaluate(
    transpile(`import { grad, rand, seedRng } from '@adjoint/runtime';
export function f(x: number, k: number): number {
  seedRng(11);
  // @checkpoint snapshots=2
  for (let i = 0; i < 12; i++) {
    const u = rand([]).item();
    x = x + 0.3 * Math.sin(k * x + 4 * u);
  }
  return x;
}
export const df = grad(f, [0, 1]);
`),
  );
  const sweeps: { advances: number }[] = [];
  const stop = observeSweeps((s) => sweeps.push(s.counters));
  const g = m.df(0.4, 1.3);
  stop();
  t.true(sweeps[0].advances > 12, 'steps were recomputed');
  t.is(firstMismatch(g, finiteDifferences(m.f, [0.4, 1.3], [0, 1])), undefined);
});

test('a while loop, or a for loop without a fixed bound, runs online: no trip count, its length found as it runs', (t) => {
  const source = `import { grad } from '@adjoint/runtime';
export function f(x: number): number {
  let s = x;
  let n = 0;
  // @checkpoint snapshots=3
  while (s < 5) {
    s = s * 1.5 + 0.1;
    n = n + 1;
  }
  // @checkpoint snapshots=2
  for (let i = 0; i < 12; i += 3) {
    s = s * 0.9;
  }
  return s;
}
export const df = grad(f);
`;
  const code = esm(source);
  // the for loop's index is part of its state: the initializer runs once, the incrementor ends each step
  const loops = functionText(code, 'f_vjp').match(/\}, \[s, [ni]\], \S+, \{ snapshots: \d \}\);/g) ?? [];
  t.deepEqual(loops, ['}, [s, n], undefined, { snapshots: 3 });', '}, [s, i], undefined, { snapshots: 2 });']);
  const sweeps: { readonly steps: number | undefined }[] = [];
  const stop = observeSweeps((sweep) => sweeps.push(sweep));
  const m = evaluate(transpile(source));
  const g = m.df(0.7);
  stop();
  t.is(firstMismatch(g, finiteDifferences(m.f, [0.7], 0)), undefined);
  // 0.7 → 1.15 → 1.825 → 2.8375 → 4.35625 → 6.634375: five steps; then i = 0, 3, 6, 9
  t.deepEqual(sweeps.map((s) => s.steps), [5, 4]);
});
