/** What the compiler sees in one file: top-level functions, customVjp primitives, runtime imports, markers. */
import ts from 'typescript';
import { readRuntimeImports, runtimeName, type RuntimeImports } from './imports';
import type { Marker } from './markers';
import { allIdentifiers } from './references';

export type FunctionNode = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export interface TopLevelFunction {
  readonly name: string;
  readonly node: FunctionNode;
  /** The top-level statement that declares it (generated code is placed after it). */
  readonly statement: ts.Statement;
}

export interface ModuleScope {
  readonly sf: ts.SourceFile;
  readonly imports: RuntimeImports;
  readonly functions: ReadonlyMap<string, TopLevelFunction>;
  /** `const name = customVjp(...)` at the top level. */
  readonly customs: ReadonlyMap<string, ts.VariableDeclaration>;
  readonly markers: ReadonlyMap<ts.Node, Marker>;
  /** Every identifier in the file: generated names avoid them. */
  readonly identifiers: ReadonlySet<string>;
  /** Whether a runtime export is a DSL primitive with a VJP. */
  readonly isPrimitive: (exported: string) => boolean;
}

export function readModule(sf: ts.SourceFile, markers: ReadonlyMap<ts.Node, Marker>, isPrimitive: (name: string) => boolean): ModuleScope {
  const imports = readRuntimeImports(sf);
  const functions = new Map<string, TopLevelFunction>();
  const customs = new Map<string, ts.VariableDeclaration>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) functions.set(st.name.text, { name: st.name.text, node: st, statement: st });
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const init = skipParens(d.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) functions.set(d.name.text, { name: d.name.text, node: init, statement: st });
      else if (ts.isCallExpression(init) && runtimeName(init.expression, imports) === 'customVjp') customs.set(d.name.text, d);
    }
  }
  return { sf, imports, functions, customs, markers, identifiers: allIdentifiers(sf), isPrimitive };
}

export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** What a call's callee refers to, as far as differentiation is concerned. */
type Callee =
  | { kind: 'math'; name: string }
  | { kind: 'primitive'; name: string }
  | { kind: 'runtime'; name: string }
  | { kind: 'function'; fn: TopLevelFunction }
  | { kind: 'custom'; name: string }
  | { kind: 'unknown'; text: string };

export function classifyCallee(callee: ts.Expression, scope: ModuleScope, locals: ReadonlySet<string>): Callee {
  const e = skipParens(callee);
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Math' && !locals.has('Math')) return { kind: 'math', name: e.name.text };
  const rt = runtimeName(e, scope.imports);
  if (rt !== undefined) return scope.isPrimitive(rt) ? { kind: 'primitive', name: rt } : { kind: 'runtime', name: rt };
  if (ts.isIdentifier(e) && !locals.has(e.text)) {
    const fn = scope.functions.get(e.text);
    if (fn) return { kind: 'function', fn };
    if (scope.customs.has(e.text)) return { kind: 'custom', name: e.text };
  }
  return { kind: 'unknown', text: ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? textOf(e) : 'this function' };
}

function textOf(e: ts.Expression): string {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return `${textOf(e.expression)}.${e.name.text}`;
  return '…';
}
