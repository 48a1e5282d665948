/** grad(f, argnums) and valueAndGrad(f, argnums) calls, and the gradient functions that replace them. */
import ts from 'typescript';
import { runtimeName, type RuntimeImports } from '../analysis/imports';
import { skipParens } from '../analysis/module';
import { fail } from '../diagnostics';
import * as b from '../emit/build';

export interface GradCall {
  readonly call: ts.CallExpression;
  readonly kind: 'grad' | 'valueAndGrad';
  /** The function argument as written. */
  readonly target: ts.Expression;
  /** As written: one index (a single gradient) or a list (a tuple of gradients). */
  readonly argnums: number | readonly number[];
}

export function gradCallOf(node: ts.Node, imports: RuntimeImports): GradCall | undefined {
  const kind = gradKind(node, imports);
  if (!kind || !ts.isCallExpression(node) || node.arguments.length < 1) return undefined;
  return { call: node, kind, target: node.arguments[0], argnums: argnumsOf(node.arguments[1]) };
}

/** Whether a subtree calls grad or valueAndGrad of the runtime. */
export function containsGradCall(root: ts.Node, imports: RuntimeImports): boolean {
  const visit = (node: ts.Node): boolean => gradKind(node, imports) !== undefined || (ts.forEachChild(node, visit) ?? false);
  return visit(root);
}

function gradKind(node: ts.Node, imports: RuntimeImports): GradCall['kind'] | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const name = runtimeName(skipParens(node.expression), imports);
  return name === 'grad' || name === 'valueAndGrad' ? name : undefined;
}

function argnumsOf(e: ts.Expression | undefined): number | readonly number[] {
  if (e === undefined) return 0;
  const x = skipParens(e);
  const literal = (n: ts.Expression): number => {
    const v = skipParens(n);
    if (!ts.isNumericLiteral(v) || !Number.isInteger(Number(v.text))) fail(n, 'argnums');
    return Number(v.text);
  };
  if (ts.isArrayLiteralExpression(x)) return x.elements.map(literal);
  return literal(x);
}

/**
 * `(x0, W, b) => { const [value, pullback] = f_vjp(x0, W, b); return adjoint.gradients(pullback(adjoint.seed(value)), [x0, W, b], [0, 1, 2]); }`
 */
export function gradientFunction(grad: GradCall, params: readonly string[], vjp: string, runtime: string): ts.ArrowFunction {
  const local = (base: string): string => (params.includes(base) ? `${base}_` : base);
  const value = local('value');
  const pullback = local('pullback');
  const args = params.map(b.id);
  const argnums = typeof grad.argnums === 'number' ? b.num(grad.argnums) : b.array(grad.argnums.map(b.num));
  const gradients = b.call(`${runtime}.gradients`, [b.call(b.id(pullback), [b.call(`${runtime}.seed`, [b.id(value)])]), b.array(args), argnums]);
  const body = [b.declare('const', b.arrayPattern([value, pullback]), b.call(vjp, args)), b.ret(grad.kind === 'grad' ? gradients : b.array([b.id(value), gradients]))];
  return b.mapTo(b.arrow(params, body.map((st) => b.mapTo(st, grad.call))), grad.call);
}
