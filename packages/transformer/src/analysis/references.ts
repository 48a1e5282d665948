/**
 * Syntactic name resolution: which identifiers in a subtree are reads, writes or
 * declarations. It walks top-down and never consults parent pointers, so it also works
 * on nodes the compiler synthesizes. Types are skipped: they never hold values.
 */
import ts from 'typescript';

interface Reference {
  readonly id: ts.Identifier;
  readonly name: string;
  readonly read: boolean;
  readonly write: boolean;
  /** A binding introduced here: variable, parameter, function or catch name. */
  readonly declaration: boolean;
  /** Number of function boundaries between the walk's root and this identifier. */
  readonly depth: number;
}

type Visit = (ref: Reference) => void;

export function forEachReference(root: ts.Node, visit: Visit): void {
  walk(root, 0, (r) => void visit(r));
}

function ref(id: ts.Identifier, depth: number, read: boolean, write: boolean, declaration = false): Reference {
  return { id, name: id.text, read, write, declaration, depth };
}

function walk(node: ts.Node, depth: number, visit: Visit): void {
  if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
  if (ts.isIdentifier(node)) {
    visit(ref(node, depth, true, false));
    return;
  }
  if (ts.isPropertyAccessExpression(node)) return walk(node.expression, depth, visit);
  if (ts.isQualifiedName(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
  if (ts.isLabeledStatement(node)) return walk(node.statement, depth, visit);
  if (ts.isBreakOrContinueStatement(node)) return;
  if (ts.isVariableDeclaration(node) || ts.isBindingElement(node)) {
    if (ts.isBindingElement(node) && node.propertyName && ts.isComputedPropertyName(node.propertyName)) walk(node.propertyName, depth, visit);
    declareBinding(node.name, depth, visit);
    if (node.initializer) walk(node.initializer, depth, visit);
    return;
  }
  if (ts.isParameter(node)) {
    declareBinding(node.name, depth, visit);
    if (node.initializer) walk(node.initializer, depth, visit);
    return;
  }
  if (ts.isFunctionLike(node)) {
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) visit(ref(node.name, depth, false, true, true));
    for (const p of node.parameters) walk(p, depth + 1, visit);
    const body = (node as ts.FunctionLikeDeclarationBase).body;
    if (body) walk(body, depth + 1, visit);
    return;
  }
  if (ts.isClassLike(node)) {
    if (node.name) visit(ref(node.name, depth, false, true, true));
    ts.forEachChild(node, (c) => void (c === node.name ? undefined : walk(c, depth + 1, visit)));
    return;
  }
  if (ts.isPropertyAssignment(node)) {
    if (ts.isComputedPropertyName(node.name)) walk(node.name, depth, visit);
    return walk(node.initializer, depth, visit);
  }
  if (ts.isShorthandPropertyAssignment(node)) {
    visit(ref(node.name, depth, true, false));
    if (node.objectAssignmentInitializer) walk(node.objectAssignmentInitializer, depth, visit);
    return;
  }
  if (ts.isCatchClause(node)) {
    if (node.variableDeclaration) declareBinding(node.variableDeclaration.name, depth, visit);
    return walk(node.block, depth, visit);
  }
  if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
    const compound = node.operatorToken.kind !== ts.SyntaxKind.EqualsToken;
    walkTarget(node.left, depth, visit, compound);
    return walk(node.right, depth, visit);
  }
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
    return walkTarget(node.operand, depth, visit, true);
  }
  if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) return walk(node.expression, depth, visit);
  // forEachChild stops at the first truthy callback result: never return one
  ts.forEachChild(node, (c) => void walk(c, depth, visit));
}

function declareBinding(name: ts.BindingName, depth: number, visit: Visit): void {
  if (ts.isIdentifier(name)) return visit(ref(name, depth, false, true, true));
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    walk(element, depth, visit);
  }
}

/** An assignment target: identifiers in it are written (and read too for compound operators). */
function walkTarget(target: ts.Expression, depth: number, visit: Visit, alsoRead: boolean): void {
  if (ts.isIdentifier(target)) return visit(ref(target, depth, alsoRead, true));
  if (ts.isParenthesizedExpression(target) || ts.isNonNullExpression(target) || ts.isAsExpression(target)) return walkTarget(target.expression, depth, visit, alsoRead);
  if (ts.isArrayLiteralExpression(target)) {
    for (const e of target.elements) {
      if (ts.isOmittedExpression(e)) continue;
      walkTarget(ts.isSpreadElement(e) ? e.expression : e, depth, visit, false);
    }
    return;
  }
  if (ts.isObjectLiteralExpression(target)) {
    for (const p of target.properties) {
      if (ts.isShorthandPropertyAssignment(p)) {
        visit(ref(p.name, depth, false, true));
        if (p.objectAssignmentInitializer) walk(p.objectAssignmentInitializer, depth, visit);
      } else if (ts.isPropertyAssignment(p)) walkTarget(p.initializer, depth, visit, false);
      else if (ts.isSpreadAssignment(p)) walkTarget(p.expression, depth, visit, false);
    }
    return;
  }
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    walkTarget(target.left, depth, visit, alsoRead);
    return walk(target.right, depth, visit);
  }
  // element or property writes: the object and index are read
  walk(target, depth, visit);
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Names read in a subtree, nested functions included. */
export function readNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  forEachReference(node, (r) => r.read && out.add(r.name));
  return out;
}

/** Names written (assigned, not declared) in a subtree, nested functions excluded. */
export function writtenNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  forEachReference(node, (r) => r.write && !r.declaration && r.depth === 0 && out.add(r.name));
  return out;
}

/** Names declared in a subtree, nested functions excluded. */
export function declaredNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  forEachReference(node, (r) => r.declaration && r.depth === 0 && out.add(r.name));
  return out;
}

/** Every identifier text in a subtree (for choosing names that cannot collide). */
export function allIdentifiers(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}
