/**
 * The integrations beyond transpileModule: the esbuild plugin (errors and source maps in
 * a bundle) and the ts-patch plugin (tspc reports diagnostics as compiler errors).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'ava';
import { build } from 'esbuild';
import { tensor, type Tensor } from '@adjoint/runtime';
import pluginFromPackage, { adjointTransformer } from '@adjoint/transformer';
import { adjointPlugin } from '@adjoint/transformer/esbuild';
import plugin from '../src/plugin';
import { diagnosticsOf } from './harness';
import { inlineMap, originalLines } from './support/sourcemap';
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

/**
 * One real tspc run (ts-patch loading the plugin named in tsconfig) over every file the
 * tests below compile: spawning tspc costs seconds, so they share it.
 */
const tspcRun = (async () => {
  const dir = tempDir();
  const files = { 'model.ts': MODEL, 'main.ts': MAIN, 'taped.ts': TAPED, 'bad.ts': BAD };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      customConditions: ['adjoint-source'],
      skipLibCheck: true,
      noCheck: true,
      outDir: join(dir, 'js'),
      plugins: [{ transform: join(__dirname, 'fixtures', 'tspc-plugin.cjs') }],
    },
    files: Object.keys(files).map((f) => join(dir, f)),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const bin = createRequire(__filename).resolve('ts-patch/bin/tspc.js');
  const run = await new Promise<{ status: number | null; output: string }>((resolve) =>
    execFile(process.execPath, ['--import=tsx', '--conditions=adjoint-source', bin, '-p', join(dir, 'tsconfig.json')], (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    ),
  );
  return { ...run, load: createRequire(join(dir, 'js', 'index.js')), dir };
})();

test.after.always(async () => void rmSync((await tspcRun).dir, { recursive: true, force: true }));

test('tspc: grad of a function imported from another file uses the VJP that file exports', async (t) => {
  const { output, load } = await tspcRun;
  const main = load('./main.js') as { dEnergy: (x: number, k: number) => number[] };
  const model = load('./model.js') as Record<string, unknown> & { energy: (x: number, k: number) => number };
  t.is(typeof model.energy_vjp_11, 'function', output);
  t.is(firstMismatch(main.dEnergy(0.8, 1.3), finiteDifferences(model.energy as never, [0.8, 1.3], [0, 1])), undefined);
});

test('tspc: a grad call under // @tape stays the runtime tape\'s, with no warning and no VJP exported for it', async (t) => {
  const { output, load } = await tspcRun;
  t.notRegex(output, /taped\.ts/);
  const taped = load('./taped.js') as { dTaped: (x: Tensor) => Tensor };
  const model = load('./model.js') as Record<string, unknown>;
  t.deepEqual(Object.keys(model).filter((k) => k.includes('_vjp')), ['energy_vjp_11'], 'only main.ts asked for a VJP');
  t.regex(readFileSync(join((await tspcRun).dir, 'js', 'taped.js'), 'utf8'), /\(0, runtime_1\.grad\)\(model_1\.tensorEnergy\)/);
  t.deepEqual(Array.from(taped.dTaped(tensor([1, -2])).data), [3, 12]);
});

test('without a type checker, grad of an imported function falls back to the tape with a warning', (t) => {
  const found = diagnosticsOf("import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, [0, 1]);\n", 'main.ts');
  t.deepEqual(
    found.map((d) => [d.code, d.severity, d.line, d.column]),
    [['ADJ130', 'warning', 3, 29]],
  );
});

test('tspc: compile errors are compiler diagnostics and fail the build', async (t) => {
  const { status, output } = await tspcRun;
  t.not(status, 0);
  t.regex(output, /bad\.ts[(:]6[,:]16\)?: error TS99101: ADJ101: break inside a @checkpoint loop/);
});
