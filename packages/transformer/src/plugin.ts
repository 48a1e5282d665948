/**
 * The ts-patch entry: `{ "transform": "@adjoint/transformer" }` in tsconfig plugins.
 * Errors become compiler diagnostics at their file:line:column, so tspc fails on them.
 * Warnings are printed the way tsc prints diagnostics but are not added to the program:
 * tsc (-p and -b alike) exits non-zero on any diagnostic it holds, whatever its category,
 * and a warning (a grad call left to the runtime tape) must not fail a build.
 */
import ts from 'typescript';
import type { AdjointDiagnostic } from './diagnostics';
import { adjointTransformer } from './transformer';

interface PatchExtras {
  readonly addDiagnostic?: (diagnostic: ts.Diagnostic) => number;
}

export default function adjointPlugin(program: ts.Program, _config?: unknown, extras?: PatchExtras): ts.TransformerFactory<ts.SourceFile> {
  const add = extras?.addDiagnostic;
  if (!add) return adjointTransformer({ program });
  const host: ts.FormatDiagnosticsHost = { getCurrentDirectory: () => program.getCurrentDirectory(), getCanonicalFileName: (f) => f, getNewLine: () => ts.sys.newLine };
  const pretty = program.getCompilerOptions().pretty ?? process.stderr.isTTY;
  return adjointTransformer({
    program,
    report: (d) => {
      const diagnostic = toTsDiagnostic(d, program);
      if (d.severity === 'error') add(diagnostic);
      else process.stderr.write(pretty ? ts.formatDiagnosticsWithColorAndContext([diagnostic], host) : ts.formatDiagnostic(diagnostic, host));
    },
  });
}

/** Adjoint codes ADJ1xx are reported as TS99xxx so they cannot clash with TypeScript's own. */
function toTsDiagnostic(d: AdjointDiagnostic, program: ts.Program): ts.Diagnostic {
  return {
    file: program.getSourceFile(d.file),
    start: d.start,
    length: d.length,
    category: d.severity === 'error' ? ts.DiagnosticCategory.Error : ts.DiagnosticCategory.Warning,
    code: 99000 + Number(d.code.slice(3)),
    messageText: `${d.code}: ${d.message}`,
    source: '@adjoint/transformer',
  };
}
