/**
 * The integrations beyond transpileModule: the esbuild plugin (errors and source maps in
 * a bundle) and the ts-patch plugin under real tspc (errors are compiler errors that fail
 * the build, warnings are printed and do not, source maps, grad across files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { build } from 'esbuild';
import { tensor, type Tensor } from '@adjoint/runtime';
import pluginFromPackage, { adjointTransformer } from '@adjoint/transformer';
import { adjointPlugin } from '@adjoint/transformer/esbuild';
import plugin from '../src/plugin';
import { diagnosticsOf } from './harness';
import { tspc } from './support/pipelines';
import { inlineMap, originalLines, type RawSourceMap } from './support/sourcemap';
import { finiteDifferences, firstMismatch } from './support/trees';

const SOURCE = `import { grad } from '@adjoint/runtime';
export function f(x: number, y: number): number {
  let s = x;
  // @checkpoint snapshots=2
  for (let i = 0; i < 5; i++) {
    s = s + Math.sin(s * y);
  }
  return s;
}
export const df = grad(f, [0, 1]);
`;

const BAD = `import { grad } from '@adjoint/runtime';
export function f(x: number): number {
  let s = x;
  // @checkpoint snapshots=2
  for (let i = 0; i < 8; i++) {
    if (s > 4) break;
    s = s * 2;
  }
  return s;
}
export const d = grad(f);
`;

function tempDir(): string {
  return mkdtempSync(join(__dirname, '..', '.adjoint-tmp-integration-'));
}

test('the package entry points: the ts-patch plugin is the default export, adjointPlugin under /esbuild', (t) => {
  t.is(pluginFromPackage, plugin);
  t.is(typeof adjointTransformer, 'function');
  t.is(adjointPlugin().name, 'adjoint');
});

test('esbuild: generated code maps into the user file through the bundle', async (t) => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'model.ts'), SOURCE);
    const result = await build({
      entryPoints: [join(dir, 'model.ts')],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      sourcemap: 'inline',
      plugins: [adjointPlugin()],
      external: ['@adjoint/runtime', '@adjoint/runtime/*'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const lines = originalLines(inlineMap(code));
    const at = code.split('\n').findIndex((l) => l.includes('adjoint.math.sin('));
    t.true(at >= 0);
    t.like(lines[at], { line: 6 });
    t.regex(lines[at]!.source, /model\.ts$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('esbuild: compile errors fail the build at file:line:column', async (t) => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'bad.ts'), BAD);
    const error = await t.throwsAsync(() =>
      build({ entryPoints: [join(dir, 'bad.ts')], bundle: true, write: false, plugins: [adjointPlugin()], external: ['@adjoint/runtime'], logLevel: 'silent' }),
    );
    const errors = (error as unknown as { errors: { text: string; location: { file: string; line: number; column: number } }[] }).errors;
    t.is(errors.length, 1);
    t.regex(errors[0].text, /^ADJ101: break inside a @checkpoint loop/);
    t.like(errors[0].location, { line: 6, column: 15 });
    t.regex(errors[0].location.file, /bad\.ts$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const MODEL = `import { mul, sum, type Tensor } from '@adjoint/runtime';
export function energy(x: number, k: number): number {
  let e = 0;
  for (let i = 0; i < 5; i++) {
    x = x - 0.1 * k * Math.sin(x);
    e += x * x;
  }
  return e;
}
export function tensorEnergy(x: Tensor): Tensor {
  return sum(mul(x, mul(x, x)));
}
`;
const MAIN = "import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, [0, 1]);\n";
const TAPED = "import { grad } from '@adjoint/runtime';\nimport { tensorEnergy } from './model';\n// @tape: the runtime's own gradient, for comparison\nexport const dTaped = grad(tensorEnergy);\n";

const FALLBACK = "import { grad } from '@adjoint/runtime';\nexport function make(g: (x: number) => number) {\n  return grad(g);\n}\n";

/**
 * Real tspc runs (ts-patch loading the plugin named in tsconfig), shared by the tests
 * below: spawning tspc costs seconds. One project compiles cleanly apart from a warning;
 * the other holds a compile error.
 */
const sources = (() => {
  const dir = tempDir();
  const files = { 'model.ts': MODEL, 'main.ts': MAIN, 'taped.ts': TAPED, 'fallback.ts': FALLBACK, 'bad.ts': BAD };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
})();
const inSources = (...names: string[]): string[] => names.map((n) => join(sources, n));
const cleanRun = tspc(inSources('model.ts', 'main.ts', 'taped.ts', 'fallback.ts'), sources, { noCheck: true });
const failingRun = tspc(inSources('bad.ts'), sources, { noCheck: true });

test.after.always(async () => {
  for (const run of await Promise.all([cleanRun, failingRun])) run.remove();
  rmSync(sources, { recursive: true, force: true });
});

test('tspc: grad of a function imported from another file uses the VJP that file exports', async (t) => {
  const { output, load } = await cleanRun;
  const main = load('main') as { dEnergy: (x: number, k: number) => number[] };
  const model = load('model') as Record<string, unknown> & { energy: (x: number, k: number) => number };
  t.is(typeof model.energy_vjp_11, 'function', output);
  t.is(firstMismatch(main.dEnergy(0.8, 1.3), finiteDifferences(model.energy as never, [0.8, 1.3], [0, 1])), undefined);
});

test("tspc: a grad call under // @tape stays the runtime tape's, with no warning and no VJP exported for it", async (t) => {
  const { output, load, outDir } = await cleanRun;
  t.notRegex(output, /taped\.ts/);
  const taped = load('taped') as { dTaped: (x: Tensor) => Tensor };
  const model = load('model') as Record<string, unknown>;
  t.deepEqual(Object.keys(model).filter((k) => k.includes('_vjp')), ['energy_vjp_11'], 'only main.ts asked for a VJP');
  t.regex(readFileSync(join(outDir, 'taped.js'), 'utf8'), /\(0, runtime_1\.grad\)\(model_1\.tensorEnergy\)/);
  t.deepEqual(Array.from(taped.dTaped(tensor([1, -2])).data), [3, 12]);
});

test('tspc: a warning is printed at file(line,col) but does not fail the build', async (t) => {
  const { status, output, load } = await cleanRun;
  t.is(status, 0, output);
  t.regex(output, /fallback\.ts\(3,15\): warning TS99130: ADJ130: grad\(g\): the compiler cannot see `g`'s body/);
  t.is(output.trim().split('\n').length, 1, 'the warning is the only output');
  const fallback = load('fallback') as { make: (g: (x: number) => number) => unknown };
  t.is(typeof fallback.make, 'function');
});

test('tspc: compile errors are compiler diagnostics and fail the build', async (t) => {
  const { status, output } = await failingRun;
  t.not(status, 0);
  t.regex(output, /bad\.ts\(6,16\): error TS99101: ADJ101: break inside a @checkpoint loop/);
});

test('tspc: source maps point generated code into the user file', async (t) => {
  const { outDir } = await cleanRun;
  const code = readFileSync(join(outDir, 'model.js'), 'utf8').split('\n');
  const lines = originalLines(JSON.parse(readFileSync(join(outDir, 'model.js.map'), 'utf8')) as RawSourceMap);
  const at = code.findIndex((l) => l.includes('adjoint.math.sin('));
  t.true(at >= 0);
  t.like(lines[at], { line: 5 });
  t.regex(lines[at]!.source, /model\.ts$/);
});

test('without a type checker, grad of an imported function falls back to the tape with a warning', (t) => {
  const found = diagnosticsOf("import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, [0, 1]);\n", 'main.ts');
  t.deepEqual(
    found.map((d) => [d.code, d.severity, d.line, d.column]),
    [['ADJ130', 'warning', 3, 29]],
  );
});
