/**
 * The three ways the corpus is compiled: transpileModule, esbuild with adjointPlugin, and
 * the ts-patch plugin on a Program. Each compiles a file once per test process.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { adjointPlugin } from '../../src/esbuild';
import plugin from '../../src/plugin';
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

/**
 * What tspc does with the plugin, in this process: one Program over the files, the plugin
 * called with it as ts-patch calls it (program, config, { ts, addDiagnostic }), each file
 * emitted as node16 CommonJS through it and loaded. Returns each file's exports, the
 * adjoint diagnostics, and TypeScript's own errors in the files (the corpus must
 * type-check). Real tspc, loading the plugin from a tsconfig, is run by integration.test.ts.
 */
export function viaProgram(files: readonly string[]): { modules: Map<string, Exports>; adjoint: readonly ts.Diagnostic[]; typeErrors: readonly string[] } {
  const program = ts.createProgram({
    rootNames: [...files, join(CORPUS_DIR, 'case.ts')],
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      customConditions: ['adjoint-source'],
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: [],
      rootDir: CORPUS_DIR,
      outDir: join(CORPUS_DIR, 'js'),
    },
  });
  const adjoint: ts.Diagnostic[] = [];
  const transformer = plugin(program, {}, { addDiagnostic: (d) => adjoint.push(d) });
  const modules = new Map<string, Exports>();
  const typeErrors: string[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      typeErrors.push(`${basename(file)}(${line + 1},${character + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    let js: string | undefined;
    program.emit(sf, (name, text) => void (name.endsWith('.js') && (js = text)), undefined, false, { before: [transformer] });
    if (js !== undefined) modules.set(file, evaluate(js, file));
  }
  return { modules, adjoint, typeErrors };
}
