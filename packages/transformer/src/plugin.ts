/**
 * The ts-patch entry: `{ "transform": "@adjoint/transformer" }` in tsconfig plugins.
 * Diagnostics become compiler diagnostics at their file:line:column, so tspc fails on them.
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
  return adjointTransformer({ program, report: (d) => add(toTsDiagnostic(d, program)) });
}

/** Adjoint codes ADJ1xx are reported as TS99xxx so they cannot clash with TypeScript's own. */
function toTsDiagnostic(d: AdjointDiagnostic, program: ts.Program | undefined): ts.Diagnostic {
  return {
    file: program?.getSourceFile(d.file),
    start: d.start,
    length: d.length,
    category: d.severity === 'error' ? ts.DiagnosticCategory.Error : ts.DiagnosticCategory.Warning,
    code: 99000 + Number(d.code.slice(3)),
    messageText: `${d.code}: ${d.message}`,
    source: '@adjoint/transformer',
  };
}
