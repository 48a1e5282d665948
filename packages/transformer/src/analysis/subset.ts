/**
 * The differentiable subset, checked before any code is generated: every construct the
 * adjoint generator cannot handle is reported with its location and what to write instead.
 * (Expression-level rules that depend on activity, such as `%` on a differentiated value,
 * are reported by the lowering pass.)
 */
import ts from 'typescript';
import { CompileError, diagnose, type RuleName } from '../diagnostics';
import { runtimeName } from './imports';
import { skipParens, type FunctionNode, type ModuleScope } from './module';
import { isAssignmentOperator, writtenNames } from './references';

/** Array and typed-array methods that change the array they are called on. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['fill', 'set', 'sort', 'reverse', 'copyWithin', 'push', 'pop', 'shift', 'unshift', 'splice']);

export function checkSubset(fn: FunctionNode, scope: ModuleScope): CompileError[] {
  const errors: CompileError[] = [];
  const report = (node: ts.Node, name: RuleName, detail = ''): void => {
    errors.push(new CompileError(diagnose(node, name, detail)));
  };
  if (hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) report(fn, 'asyncCode');
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.asteriskToken) report(fn, 'generator');

  /** Block scopes from the function down; a declaration that repeats an enclosing one shadows it. */
  const scopes: Set<string>[] = [];
  const enclosingHas = (name: string): boolean => scopes.slice(0, -1).some((s) => s.has(name));
  const declare = (id: ts.Identifier): void => {
    if (enclosingHas(id.text)) report(id, 'shadowing', id.text);
    scopes[scopes.length - 1].add(id.text);
  };
  const declareBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) return declare(name);
    for (const e of name.elements) if (!ts.isOmittedExpression(e)) declareBinding(e.name);
  };
  const known = (name: string): boolean => scopes.some((s) => s.has(name));

  interface Ctx {
    loops: number;
    checkpointed: boolean;
  }
  const visitFunction = (f: FunctionNode, ctx: Ctx): void => {
    scopes.push(new Set());
    for (const p of f.parameters) {
      if (!ts.isIdentifier(p.name) || p.initializer || p.dotDotDotToken) report(p, 'parameterForm');
      declareBinding(p.name);
    }
    if (f.body) visit(f.body, ctx, true);
    scopes.pop();
  };
  const visit = (node: ts.Node, ctx: Ctx, ownScope = false): void => {
    const opensScope = !ownScope && (ts.isBlock(node) || ts.isForStatement(node));
    if (opensScope) scopes.push(new Set());
    check(node, ctx);
    if (opensScope) scopes.pop();
  };
  const check = (node: ts.Node, ctx: Ctx): void => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
      if (isCheckpointArgument(node, scope)) return visitFunction(node, { loops: 0, checkpointed: false });
      return report(node, ctx.loops > 0 ? 'closureInLoop' : 'nestedFunction');
    }
    if (ts.isClassLike(node)) return report(node, 'classDeclaration');
    if (ts.isGetAccessor(node) || ts.isSetAccessor(node)) return report(node, 'accessor');
    if (ts.isMethodDeclaration(node)) return report(node, ctx.loops > 0 ? 'closureInLoop' : 'nestedFunction');
    if (ts.isTryStatement(node)) return report(node, 'tryCatch');
    if (ts.isAwaitExpression(node)) return report(node, 'asyncCode');
    if (ts.isYieldExpression(node)) return report(node, 'generator');
    if (ts.isDoStatement(node)) return report(node, 'doWhile');
    if (ts.isForInStatement(node) || ts.isForOfStatement(node)) return report(node, 'forInOf');
    if (ts.isSwitchStatement(node)) return report(node, 'unsupportedStatement', 'switch statement');
    if (ts.isLabeledStatement(node)) return report(node, 'unsupportedStatement', 'labeled statement');
    if (node.kind === ts.SyntaxKind.ThisKeyword) return report(node, 'unsupportedExpression', '`this`');
    // arguments[i] aliases a parameter the adjoint would not see through
    if (ts.isIdentifier(node) && node.text === 'arguments' && !known('arguments') && !isPropertyName(node)) return report(node, 'unsupportedExpression', '`arguments`');
    if (ts.isBreakStatement(node) && ctx.loops > 0) return report(node, ctx.checkpointed ? 'breakInCheckpointedLoop' : 'breakInLoop');
    if (ts.isContinueStatement(node) && ctx.loops > 0) return report(node, ctx.checkpointed ? 'continueInCheckpointedLoop' : 'continueInLoop');
    if (ts.isReturnStatement(node) && ctx.loops > 0) report(node, ctx.checkpointed ? 'returnInCheckpointedLoop' : 'returnInLoop');
    if (ts.isVariableDeclaration(node)) declareBinding(node.name);
    if (ts.isCallExpression(node)) {
      const callee = skipParens(node.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' && callee.name.text === 'random') report(node, 'randomness');
    }
    const assigned = ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) ? node.left : isIncrement(node) ? node.operand : undefined;
    if (assigned) {
      checkTarget(assigned);
      // kept as written inside a condition or operand, the write would escape both the adjoint and the values the reverse sweep restores
      if (!inStatementPosition(node)) report(node, 'assignmentInExpression', [...writtenNames(node)][0] ?? assigned.getText());
    }
    if (ts.isIterationStatement(node, false)) {
      const inner = { loops: ctx.loops + 1, checkpointed: ctx.checkpointed || scope.markers.has(node) };
      return ts.forEachChild(node, (c) => visit(c, c === node.statement ? inner : ctx));
    }
    ts.forEachChild(node, (c) => visit(c, ctx));
  };
  const checkTarget = (target: ts.Expression): void => {
    const t = skipParens(target);
    if (ts.isIdentifier(t)) {
      if (!known(t.text)) report(t, 'outerWrite', t.text);
    } else if (ts.isArrayLiteralExpression(t)) {
      for (const e of t.elements) if (!ts.isOmittedExpression(e)) checkTarget(ts.isSpreadElement(e) ? e.expression : e);
    } else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isShorthandPropertyAssignment(p)) checkTarget(p.name);
        else if (ts.isPropertyAssignment(p)) checkTarget(p.initializer);
      }
    } else if (ts.isElementAccessExpression(t) || ts.isPropertyAccessExpression(t)) {
      report(t, 'elementWrite', baseName(t));
    }
  };
  visitFunction(fn, { loops: 0, checkpointed: false });
  return errors;
}

/** `p` in `o.p` or `{ p: v }`: a name, not a variable. */
function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}

function isIncrement(node: ts.Node): node is ts.PrefixUnaryExpression | ts.PostfixUnaryExpression {
  return (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken);
}

function baseName(e: ts.Expression): string {
  e = skipParens(e);
  if (ts.isElementAccessExpression(e) || ts.isPropertyAccessExpression(e)) return baseName(e.expression);
  return ts.isIdentifier(e) ? e.text : 'value';
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === kind)) ?? false;
}

/** `checkpoint(fn)` or `checkpoint(fn)(args)`: fn is a region, not a closure leaking out. */
function isCheckpointArgument(fn: ts.Node, scope: ModuleScope): boolean {
  const parent = fn.parent;
  return !!parent && ts.isCallExpression(parent) && parent.arguments[0] === fn && runtimeName(skipParens(parent.expression), scope.imports) === 'checkpoint';
}

/** An expression statement, or a for loop's initializer or incrementor (through parentheses and commas). */
function inStatementPosition(node: ts.Node): boolean {
  let n = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || (ts.isBinaryExpression(n.parent) && n.parent.operatorToken.kind === ts.SyntaxKind.CommaToken))) n = n.parent;
  const p = n.parent;
  return !!p && (ts.isExpressionStatement(p) || (ts.isForStatement(p) && (p.initializer === n || p.incrementor === n)));
}
