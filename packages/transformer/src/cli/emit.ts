/**
 * `adjoint emit <file.ts...> [--out dir]` prints (or writes) each file as the compiler
 * rewrites it, generated gradient code included. `adjoint emit --check <files...>`
 * compiles without writing and fails when any @checkpoint loop or grad call cannot be
 * compiled, printing the diagnostics. ts-morph reads the files and formats the output;
 * the compiler itself runs on the project's TypeScript.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Project } from 'ts-morph';
import ts from 'typescript';
import { formatDiagnostic, type AdjointDiagnostic } from '../diagnostics';
import { adjointTransformer } from '../transformer';

export interface Output {
  write(text: string): void;
}

interface EmitResult {
  readonly code: string;
  readonly diagnostics: readonly AdjointDiagnostic[];
}

/**
 * One file through the transformer, printed back as TypeScript. With the program it
 * belongs to, grad may differentiate functions imported from the program's other files.
 */
function emitFile(fileName: string, text: string, program?: ts.Program): EmitResult {
  const diagnostics: AdjointDiagnostic[] = [];
  const sf = program?.getSourceFile(fileName) ?? ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const result = ts.transform(sf, [adjointTransformer({ program, report: (d) => diagnostics.push(d) })]);
  try {
    const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
    return { code: printer.printFile(result.transformed[0]), diagnostics };
  } finally {
    result.dispose();
  }
}

const USAGE = 'usage: adjoint emit <file.ts...> [--out <dir>]\n       adjoint emit --check <file.ts...>\n';

export function runEmitCommand(argv: readonly string[], stdout: Output, stderr: Output): number {
  const files: string[] = [];
  let out: string | undefined;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--out') {
      out = argv[++i];
      if (out === undefined) return usage(stderr, '--out needs a directory');
    } else if (a.startsWith('-')) return usage(stderr, `unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) return usage(stderr, 'no input files');
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  const sources = files.flatMap((f) => {
    const added = project.addSourceFilesAtPaths(resolve(f));
    if (!added.length) stderr.write(`adjoint emit: no such file: ${f}\n`);
    return added;
  });
  if (sources.length < files.length) return 2;
  const program = programOf(sources.map((s) => s.getFilePath()));
  let failed = false;
  for (const source of sources) {
    const path = source.getFilePath();
    const { code, diagnostics } = emitFile(path, source.getFullText(), program);
    for (const d of diagnostics) stderr.write(`${formatDiagnostic(d)}\n`);
    if (diagnostics.some((d) => d.severity === 'error' || check)) failed = true;
    if (check) continue;
    const formatted = project.createSourceFile(`${path}.adjoint-emit.ts`, code, { overwrite: true });
    formatted.formatText({ indentSize: 2, convertTabsToSpaces: true });
    const text = formatted.getFullText();
    project.removeSourceFile(formatted);
    if (out === undefined) stdout.write(text);
    else {
      mkdirSync(out, { recursive: true });
      const target = join(out, basename(path));
      writeFileSync(target, text);
      stdout.write(`wrote ${target}\n`);
    }
  }
  if (check && !failed) stdout.write(`adjoint emit --check: ${sources.length} file${sources.length === 1 ? '' : 's'} compiled\n`);
  return failed ? 1 : 0;
}

/**
 * The files as one program (module options from the nearest tsconfig.json), so the checker
 * resolves imports between them, and only between them: a function imported from a file
 * not given here has no VJP in this output (its grad call falls back to the tape, with
 * ADJ130), and nothing else is parsed. Nothing is type-checked, so the default library and
 * @types packages are left out too.
 */
function programOf(paths: readonly string[]): ts.Program {
  const configPath = ts.findConfigFile(dirname(paths[0]), ts.sys.fileExists);
  let options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, allowJs: false };
  if (configPath) {
    const config = ts.readConfigFile(configPath, ts.sys.readFile);
    if (!config.error) options = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath)).options;
  }
  options = { ...options, noEmit: true, noLib: true, types: [] };
  const given = new Set(paths.map((p) => resolve(p)));
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, resolution) =>
    literals.map((literal) => {
      const { resolvedModule } = ts.resolveModuleName(literal.text, containingFile, resolution, host);
      return { resolvedModule: resolvedModule && given.has(resolve(resolvedModule.resolvedFileName)) ? resolvedModule : undefined };
    });
  return ts.createProgram({ rootNames: paths, options, host });
}

function usage(stderr: Output, problem: string): number {
  stderr.write(`adjoint emit: ${problem}\n${USAGE}`);
  return 2;
}
