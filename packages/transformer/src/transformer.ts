/** The TypeScript transformer factory: what tspc, esbuild and the CLI run. */
import ts from 'typescript';
import { compileFile } from './compile';
import { AdjointCompileError, formatDiagnostic, type AdjointDiagnostic } from './diagnostics';

export interface AdjointTransformerOptions {
  /**
   * Receives every diagnostic. Without it, warnings go to console.warn and a file with
   * errors throws an AdjointCompileError listing them all.
   */
  report?: (diagnostic: AdjointDiagnostic) => void;
}

export function adjointTransformer(options: AdjointTransformerOptions = {}): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => (sf) => {
    if (options.report) return compileFile(sf, ctx, options.report);
    const errors: AdjointDiagnostic[] = [];
    const seen = new Set<string>();
    const out = compileFile(sf, ctx, (d) => {
      const key = `${d.code}@${d.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (d.severity === 'error') errors.push(d);
      else console.warn(formatDiagnostic(d));
    });
    if (errors.length) throw new AdjointCompileError(errors);
    return out;
  };
}
