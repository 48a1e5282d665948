/** The three ways the corpus is compiled: transpileModule, esbuild with adjointPlugin, and tspc with the ts-patch plugin. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { adjointPlugin } from '../../src/esbuild';
import { evaluate, loadFile, type Exports } from '../harness';

export const CORPUS_DIR = join(__dirname, '..', 'corpus');
export const CORPUS = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'case.ts')
  .map((f) => join(CORPUS_DIR, f));

export function viaTranspileModule(file: string): Exports {
  return loadFile(file);
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

/** Compiles files with tspc and the plugin in a fresh process; returns each file's exports, and the compiler's output. */
export function viaTspc(files: readonly string[]): { modules: Map<string, Exports>; output: string; status: number | null } {
  // inside the repository (git-ignored), so the emitted files resolve @adjoint/runtime
  const out = mkdtempSync(join(__dirname, '..', '..', '.adjoint-tmp-tspc-'));
  try {
    const config = {
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        customConditions: ['adjoint-source'],
        strict: true,
        skipLibCheck: true,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [join(__dirname, '..', '..', '..', '..', 'node_modules', '@types')],
        rootDir: CORPUS_DIR,
        outDir: join(out, 'js'),
        plugins: [{ transform: join(__dirname, '..', 'fixtures', 'tspc-plugin.cjs') }],
      },
      files: [...files, join(CORPUS_DIR, 'case.ts')],
    };
    const tsconfig = join(out, 'tsconfig.json');
    writeFileSync(tsconfig, JSON.stringify(config));
    const tspc = createRequire(__filename).resolve('ts-patch/bin/tspc.js');
    const run = spawnSync(process.execPath, ['--import=tsx', '--conditions=adjoint-source', tspc, '-p', tsconfig], { encoding: 'utf8' });
    const modules = new Map<string, Exports>();
    const requireOut = createRequire(join(out, 'js', 'index.js'));
    for (const f of files) {
      const js = join(out, 'js', basename(f).replace(/\.ts$/, '.js'));
      if (existsSync(js)) modules.set(f, requireOut(js) as Exports);
    }
    return { modules, output: run.stdout + run.stderr, status: run.status };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
