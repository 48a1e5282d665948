/**
 * The corpus (test/corpus): every construct of the differentiable subset, compiled three
 * ways (transpileModule, the esbuild plugin, tspc with the plugin). Each compiled gradient must equal
 * central finite differences (float64, relative 1e-6) and, where the runtime tape can
 * follow the function, the tape's gradient. @checkpoint loops must call their step
 * exactly n + t(n, s) times.
 */
import { basename, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { grad, type Tensor } from '@adjoint/runtime';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
import type { Case } from './corpus/case';
import type { Exports } from './harness';
import { CORPUS, CORPUS_DIR, tspc, viaEsbuild, viaTranspileModule } from './support/pipelines';
import { finiteDifferences, firstMismatch } from './support/trees';

function casesOf(module: Exports): Case[] {
  return module.cases as Case[];
}

function gradientOf(c: Case, args: readonly unknown[]): unknown {
  const out = c.df(...(args as never[]));
  return c.withValue ? (out as [unknown, unknown])[1] : out;
}

/**
 * Every case of one compiled corpus file against central finite differences and, where the
 * tape can follow it, against the tape: both on the file loaded without the transformer
 * (loops run plainly, grad is the tape's) and on the compiled file's own function (its
 * @checkpoint loops now checkpointedLoop calls).
 */
function checkCompiled(t: ExecutionContext, file: string, module: Exports, pipeline: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plain = casesOf(require(file) as Exports);
  casesOf(module).forEach((c, i) => {
    const where = `${pipeline}, ${basename(file)}: ${c.name}`;
    const args = c.args();
    const compiledGradient = gradientOf(c, args);
    t.is(firstMismatch(compiledGradient, finiteDifferences(c.f, args, c.argnums)), undefined, `${where} (finite differences)`);
    if (!c.tape) return;
    t.not(plain[i].df, c.df);
    t.is(firstMismatch(compiledGradient, gradientOf(plain[i], args), 1e-9, 1e-12), undefined, `${where} (tape)`);
    const taped = grad(c.f as (...a: unknown[]) => Tensor, c.argnums)(...args);
    t.is(firstMismatch(compiledGradient, taped, 1e-9, 1e-12), undefined, `${where} (tape through checkpointedLoop)`);
  });
}

test('the corpus has at least 40 functions', (t) => {
  const functions = new Set(CORPUS.flatMap((f) => casesOf(viaTranspileModule(f)).map((c) => c.f)));
  t.true(functions.size >= 40, `${functions.size} functions`);
});

test('transpileModule: compiled gradients equal central finite differences and the tape', (t) => {
  for (const file of CORPUS) checkCompiled(t, file, viaTranspileModule(file), 'transpileModule');
});

test('esbuild plugin: compiled gradients equal central finite differences and the tape', async (t) => {
  for (const file of CORPUS) checkCompiled(t, file, await viaEsbuild(file), 'esbuild');
});

test('tspc (ts-patch, the plugin named in tsconfig): the corpus type-checks and compiles without diagnostics; gradients equal central finite differences and the tape', async (t) => {
  const run = await tspc([...CORPUS, join(CORPUS_DIR, 'case.ts')], CORPUS_DIR);
  try {
    t.is(run.output, '', 'no type errors and no adjoint diagnostics');
    t.is(run.status, 0);
    for (const file of CORPUS) checkCompiled(t, file, run.load(basename(file, '.ts')), 'tspc');
  } finally {
    run.remove();
  }
});

/**
 * Without the transformer, grad is the tape's: each case must come out correct, or as an
 * error that names the plugin, never as a wrong number. Typed-array arguments are traced as
 * tensors whose element reads throw, so element-wise code is refused rather than seen as
 * a loop of zero steps.
 */
function checkWithoutTransformer(t: ExecutionContext, typedArrays: boolean): void {
  for (const file of CORPUS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const c of casesOf(require(file) as Exports)) {
      const args = c.args();
      if (args.some((a) => a instanceof Float64Array) !== typedArrays) continue;
      let gradient: unknown;
      try {
        gradient = gradientOf(c, args);
      } catch (error) {
        t.regex((error as Error).message, /@adjoint\/transformer/, `${basename(file)}: ${c.name}`);
        continue;
      }
      t.is(firstMismatch(gradient, finiteDifferences(c.f, args, c.argnums)), undefined, `${basename(file)}: ${c.name}`);
    }
  }
}

test('without the transformer, each corpus gradient is correct (the tape) or an error that names the plugin, never a wrong number', (t) => {
  checkWithoutTransformer(t, false);
});

test('without the transformer, typed-array arguments are differentiated by the tape or refused with an error that names the plugin', (t) => {
  checkWithoutTransformer(t, true);
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
