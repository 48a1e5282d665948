/**
 * The integrations beyond transpileModule: the esbuild plugin (errors and source maps in
 * a bundle) and the ts-patch plugin (tspc reports diagnostics as compiler errors).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'ava';
import { build } from 'esbuild';
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

function tspc(dir: string, files: readonly string[]): { status: number | null; output: string } {
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
    files: files.map((f) => join(dir, f)),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const bin = createRequire(__filename).resolve('ts-patch/bin/tspc.js');
  const run = spawnSync(process.execPath, ['--import=tsx', '--conditions=adjoint-source', bin, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

test('tspc: grad of a function imported from another file uses the VJP that file exports', (t) => {
  const dir = tempDir();
  try {
    writeFileSync(
      join(dir, 'model.ts'),
      'export function energy(x: number, k: number): number {\n  let e = 0;\n  for (let i = 0; i < 5; i++) {\n    x = x - 0.1 * k * Math.sin(x);\n    e += x * x;\n  }\n  return e;\n}\n',
    );
    writeFileSync(join(dir, 'main.ts'), "import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, [0, 1]);\n");
    const { status, output } = tspc(dir, ['main.ts', 'model.ts']);
    t.is(status, 0, output);
    const load = createRequire(join(dir, 'js', 'index.js'));
    const main = load('./main.js') as { dEnergy: (x: number, k: number) => number[] };
    const model = load('./model.js') as { energy: (x: number, k: number) => number; energy_vjp_11: unknown };
    t.is(typeof model.energy_vjp_11, 'function');
    t.is(firstMismatch(main.dEnergy(0.8, 1.3), finiteDifferences(model.energy as never, [0.8, 1.3], [0, 1])), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a type checker, grad of an imported function falls back to the tape with a warning', (t) => {
  const found = diagnosticsOf("import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, [0, 1]);\n", 'main.ts');
  t.deepEqual(
    found.map((d) => [d.code, d.severity, d.line, d.column]),
    [['ADJ130', 'warning', 3, 29]],
  );
});

test('tspc: compile errors are compiler diagnostics and fail the build', (t) => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'bad.ts'), BAD);
    const run = tspc(dir, ['bad.ts']);
    t.not(run.status, 0);
    t.regex(run.output, /bad\.ts[(:]6[,:]16\)?: error TS99101: ADJ101: break inside a @checkpoint loop/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
