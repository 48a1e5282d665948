/**
 * Activity analysis: which variables carry values that depend, through differentiable
 * operations, on the inputs being differentiated. Only active values get adjoints;
 * integer index arithmetic, conditions and constants stay plain code. Flow-insensitive
 * fixpoint over every assignment of the function.
 */
import ts from 'typescript';
import { isAssignmentOperator } from './references';
import { runtimeName } from './imports';
import { classifyCallee, skipParens, type ModuleScope } from './module';

/** Math functions whose value is piecewise constant: their results are not differentiated. */
export const CONSTANT_MATH = new Set(['floor', 'ceil', 'round', 'trunc', 'sign', 'random', 'fround', 'clz32', 'imul']);

interface Assignment {
  readonly targets: readonly string[];
  readonly value: ts.Expression;
}

export class Activity {
  constructor(
    private readonly scope: ModuleScope,
    readonly active: Set<string>,
    private readonly locals: ReadonlySet<string>,
  ) {}

  has(name: string): boolean {
    return this.active.has(name);
  }

  /** Whether an expression's value depends differentiably on an active variable. */
  expr(e: ts.Expression): boolean {
    e = skipParens(e);
    if (ts.isIdentifier(e)) return this.active.has(e.text);
    if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return false;
    if (ts.isElementAccessExpression(e)) return this.expr(e.expression);
    if (ts.isPropertyAccessExpression(e)) return e.name.text !== 'length' && this.expr(e.expression);
    if (ts.isPrefixUnaryExpression(e)) {
      const op = e.operator;
      return (op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) && this.expr(e.operand);
    }
    if (ts.isPostfixUnaryExpression(e)) return this.expr(e.operand);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (isAssignmentOperator(op)) return this.expr(e.right) || (op !== ts.SyntaxKind.EqualsToken && this.expr(e.left));
      if (!VALUE_OPERATORS.has(op)) return false;
      return this.expr(e.left) || this.expr(e.right);
    }
    if (ts.isConditionalExpression(e)) return this.expr(e.whenTrue) || this.expr(e.whenFalse);
    if (ts.isCallExpression(e)) {
      const item = itemReceiver(e);
      if (item) return this.expr(item);
      const callee = classifyCallee(e.expression, this.scope, this.locals);
      if (callee.kind === 'math' && CONSTANT_MATH.has(callee.name)) return false;
      if (callee.kind === 'runtime' && callee.name === 'checkpoint') return e.arguments.some((a) => this.expr(a));
      if (ts.isCallExpression(skipParens(e.expression))) return this.expr(e.expression) || e.arguments.some((a) => this.expr(a));
      // a method of a differentiated value (xs.slice(1), x.at(0)) returns something that depends on it
      const receiver = methodReceiver(e);
      if (callee.kind === 'unknown' && receiver && this.expr(receiver)) return true;
      return e.arguments.some((a) => this.expr(a));
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return this.captures(e);
    if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => this.expr(ts.isSpreadElement(x) ? x.expression : x));
    if (ts.isObjectLiteralExpression(e)) {
      return e.properties.some((p) =>
        ts.isPropertyAssignment(p) ? this.expr(p.initializer) : ts.isShorthandPropertyAssignment(p) ? this.active.has(p.name.text) : ts.isSpreadAssignment(p) ? this.expr(p.expression) : false,
      );
    }
    if (ts.isSpreadElement(e)) return this.expr(e.expression);
    // new Float64Array(x) copies a differentiated value: the lowering refuses it rather than drop its adjoint
    if (ts.isNewExpression(e)) return e.arguments?.some((a) => this.expr(a)) ?? false;
    // typeof, void, delete, templates, this, ...: no value that is differentiated
    return false;
  }

  /** A function expression is active when its body reads an active variable of this scope. */
  private captures(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && this.active.has(n.text)) found = true;
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return found;
  }
}

/** checkpoint(fn, options?)(...args): the function expression fn, or undefined for any other call. */
export function checkpointRegion(call: ts.CallExpression, scope: ModuleScope): ts.Expression | undefined {
  const inner = skipParens(call.expression);
  if (!ts.isCallExpression(inner) || inner.arguments.length < 1) return undefined;
  return runtimeName(skipParens(inner.expression), scope.imports) === 'checkpoint' ? inner.arguments[0] : undefined;
}

/** The inline function of a checkpoint region, if it is written inline. */
function inlineRegion(call: ts.CallExpression, scope: ModuleScope): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const fn = checkpointRegion(call, scope);
  const f = fn && skipParens(fn);
  return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
}

/** The object whose method a call calls (`xs` in `xs.slice(1)`), if the callee is a property access. */
export function methodReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const c = skipParens(call.expression);
  return ts.isPropertyAccessExpression(c) ? c.expression : undefined;
}

/** `t.item()`: the number in a size-1 tensor, a differentiable conversion like Number(t). */
export function itemReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const c = skipParens(call.expression);
  return call.arguments.length === 0 && ts.isPropertyAccessExpression(c) && c.name.text === 'item' ? c.expression : undefined;
}

const VALUE_OPERATORS = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.CommaToken,
]);

/** The fixpoint: seeds are the differentiated parameters (and, for loop steps, the active outer variables). */
export function analyzeActivity(body: ts.Node, seeds: Iterable<string>, scope: ModuleScope, locals: ReadonlySet<string>): Activity {
  const activity = new Activity(scope, new Set(seeds), locals);
  const assignments = collectAssignments(body, scope);
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of assignments) {
      if (a.targets.every((t) => activity.active.has(t)) || !activity.expr(a.value)) continue;
      for (const t of a.targets) {
        if (!activity.active.has(t)) {
          activity.active.add(t);
          changed = true;
        }
      }
    }
  }
  return activity;
}

function collectAssignments(body: ts.Node, scope: ModuleScope): Assignment[] {
  const out: Assignment[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer) out.push({ targets: bindingNames(n.name), value: n.initializer });
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) out.push({ targets: targetNames(n.left), value: n });
    // checkpoint((a, b) => ...)(x, y) binds a = x and b = y
    if (ts.isCallExpression(n)) {
      const args = n.arguments;
      inlineRegion(n, scope)?.parameters.forEach((p, i) => i < args.length && out.push({ targets: bindingNames(p.name), value: args[i] }));
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

function targetNames(target: ts.Expression): string[] {
  target = skipParens(target);
  if (ts.isIdentifier(target)) return [target.text];
  if (ts.isArrayLiteralExpression(target)) return target.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : targetNames(ts.isSpreadElement(e) ? e.expression : e)));
  if (ts.isObjectLiteralExpression(target)) {
    return target.properties.flatMap((p) => (ts.isShorthandPropertyAssignment(p) ? [p.name.text] : ts.isPropertyAssignment(p) ? targetNames(p.initializer) : []));
  }
  return [];
}
