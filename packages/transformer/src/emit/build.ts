/** Small constructors over ts.factory for the generated code, plus comments and source-map ranges. */
import ts from 'typescript';

const f = ts.factory;

export const id = (name: string): ts.Identifier => f.createIdentifier(name);

export function num(value: number): ts.Expression {
  return value < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value)) : f.createNumericLiteral(value);
}

export function str(value: string): ts.StringLiteral {
  return f.createStringLiteral(value, true);
}

/** `a.b.c` from a dotted path. */
export function path(dotted: string): ts.Expression {
  const [head, ...rest] = dotted.split('.');
  return rest.reduce<ts.Expression>((e, p) => f.createPropertyAccessExpression(e, p), id(head));
}

export function call(callee: ts.Expression | string, args: readonly ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(typeof callee === 'string' ? path(callee) : callee, undefined, args);
}

export function binary(left: ts.Expression, op: ts.BinaryOperator, right: ts.Expression): ts.Expression {
  // the factory parenthesizes by precedence, except a unary left operand of ** (a syntax error)
  const l = op === ts.SyntaxKind.AsteriskAsteriskToken && ts.isPrefixUnaryExpression(left) ? f.createParenthesizedExpression(left) : left;
  return f.createBinaryExpression(l, op, right);
}

export function neg(e: ts.Expression): ts.Expression {
  return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, e);
}

export function assign(target: ts.Expression | string, value: ts.Expression, op: ts.AssignmentOperator = ts.SyntaxKind.EqualsToken): ts.ExpressionStatement {
  return f.createExpressionStatement(f.createBinaryExpression(typeof target === 'string' ? id(target) : target, op, value));
}

export function declare(kind: 'const' | 'let', name: string | ts.BindingName, init?: ts.Expression): ts.VariableStatement {
  const flags = kind === 'const' ? ts.NodeFlags.Const : ts.NodeFlags.Let;
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], flags));
}

/** `let a, b = 0, ...` */
export function declareMany(kind: 'const' | 'let', names: readonly string[], init?: () => ts.Expression): ts.VariableStatement {
  const flags = kind === 'const' ? ts.NodeFlags.Const : ts.NodeFlags.Let;
  return f.createVariableStatement(undefined, f.createVariableDeclarationList(names.map((n) => f.createVariableDeclaration(n, undefined, undefined, init?.())), flags));
}

/** `[a, , b]` as a binding pattern; undefined entries are holes. */
export function arrayPattern(names: readonly (string | undefined)[]): ts.ArrayBindingPattern {
  return f.createArrayBindingPattern(names.map((n) => (n === undefined ? f.createOmittedExpression() : f.createBindingElement(undefined, undefined, n))));
}

/** `[a, b] = value` as an assignment (for variables declared elsewhere). */
export function assignArray(names: readonly string[], value: ts.Expression): ts.ExpressionStatement {
  return f.createExpressionStatement(f.createBinaryExpression(f.createArrayLiteralExpression(names.map(id)), ts.SyntaxKind.EqualsToken, value));
}

export function array(elements: readonly ts.Expression[]): ts.ArrayLiteralExpression {
  return f.createArrayLiteralExpression(elements, false);
}

export function object(entries: readonly (readonly [string, ts.Expression])[], multiLine = false): ts.ObjectLiteralExpression {
  return f.createObjectLiteralExpression(
    entries.map(([k, v]) => (ts.isIdentifier(v) && v.text === k ? f.createShorthandPropertyAssignment(k) : f.createPropertyAssignment(/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k), v))),
    multiLine,
  );
}

export function block(statements: readonly ts.Statement[]): ts.Block {
  return f.createBlock(statements, true);
}

export function arrow(params: readonly (string | ts.BindingName)[], body: readonly ts.Statement[] | ts.Expression): ts.ArrowFunction {
  return f.createArrowFunction(
    undefined,
    undefined,
    params.map((p) => f.createParameterDeclaration(undefined, undefined, p)),
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    Array.isArray(body) ? block(body as readonly ts.Statement[]) : (body as ts.Expression),
  );
}

export function ret(e?: ts.Expression): ts.ReturnStatement {
  return f.createReturnStatement(e);
}

export function ifElse(cond: ts.Expression, then: readonly ts.Statement[], els: readonly ts.Statement[]): ts.IfStatement {
  return f.createIfStatement(cond, block(then), els.length ? block(els) : undefined);
}

/** `for (let i = from; i < to; i++)` or, going down, `for (let i = from; i >= to; i--)`. */
export function countedFor(index: string, from: ts.Expression, to: ts.Expression, body: readonly ts.Statement[], down = false, inclusive = false): ts.ForStatement {
  const cmp = down ? ts.SyntaxKind.GreaterThanEqualsToken : inclusive ? ts.SyntaxKind.LessThanEqualsToken : ts.SyntaxKind.LessThanToken;
  const step = down ? ts.SyntaxKind.MinusMinusToken : ts.SyntaxKind.PlusPlusToken;
  return f.createForStatement(
    f.createVariableDeclarationList([f.createVariableDeclaration(index, undefined, undefined, from)], ts.NodeFlags.Let),
    f.createBinaryExpression(id(index), cmp, to),
    f.createPostfixUnaryExpression(id(index), step),
    block(body),
  );
}

export function whileLoop(cond: ts.Expression, body: readonly ts.Statement[]): ts.WhileStatement {
  return f.createWhileStatement(cond, block(body));
}

export function expr(e: ts.Expression): ts.ExpressionStatement {
  return f.createExpressionStatement(e);
}

/** Maps generated code to a place in the user's file (source maps) and keeps it off comment emission of that place. */
export function mapTo<T extends ts.Node>(node: T, origin: ts.Node | undefined): T {
  if (!origin || origin.pos < 0) return node;
  const sf = origin.getSourceFile();
  ts.setSourceMapRange(node, { pos: origin.getStart(sf), end: origin.getEnd() });
  return node;
}

export function comment<T extends ts.Node>(node: T, text: string): T {
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, ` ${text}`, true);
}

/** The first line of a statement's source, for "grad of:" comments. */
export function sourceLine(node: ts.Node): string {
  const sf = node.getSourceFile();
  const text = sf.text.slice(node.getStart(sf), node.getEnd()).split('\n')[0].trim();
  return text.length > 100 ? `${text.slice(0, 97)}...` : text.replace(/;$/, '');
}
