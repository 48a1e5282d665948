/** The TypeScript transformer factory: what tspc, esbuild and the CLI run. */
import ts from 'typescript';
import { compileFile } from './compile';
import { AdjointCompileError, formatDiagnostic, type AdjointDiagnostic } from './diagnostics';

export interface AdjointTransformerOptions {
  /** With a program, grad(f) may name a function imported from another file of it (its type checker resolves f). */
  program?: ts.Program;
  /**
   * Receives every diagnostic. Without it, warnings go to console.warn and a file with
   * errors throws an AdjointCompileError listing them all.
   */
  report?: (diagnostic: AdjointDiagnostic) => void;
}

export function adjointTransformer(options: AdjointTransformerOptions = {}): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => (sf) => {
    if (options.report) return compileFile(sf, ctx, options.report, options.program);
    const errors: AdjointDiagnostic[] = [];
    const out = compileFile(sf, ctx, (d) => {
      if (d.severity === 'error') errors.push(d);
      else console.warn(formatDiagnostic(d));
    }, options.program);
    if (errors.length) throw new AdjointCompileError(errors);
    return out;
  };
}
