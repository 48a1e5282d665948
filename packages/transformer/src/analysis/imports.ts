/**
 * Which local names refer to @adjoint/runtime exports. With no type checker (esbuild,
 * transpileModule) the compiler recognizes grad, checkpoint, DSL primitives, ... by
 * their import bindings alone.
 */
import ts from 'typescript';

const RUNTIME_PACKAGE = '@adjoint/runtime';

export interface RuntimeImports {
  /** Local name → exported name, for `import { x as local } from '@adjoint/runtime…'`. */
  readonly named: ReadonlyMap<string, string>;
  /** Local names of `import * as ns from '@adjoint/runtime…'`. */
  readonly namespaces: ReadonlySet<string>;
}

function isRuntimeSpecifier(specifier: string): boolean {
  return specifier === RUNTIME_PACKAGE || specifier.startsWith(`${RUNTIME_PACKAGE}/`);
}

export function readRuntimeImports(sf: ts.SourceFile): RuntimeImports {
  const named = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !isRuntimeSpecifier(st.moduleSpecifier.text)) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        if (!el.isTypeOnly) named.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
  }
  return { named, namespaces };
}

/** The runtime export an expression names (`tanh` or `rt.tanh`), if any. */
export function runtimeName(expr: ts.Expression, imports: RuntimeImports): string | undefined {
  if (ts.isIdentifier(expr)) return imports.named.get(expr.text);
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && imports.namespaces.has(expr.expression.text)) {
    return expr.name.text;
  }
  return undefined;
}
