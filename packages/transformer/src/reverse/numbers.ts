/**
 * Which variables certainly hold numbers, so their adjoints accumulate with `+=` rather
 * than the runtime's tree addition. Conservative: a variable is a number only when every
 * assignment to it (in the function and its loop steps) produces one (arithmetic, Math,
 * another number, a call of a function of this file declared to return `number`), or its
 * parameter is annotated `number`.
 */
import ts from 'typescript';
import type { Op, Stmt, Unit } from '../anf/ir';
import { skipParens } from '../analysis/module';

export function inferNumbers(unit: Unit, numberParams: ReadonlySet<string>, numberArrays: ReadonlySet<string>): Set<string> {
  const assigns = new Map<string, Op[]>();
  const collect = (stmts: readonly Stmt[]): void => {
    for (const st of stmts) {
      if (st.kind === 'assign') assigns.set(st.target, [...(assigns.get(st.target) ?? []), st.op]);
      else if (st.kind === 'if') {
        collect(st.then);
        collect(st.else);
      } else if (st.kind === 'for' || st.kind === 'while') collect(st.body);
      else if (st.kind === 'checkpointed') collect(st.step.body);
      if (st.kind === 'assign' && st.op.kind === 'region' && st.op.unit) collect(st.op.unit.body);
    }
  };
  collect(unit.body);
  const numbers = new Set<string>([...numberParams, ...assigns.keys()]);
  const isNumber = (op: Op): boolean => {
    switch (op.kind) {
      case 'arith':
      case 'neg':
      case 'math':
        return true;
      case 'copy':
        return op.arg.kind === 'lit' || (op.arg.kind === 'var' && numbers.has(op.arg.name));
      case 'get':
        return op.key.kind === 'index' && op.from.kind === 'var' && numberArrays.has(op.from.name);
      case 'call':
        return op.fn.node.type?.kind === ts.SyntaxKind.NumberKeyword;
      case 'opaque': {
        const e = skipParens(op.expr);
        return isNumericExpression(e) || (ts.isIdentifier(e) && numbers.has(e.text));
      }
      default:
        return false;
    }
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, ops] of assigns) {
      if (numbers.has(name) && !ops.every(isNumber)) {
        numbers.delete(name);
        changed = true;
      }
    }
  }
  return numbers;
}

function isNumericExpression(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.MinusToken && isNumericExpression(e.operand);
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    return k === ts.SyntaxKind.AsteriskToken || k === ts.SyntaxKind.SlashToken || k === ts.SyntaxKind.MinusToken || k === ts.SyntaxKind.AsteriskAsteriskToken;
  }
  return false;
}

/** Parameters annotated `number`, and those annotated as arrays of numbers (their elements are numbers). */
export function annotatedNumbers(params: readonly ts.ParameterDeclaration[]): { numbers: Set<string>; arrays: Set<string> } {
  const numbers = new Set<string>();
  const arrays = new Set<string>();
  for (const p of params) {
    if (!ts.isIdentifier(p.name) || !p.type) continue;
    const t = p.type;
    if (t.kind === ts.SyntaxKind.NumberKeyword) numbers.add(p.name.text);
    else if (ts.isArrayTypeNode(t) && t.elementType.kind === ts.SyntaxKind.NumberKeyword) arrays.add(p.name.text);
    else if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && /^Float(32|64)Array$/.test(t.typeName.text)) arrays.add(p.name.text);
  }
  return { numbers, arrays };
}
