/**
 * customVjp primitives defined in this file. Generated code calls their forward and
 * backward directly, so inline function arguments are first given names:
 *   const sq = customVjp((x) => ..., (res, g) => ...)
 * becomes
 *   const sq_forward = (x) => ...;
 *   const sq_backward = (res, g) => ...;
 *   const sq = customVjp(sq_forward, sq_backward, 'sq');
 */
import ts from 'typescript';
import { skipParens } from '../analysis/module';
import { fail } from '../diagnostics';
import * as b from '../emit/build';
import type { Namer } from '../emit/names';

export interface CustomParts {
  /** References to the forward and backward (the user's own identifiers when they were named). */
  readonly forward: ts.Expression;
  readonly backward: ts.Expression;
  /** Declarations to put before the primitive's own, and its new initializer. */
  readonly hoisted: readonly ts.Statement[];
  readonly initializer: ts.Expression;
}

export function customParts(name: string, decl: ts.VariableDeclaration, namer: Namer): CustomParts {
  const call = skipParens(decl.initializer!) as ts.CallExpression;
  const [fwd, bwd, ...rest] = call.arguments;
  if (!fwd || !bwd) fail(call, 'customForm');
  const hoisted: ts.Statement[] = [];
  const named = (e: ts.Expression, suffix: string): ts.Expression => {
    const x = skipParens(e);
    if (ts.isIdentifier(x)) return x;
    const n = namer.exact(`${name}_${suffix}`);
    hoisted.push(b.declare('const', n, e));
    return b.id(n);
  };
  const forward = named(fwd, 'forward');
  const backward = named(bwd, 'backward');
  const args = [forward, backward, ...(rest.length ? rest : [b.str(name)])];
  return { forward, backward, hoisted, initializer: ts.factory.updateCallExpression(call, call.expression, call.typeArguments, args) };
}
