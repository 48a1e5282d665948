/**
 * The three ways the corpus is compiled: transpileModule, esbuild with adjointPlugin, and
 * tspc with the plugin in its tsconfig.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { adjointPlugin } from '../../src/esbuild';
import { evaluate, loadFile, type Exports } from '../harness';

export const CORPUS_DIR = join(__dirname, '..', 'corpus');
export const CORPUS = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'case.ts')
  .map((f) => join(CORPUS_DIR, f));

const transpiled = new Map<string, Exports>();

export function viaTranspileModule(file: string): Exports {
  let module = transpiled.get(file);
  if (!module) transpiled.set(file, (module = loadFile(file)));
  return module;
}

export async function viaEsbuild(file: string): Promise<Exports> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'es2022',
    plugins: [adjointPlugin()],
    external: ['@adjoint/runtime', '@adjoint/runtime/*'],
    logLevel: 'silent',
  });
  return evaluate(result.outputFiles[0].text, file);
}

/** A finished tspc run: its exit status and output, and the CommonJS it emitted. */
export interface TspcRun {
  readonly status: number;
  readonly output: string;
  readonly outDir: string;
  /** Requires an emitted module by its path relative to rootDir, without extension. */
  load(relative: string): Exports;
  remove(): void;
}

/**
 * Real tspc: ts-patch loading the plugin named in a tsconfig (through the .cjs shim, as
 * ts-patch loads .ts plugins only with ts-node) over `files` with the repository's
 * compiler settings, emitting node16 CommonJS into a temporary directory inside this package.
 */
export async function tspc(files: readonly string[], rootDir: string, compilerOptions: Record<string, unknown> = {}): Promise<TspcRun> {
  const outDir = mkdtempSync(join(__dirname, '..', '..', '.adjoint-tmp-tspc-'));
  const config = {
    // the repository's compiler settings (strict, node16, the adjoint-source condition), without project-reference output
    extends: join(__dirname, '..', '..', '..', '..', 'tsconfig.base.json'),
    compilerOptions: {
      composite: false,
      declaration: false,
      declarationMap: false,
      rootDir,
      outDir,
      plugins: [{ transform: join(__dirname, '..', 'fixtures', 'tspc-plugin.cjs') }],
      ...compilerOptions,
    },
    files,
  };
  writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify(config));
  const bin = createRequire(__filename).resolve('ts-patch/bin/tspc.js');
  const { status, output } = await new Promise<{ status: number; output: string }>((resolve) =>
    execFile(process.execPath, ['--import=tsx', '--conditions=adjoint-source', bin, '-p', join(outDir, 'tsconfig.json')], (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    ),
  );
  const requireOut = createRequire(join(outDir, 'index.js'));
  return { status, output, outDir, load: (relative) => requireOut(`./${relative}`) as Exports, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
