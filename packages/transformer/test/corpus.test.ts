/**
 * The corpus (test/corpus): every construct of the differentiable subset, compiled three
 * ways (transpileModule, esbuild plugin, the ts-patch plugin on a Program). Each compiled gradient must equal
 * central finite differences (float64, relative 1e-6) and, where the runtime tape can
 * follow the function, the tape's gradient. @checkpoint loops must call their step
 * exactly n + t(n, s) times.
 */
import { basename } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import ts from 'typescript';
import { grad, type Tensor } from '@adjoint/runtime';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
import type { Case } from './corpus/case';
import type { Exports } from './harness';
import { CORPUS, viaEsbuild, viaProgram, viaTranspileModule } from './support/pipelines';
import { finiteDifferences, firstMismatch } from './support/trees';

function casesOf(module: Exports): Case[] {
  return module.cases as Case[];
}

function gradientOf(c: Case, args: readonly unknown[]): unknown {
  const out = c.df(...(args as never[]));
  return c.withValue ? (out as [unknown, unknown])[1] : out;
}

function checkAgainstFiniteDifferences(t: ExecutionContext, file: string, module: Exports): void {
  for (const c of casesOf(module)) {
    const args = c.args();
    const mismatch = firstMismatch(gradientOf(c, args), finiteDifferences(c.f, args, c.argnums));
    t.is(mismatch, undefined, `${basename(file)}: ${c.name}`);
  }
}

test('the corpus has at least 40 functions', (t) => {
  const functions = new Set(CORPUS.flatMap((f) => casesOf(viaTranspileModule(f)).map((c) => c.f)));
  t.true(functions.size >= 40, `${functions.size} functions`);
});

test('transpileModule: compiled gradients equal central finite differences', (t) => {
  for (const file of CORPUS) checkAgainstFiniteDifferences(t, file, viaTranspileModule(file));
});

test('esbuild plugin: compiled gradients equal central finite differences', async (t) => {
  for (const file of CORPUS) checkAgainstFiniteDifferences(t, file, await viaEsbuild(file));
});

test('ts-patch plugin on a Program (as tspc runs it): compiled gradients equal central finite differences', (t) => {
  const { modules, adjoint, typeErrors } = viaProgram(CORPUS);
  t.deepEqual(adjoint.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], 'no adjoint diagnostics');
  t.deepEqual(typeErrors, [], 'the corpus type-checks');
  for (const file of CORPUS) {
    const module = modules.get(file);
    if (!module) t.fail(`nothing emitted for ${basename(file)}`);
    else checkAgainstFiniteDifferences(t, file, module);
  }
});

test('compiled gradients equal the runtime tape where it applies', (t) => {
  for (const file of CORPUS) {
    // the same file without the transformer: loops run plainly and grad is the tape's
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const plain = casesOf(require(file) as Exports);
    const compiled = casesOf(viaTranspileModule(file));
    compiled.forEach((c, i) => {
      if (!c.tape) return;
      t.not(plain[i].df, c.df);
      const args = c.args();
      const compiledGradient = gradientOf(c, args);
      t.is(firstMismatch(compiledGradient, gradientOf(plain[i], args), 1e-9, 1e-12), undefined, `${basename(file)}: ${c.name}`);
      // the compiled file's own function (its @checkpoint loops now checkpointedLoop calls) on the tape
      const taped = grad(c.f as (...a: unknown[]) => Tensor, c.argnums)(...args);
      t.is(firstMismatch(compiledGradient, taped, 1e-9, 1e-12), undefined, `${basename(file)}: ${c.name} (tape through checkpointedLoop)`);
    });
  }
});

/** t(n, s): the fewest advances of binomial checkpointing (Griewank & Walther), computed here independently. */
function binomialAdvances(n: number, s: number): number {
  const choose = (a: number, b: number): number => {
    let r = 1;
    for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
    return Math.round(r);
  };
  let r = 0;
  while (choose(s + r, s) < n) r++;
  return r * n - choose(s + r, s + 1);
}

test('t(n, s) reference values', (t) => {
  t.is(binomialAdvances(10, 3), 15);
  t.is(binomialAdvances(100, 10), 222);
  t.is(binomialAdvances(1000, 31), 2439);
});

test('a @checkpoint loop with snapshots=s calls its step exactly n + t(n, s) times during a gradient', (t) => {
  let checked = 0;
  for (const file of CORPUS) {
    for (const c of casesOf(viaTranspileModule(file))) {
      if (!c.sweep) continue;
      const sweeps: { stepCalls: number }[] = [];
      const stop = observeSweeps((sweep) => sweeps.push(sweep.counters));
      try {
        gradientOf(c, c.args());
      } finally {
        stop();
      }
      const { n, s } = c.sweep;
      t.is(sweeps.length, 1, c.name);
      t.is(sweeps[0].stepCalls, n + binomialAdvances(n, s), `${c.name}: n = ${n}, s = ${s}`);
      checked++;
    }
  }
  t.true(checked >= 5);
});
