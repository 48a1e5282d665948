/**
 * Test harness: compile TypeScript source with the transformer (ts.transpileModule, as
 * esbuild does) and load the result as a CommonJS module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { adjointTransformer } from '../src/transformer';
import type { AdjointDiagnostic } from '../src/diagnostics';

const requireHere = createRequire(__filename);

export function transpile(source: string, fileName = 'input.ts', report?: (d: AdjointDiagnostic) => void): string {
  const out = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    transformers: { before: [adjointTransformer(report ? { report } : {})] },
    reportDiagnostics: false,
  });
  return out.outputText;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Exports = Record<string, any>;

/** Runs CommonJS code as a module located at `path` (its relative imports resolve from there). */
export function evaluate(js: string, path = __filename): Exports {
  const module = { exports: {} as Exports };
  new Function('require', 'module', 'exports', js)(path === __filename ? requireHere : createRequire(path), module, module.exports);
  return module.exports;
}

/** A file compiled with the transformer (transpileModule) and loaded. */
export function loadFile(path: string): Exports {
  return evaluate(transpile(readFileSync(path, 'utf8'), path), path);
}

export function load(source: string): Exports {
  return evaluate(transpile(source));
}

/** Diagnostics of compiling `source` (the code is compiled, not run). */
export function diagnosticsOf(source: string, fileName = 'input.ts'): AdjointDiagnostic[] {
  const found: AdjointDiagnostic[] = [];
  transpile(source, fileName, (d) => found.push(d));
  return found;
}

/** Central finite difference of f along argument i (float64). */
export function centralDifference(f: (...args: number[]) => number, args: readonly number[], i: number, h = 1e-6): number {
  const up = [...args];
  const down = [...args];
  up[i] += h;
  down[i] -= h;
  return (f(...up) - f(...down)) / (2 * h);
}

export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}
