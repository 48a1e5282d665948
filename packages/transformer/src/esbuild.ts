/**
 * esbuild plugin: `import { adjointPlugin } from '@adjoint/transformer/esbuild'`.
 * esbuild cannot run TypeScript transformers and drops comments, so files that use the
 * runtime (or carry @checkpoint markers) are compiled here with ts.transpileModule and
 * the transformer, and handed back as JavaScript with an inline source map into the
 * original file. There is no type checker: the transformer works from syntax and import
 * bindings alone.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PartialMessage, Plugin } from 'esbuild';
import ts from 'typescript';
import type { AdjointDiagnostic } from './diagnostics';
import { adjointTransformer } from './transformer';

export interface AdjointPluginOptions {
  /** Files to consider (default: .ts, .tsx, .mts, .cts). */
  filter?: RegExp;
  /** Extra options for transpileModule (module and target default to ESNext / ES2022). */
  compilerOptions?: ts.CompilerOptions;
}

const USES_ADJOINT = /@checkpoint\b|from\s*['"]@adjoint\/runtime(\/[^'"]*)?['"]/;

export function adjointPlugin(options: AdjointPluginOptions = {}): Plugin {
  return {
    name: 'adjoint',
    setup(build) {
      build.onLoad({ filter: options.filter ?? /\.[cm]?tsx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!USES_ADJOINT.test(source)) return undefined;
        const found: AdjointDiagnostic[] = [];
        const out = ts.transpileModule(source, {
          fileName: args.path,
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            jsx: ts.JsxEmit.Preserve,
            ...options.compilerOptions,
            sourceMap: false,
            inlineSourceMap: true,
            inlineSources: true,
          },
          transformers: { before: [adjointTransformer({ report: (d) => found.push(d) })] },
        });
        const lines = source.split('\n');
        const message = (d: AdjointDiagnostic): PartialMessage => ({
          text: `${d.code}: ${d.message}`,
          location: { file: args.path, line: d.line, column: d.column - 1, length: d.length, lineText: lines[d.line - 1] ?? '' },
        });
        const errors = found.filter((d) => d.severity === 'error').map(message);
        const warnings = found.filter((d) => d.severity === 'warning').map(message);
        if (errors.length) return { errors, warnings };
        return { contents: out.outputText, loader: args.path.endsWith('x') ? 'jsx' : 'js', warnings, resolveDir: dirname(args.path) };
      });
    },
  };
}
