/**
 * Lowering of a TypeScript function (or loop body, or checkpoint region) to A-normal
 * form: each differentiable operation becomes one assignment to a named temporary;
 * inactive expressions are kept as written.
 */
import ts from 'typescript';
import { checkpointRegion, CONSTANT_MATH, itemReceiver, methodReceiver, type Activity } from '../analysis/activity';
import { analyzeLoop, canonicalFor } from '../analysis/loops';
import { classifyCallee, skipParens, type ModuleScope, type TopLevelFunction } from '../analysis/module';
import { declaredNames, readNames, writtenNames } from '../analysis/references';
import { MUTATING_METHODS } from '../analysis/subset';
import { fail } from '../diagnostics';
import type { Namer } from '../emit/names';
import { MATH_FUNCTIONS } from '../reverse/math';
import { hasDirectRule } from '../reverse/primitives';
import type { ArithOp, Atom, Key, Op, Stmt, Unit } from './ir';

interface LowerContext {
  readonly scope: ModuleScope;
  readonly namer: Namer;
  readonly activity: Activity;
  /** Names declared anywhere in the enclosing top-level function (parameters included). */
  readonly locals: ReadonlySet<string>;
  /** The body of the enclosing top-level function: liveness of @checkpoint loops is computed over it. */
  readonly container: ts.Node;
  /** The loop-index parameter name of generated loop steps. */
  readonly indexName: string;
}

interface UnitSource {
  readonly params: readonly string[];
  readonly activeParams: ReadonlySet<string>;
  /** Statements of the body, or an expression body. */
  readonly body: readonly ts.Statement[] | ts.Expression;
  /** Names bound before the body runs (parameters, loop index): their first assignment is not fresh. */
  readonly bound: readonly string[];
  /** Active outer variables the unit reads. */
  readonly captured: ReadonlySet<string>;
  /** Statements run before the body (e.g. the index binding of a loop step). */
  readonly prelude?: readonly Stmt[];
  /** A unit whose result is a given variable tuple (loop steps), rather than a return statement. */
  readonly resultVars?: readonly string[];
  /** Variables assigned in the body but declared outside it (loop-local values): declared afresh in the unit. */
  readonly locals?: readonly string[];
  /** The statement the unit comes from (a loop, a checkpoint call). */
  readonly origin?: ts.Node;
}

const ARITH: ReadonlyMap<ts.SyntaxKind, ArithOp> = new Map([
  [ts.SyntaxKind.PlusToken, '+'],
  [ts.SyntaxKind.MinusToken, '-'],
  [ts.SyntaxKind.AsteriskToken, '*'],
  [ts.SyntaxKind.SlashToken, '/'],
  [ts.SyntaxKind.AsteriskAsteriskToken, '**'],
]);

const COMPOUND: ReadonlyMap<ts.SyntaxKind, ArithOp> = new Map([
  [ts.SyntaxKind.PlusEqualsToken, '+'],
  [ts.SyntaxKind.MinusEqualsToken, '-'],
  [ts.SyntaxKind.AsteriskEqualsToken, '*'],
  [ts.SyntaxKind.SlashEqualsToken, '/'],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, '**'],
]);

/** Compound assignment operators and the binary operator each applies. */
const COMPOUND_TOKENS: ReadonlyMap<ts.SyntaxKind, ts.BinaryOperator> = new Map<ts.SyntaxKind, ts.BinaryOperator>([
  [ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.PlusToken],
  [ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.MinusToken],
  [ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.AsteriskToken],
  [ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.SlashToken],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, ts.SyntaxKind.AsteriskAsteriskToken],
  [ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.PercentToken],
  [ts.SyntaxKind.BarEqualsToken, ts.SyntaxKind.BarToken],
  [ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.AmpersandToken],
  [ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.CaretToken],
  [ts.SyntaxKind.LessThanLessThanEqualsToken, ts.SyntaxKind.LessThanLessThanToken],
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanToken],
]);

const TEMP_NAMES: Record<ArithOp, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow' };

export function lowerUnit(ctx: LowerContext, src: UnitSource): Unit {
  return new Lowerer(ctx, src).unit();
}

class Lowerer {
  private out: Stmt[] = [];
  private loops = 0;
  private blocks = 0;
  private assigned = new Set<string>();
  private readonly hoisted = new Set<string>();
  private result: Atom | undefined;
  private resultVar: string | undefined;
  /** The statement being lowered: every operation it produces refers to it (comments, source maps). */
  private at: ts.Node | undefined;

  constructor(
    private readonly ctx: LowerContext,
    private readonly src: UnitSource,
  ) {
    for (const b of src.bound) this.assigned.add(b);
    for (const l of src.locals ?? []) this.hoisted.add(l);
  }

  unit(): Unit {
    if (this.src.prelude) this.out.push(...this.src.prelude);
    const body = this.src.body;
    if (Array.isArray(body)) this.tail(body as readonly ts.Statement[]);
    else {
      this.at = body as ts.Expression;
      this.result = this.expr(body as ts.Expression);
    }
    if (this.src.resultVars) {
      const vars = this.src.resultVars;
      if (vars.length === 1) this.result = { kind: 'var', name: vars[0] };
      else {
        const name = this.ctx.namer.temp('state');
        this.assign(name, { kind: 'array', elements: vars.map((v) => ({ kind: 'var', name: v })) }, this.src.origin ?? this.ctx.container, true);
        this.result = { kind: 'var', name };
      }
    }
    const active = new Set([...this.ctx.activity.active].filter((v) => this.src.captured.has(v) || this.isOwn(v)));
    return {
      params: this.src.params,
      activeParams: this.src.activeParams,
      body: this.out,
      result: this.result ?? { kind: 'lit', value: 0 },
      hoisted: this.hoisted,
      active,
      captured: this.src.captured,
    };
  }

  private isOwn(v: string): boolean {
    return this.assigned.has(v) || this.src.params.includes(v);
  }

  // ---- statements -------------------------------------------------------

  /** A statement list in tail position: it may end with return, or with if/else whose branches return. */
  private tail(list: readonly ts.Statement[]): void {
    for (let i = 0; i < list.length; i++) {
      const st = list[i];
      if (ts.isReturnStatement(st)) {
        if (i !== list.length - 1) fail(st, 'earlyReturn');
        this.returns(st);
        return;
      }
      if (ts.isIfStatement(st) && (endsWithReturn(st.thenStatement) || (st.elseStatement && endsWithReturn(st.elseStatement)))) {
        const rest = list.slice(i + 1);
        this.tailIf(st, rest);
        return;
      }
      this.statement(st);
    }
  }

  private tailIf(st: ts.IfStatement, rest: readonly ts.Statement[]): void {
    const branch = (s: ts.Statement | undefined): readonly ts.Statement[] => (s === undefined ? [] : ts.isBlock(s) ? s.statements : [s]);
    const thenList = endsWithReturn(st.thenStatement) ? branch(st.thenStatement) : [...branch(st.thenStatement), ...rest];
    const elseList = st.elseStatement && endsWithReturn(st.elseStatement) ? branch(st.elseStatement) : [...branch(st.elseStatement), ...rest];
    if (!this.resultVar) {
      this.resultVar = this.ctx.namer.temp('result');
      this.hoisted.add(this.resultVar);
      this.ctx.activity.active.add(this.resultVar);
    }
    const cond = this.condition(st.expression, [st.thenStatement, ...(st.elseStatement ? [st.elseStatement] : []), ...rest]);
    const [then, els] = this.branches(
      () => this.tail(thenList),
      () => this.tail(elseList),
    );
    this.out.push({ kind: 'if', cond, then, else: els, origin: st });
    this.result = { kind: 'var', name: this.resultVar };
  }

  private returns(st: ts.ReturnStatement): void {
    this.at = st;
    if (!st.expression) fail(st, 'unsupportedStatement', 'return without a value');
    if (this.resultVar) this.into(this.resultVar, st.expression, st);
    else this.result = this.expr(st.expression);
  }

  /** Lowers the branches of an if: a variable first assigned in a branch is fresh in each branch. */
  private branches(...bodies: (() => void)[]): Stmt[][] {
    const before = this.assigned;
    const after = new Set(before);
    const out = bodies.map((body) => {
      this.assigned = new Set(before);
      const lowered = this.nested(body);
      for (const a of this.assigned) after.add(a);
      return lowered;
    });
    this.assigned = after;
    return out;
  }

  private nested(f: () => void): Stmt[] {
    const saved = this.out;
    this.out = [];
    this.blocks++;
    try {
      f();
      return this.out;
    } finally {
      this.blocks--;
      this.out = saved;
    }
  }

  private statement(st: ts.Statement): void {
    if (!ts.isBlock(st)) this.at = st;
    if (ts.isBlock(st)) return st.statements.forEach((s) => this.statement(s));
    if (ts.isEmptyStatement(st)) return;
    if (ts.isVariableStatement(st)) return this.declarations(st.declarationList, st);
    if (ts.isExpressionStatement(st)) return this.expressionStatement(st);
    if (ts.isIfStatement(st)) return this.ifStatement(st);
    const marker = this.ctx.scope.markers.get(st);
    if (marker && (ts.isForStatement(st) || ts.isWhileStatement(st))) return this.checkpointed(st, marker.options);
    if (ts.isForStatement(st)) return this.forStatement(st);
    if (ts.isWhileStatement(st)) return this.whileLoop(st.expression, st.statement, undefined, st);
    if (ts.isThrowStatement(st)) return void this.out.push({ kind: 'effect', statement: st });
    if (ts.isReturnStatement(st)) fail(st, this.loops > 0 ? 'returnInLoop' : 'earlyReturn');
    fail(st, 'unsupportedStatement', statementKind(st));
  }

  private declarations(list: ts.VariableDeclarationList, origin: ts.Node): void {
    const uninitialized: string[] = [];
    for (const d of list.declarations) {
      if (ts.isIdentifier(d.name)) {
        this.declareName(d.name.text);
        if (d.initializer) this.into(d.name.text, d.initializer, origin, this.blocks === 0 && this.loops === 0);
        else if (this.blocks === 0) uninitialized.push(d.name.text);
      } else {
        if (!d.initializer) fail(d, 'unsupportedStatement', 'destructuring without a value');
        for (const n of bindingNamesOf(d.name)) this.declareName(n);
        this.destructure(d.name, this.materialize(this.expr(d.initializer), d.initializer), origin, this.blocks === 0);
      }
    }
    if (uninitialized.length) this.out.push({ kind: 'declare', names: uninitialized });
  }

  private declareName(name: string): void {
    if (this.blocks > 0) this.hoisted.add(name);
  }

  private expressionStatement(st: ts.ExpressionStatement): void {
    const e = skipParens(st.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipParens(e.left);
      if (ts.isIdentifier(target)) return this.into(target.text, e.right, st);
      if (ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) {
        return this.destructure(target, this.materialize(this.expr(e.right), e.right), st);
      }
      fail(target, 'elementWrite', target.getText());
    }
    if (ts.isBinaryExpression(e) && COMPOUND_TOKENS.has(e.operatorToken.kind)) {
      const target = skipParens(e.left);
      if (!ts.isIdentifier(target)) fail(target, 'elementWrite', target.getText());
      const name = target.text;
      const op = COMPOUND.get(e.operatorToken.kind);
      if (!this.ctx.activity.has(name)) {
        // an inactive update keeps its own operator (% =, |=, ... included) as `name = name op (right)`
        const token = COMPOUND_TOKENS.get(e.operatorToken.kind);
        if (!token) fail(e.operatorToken, 'unsupportedStatement', `${ts.tokenToString(e.operatorToken.kind)} assignment`);
        return this.opaque(name, ts.factory.createBinaryExpression(target, token, ts.factory.createParenthesizedExpression(e.right)), st);
      }
      if (!op) fail(e.operatorToken, 'unsupportedOperator', ts.tokenToString(e.operatorToken.kind) ?? 'operator');
      const right = this.expr(e.right);
      return this.emitOp(name, { kind: 'arith', op, left: v(name), right }, st);
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = skipParens(e.operand);
      if (!ts.isIdentifier(target)) fail(target, 'elementWrite', target.getText());
      const name = target.text;
      const op: ArithOp = e.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-';
      if (!this.ctx.activity.has(name)) {
        const token = op === '+' ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken;
        return this.opaque(name, ts.factory.createBinaryExpression(target, token, ts.factory.createNumericLiteral(1)), st);
      }
      return this.emitOp(name, { kind: 'arith', op, left: v(name), right: { kind: 'lit', value: 1 } }, st);
    }
    if (ts.isCallExpression(e)) {
      this.rejectMutation(e);
      if (e.arguments.some((a) => this.ctx.activity.expr(a)) || this.onDifferentiated(e)) fail(e, 'discardedCall');
      return void this.out.push({ kind: 'effect', statement: st });
    }
    fail(e, 'unsupportedStatement', 'expression statement');
  }

  /** An inactive update of a variable (i++, k += 2): kept as written. */
  private opaque(name: string, e: ts.Expression, origin: ts.Node): void {
    this.assign(name, { kind: 'opaque', expr: e }, origin, false, true);
  }

  private ifStatement(st: ts.IfStatement): void {
    const branches = [st.thenStatement, ...(st.elseStatement ? [st.elseStatement] : [])];
    const cond = this.condition(st.expression, branches);
    const [then, els] = this.branches(
      () => this.statement(st.thenStatement),
      () => st.elseStatement && this.statement(st.elseStatement),
    );
    this.out.push({ kind: 'if', cond, then, else: els, origin: st });
  }

  /**
   * The condition as the reverse sweep will evaluate it: as written when the branches do
   * not change what it reads, else saved in a variable first.
   */
  private condition(cond: ts.Expression, branches: readonly ts.Node[]): ts.Expression {
    const reads = readNames(cond);
    const changed = branches.some((b) => [...writtenNames(b)].some((w) => reads.has(w)));
    if (!changed && isSimple(cond)) return cond;
    const name = this.ctx.namer.temp('cond');
    this.assign(name, { kind: 'opaque', expr: cond }, cond, this.blocks === 0 && this.loops === 0);
    if (this.blocks > 0) this.hoisted.add(name);
    return ts.factory.createIdentifier(name);
  }

  private forStatement(st: ts.ForStatement): void {
    const canonical = canonicalFor(st);
    if (canonical) {
      this.assigned.add(canonical.index);
      const body = this.loop(() => this.statement(st.statement));
      this.out.push({ kind: 'for', index: canonical.index, from: canonical.from, to: canonical.to, inclusive: canonical.inclusive, body, origin: st });
      return;
    }
    if (st.initializer) {
      // hoisted: sibling loops may declare the same index
      this.blocks++;
      if (ts.isVariableDeclarationList(st.initializer)) this.declarations(st.initializer, st.initializer);
      else this.expressionStatement(withParent(ts.factory.createExpressionStatement(st.initializer), st.initializer));
      this.blocks--;
    }
    this.whileLoop(st.condition ?? ts.factory.createTrue(), st.statement, st.incrementor, st);
  }

  private whileLoop(cond: ts.Expression, body: ts.Statement, incrementor: ts.Expression | undefined, origin: ts.Node): void {
    const counter = this.ctx.namer.temp('iterations');
    this.assign(counter, { kind: 'opaque', expr: ts.factory.createNumericLiteral(0) }, origin, this.blocks === 0 && this.loops === 0);
    if (this.blocks > 0) this.hoisted.add(counter);
    const lowered = this.loop(() => {
      this.statement(body);
      if (incrementor) this.expressionStatement(withParent(ts.factory.createExpressionStatement(incrementor), incrementor));
    });
    this.out.push({ kind: 'while', cond, counter, body: lowered, origin });
  }

  private loop(f: () => void): Stmt[] {
    this.loops++;
    try {
      return this.nested(f);
    } finally {
      this.loops--;
    }
  }

  private checkpointed(st: ts.ForStatement | ts.WhileStatement, options: import('../analysis/markers').CheckpointOptions): void {
    const info = analyzeLoop(st, options, this.ctx.container, this.ctx.locals);
    if (info.initializer) {
      this.blocks++;
      if (ts.isVariableDeclarationList(info.initializer)) this.declarations(info.initializer, info.initializer);
      else this.expressionStatement(withParent(ts.factory.createExpressionStatement(info.initializer), info.initializer));
      this.blocks--;
    }
    const { activity } = this.ctx;
    const captured = new Set([...info.captured].filter((n) => activity.has(n)));
    for (const c of this.src.captured) if (readNames(st).has(c)) captured.add(c);
    const stepBody: ts.Statement[] = [ts.isBlock(info.body) ? info.body : ts.factory.createBlock([info.body])];
    if (info.incrementor) stepBody.push(withParent(ts.factory.createExpressionStatement(info.incrementor), info.incrementor));
    const prelude: Stmt[] = [];
    const indexParam = this.ctx.indexName;
    if (info.index && readNames(info.body).has(info.index.name)) {
      const from = skipParens(info.index.from);
      const index = ts.factory.createIdentifier(indexParam);
      const value = ts.isNumericLiteral(from) && Number(from.text) === 0 ? index : ts.factory.createBinaryExpression(info.index.from, ts.SyntaxKind.PlusToken, index);
      prelude.push({ kind: 'assign', target: info.index.name, op: { kind: 'opaque', expr: value }, origin: st, fresh: true, declares: true });
    }
    const step = lowerUnit(this.ctx, {
      params: info.state,
      activeParams: new Set(info.state.filter((s) => activity.has(s))),
      body: stepBody,
      bound: info.state,
      captured,
      prelude,
      resultVars: info.state,
      locals: info.locals,
      origin: st,
    });
    for (const s of info.state) this.assigned.add(s);
    const sweep = this.ctx.namer.temp('sweep');
    if (this.blocks > 0) this.hoisted.add(sweep);
    this.out.push({ kind: 'checkpointed', info, step, indexParam, sweep, fresh: this.blocks === 0 && this.loops === 0, origin: st });
  }

  // ---- assignments ------------------------------------------------------

  /** Lower `name = e`. */
  private into(name: string, e: ts.Expression, origin: ts.Node, declares = false): void {
    if (!this.ctx.activity.has(name) || !this.ctx.activity.expr(e)) {
      const x = skipParens(e);
      const op: Op = ts.isNumericLiteral(x) ? { kind: 'copy', arg: { kind: 'lit', value: Number(x.text) } } : { kind: 'opaque', expr: e };
      return this.assign(name, op, origin, declares);
    }
    const atom = this.expr(e, name, origin, declares);
    if (atom.kind === 'var' && atom.name === name) return;
    this.assign(name, { kind: 'copy', arg: atom }, origin, declares);
  }

  private destructure(pattern: ts.BindingName | ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, source: string, origin: ts.Node, declares = false): void {
    const element = (target: ts.Node, key: Key): void => {
      if (ts.isOmittedExpression(target)) return;
      if (ts.isBindingElement(target)) {
        if (target.initializer || target.dotDotDotToken) fail(target, 'unsupportedStatement', 'default or rest in destructuring');
        return element(target.name, key);
      }
      if (ts.isSpreadElement(target) || ts.isSpreadAssignment(target)) fail(target, 'unsupportedStatement', 'rest element in destructuring');
      const op: Op = { kind: 'get', from: v(source), key };
      if (ts.isIdentifier(target)) return this.emitOp(target.text, this.ctx.activity.has(target.text) ? op : { kind: 'opaque', expr: keyExpr(source, key) }, origin, declares);
      const inner = this.ctx.namer.temp('part');
      if (this.blocks > 0) this.hoisted.add(inner);
      this.emitOp(inner, op, origin, this.blocks === 0 && this.loops === 0);
      this.destructure(target as ts.BindingName, inner, origin, declares);
    };
    if (ts.isArrayBindingPattern(pattern) || ts.isArrayLiteralExpression(pattern)) {
      pattern.elements.forEach((e, i) => element(e, { kind: 'index', index: { kind: 'lit', value: i } }));
    } else if (ts.isObjectBindingPattern(pattern)) {
      for (const e of pattern.elements) {
        const key = e.propertyName ?? e.name;
        if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) fail(e, 'spread');
        element(e, { kind: 'prop', name: key.text });
      }
    } else if (ts.isObjectLiteralExpression(pattern)) {
      for (const p of pattern.properties) {
        if (ts.isShorthandPropertyAssignment(p)) element(p.name, { kind: 'prop', name: p.name.text });
        else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) element(p.initializer, { kind: 'prop', name: p.name.text });
        else fail(p, 'spread');
      }
    } else fail(pattern, 'unsupportedStatement', 'destructuring target');
  }

  /** Assign an op, splitting self-referencing updates (x = x * w) through a temporary. */
  private emitOp(target: string, op: Op, origin: ts.Node, declares = false): void {
    if (readsVar(op, target) && !isAccumulation(op, target)) {
      const t = this.ctx.namer.temp(tempBase(op));
      if (this.blocks > 0) this.hoisted.add(t);
      this.assign(t, op, origin, this.blocks === 0 && this.loops === 0);
      return this.assign(target, { kind: 'copy', arg: v(t) }, origin, declares);
    }
    this.assign(target, op, origin, declares);
  }

  private assign(target: string, op: Op, origin: ts.Node, declares = false, forceStale = false): void {
    const fresh = !forceStale && this.loops === 0 && !this.assigned.has(target);
    this.assigned.add(target);
    // temporaries of differentiated operations are active like the values they come from
    if (op.kind !== 'opaque' && atomsOf(op).some((a) => a.kind === 'var' && this.ctx.activity.has(a.name))) this.ctx.activity.active.add(target);
    this.out.push({ kind: 'assign', target, op, origin, fresh, declares: declares && fresh });
  }

  // ---- expressions ------------------------------------------------------

  /** Lower an expression; with a target, the outermost operation assigns it directly. */
  private expr(e: ts.Expression, target?: string, origin: ts.Node = this.at ?? e, declares = false): Atom {
    e = skipParens(e);
    const { activity } = this.ctx;
    if (!activity.expr(e)) return this.inactive(e, target, origin, declares);
    const put = (base: string, op: Op | ((name: string) => Op)): Atom => {
      const name = target ?? this.temp(base);
      this.emitOp(name, typeof op === 'function' ? op(name) : op, origin, target ? declares : this.blocks === 0 && this.loops === 0);
      return v(name);
    };
    if (ts.isIdentifier(e)) return v(e.text);
    if (ts.isBinaryExpression(e)) {
      const kind = e.operatorToken.kind;
      const op = ARITH.get(kind);
      if (op) {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        return put(TEMP_NAMES[op], { kind: 'arith', op, left, right });
      }
      const text = ts.tokenToString(kind) ?? 'operator';
      if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken) fail(e.operatorToken, 'activeCondition', text);
      if (kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment) fail(e, 'unsupportedExpression', 'assignment inside an expression');
      fail(e.operatorToken, 'unsupportedOperator', text);
    }
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.MinusToken) return put('neg', { kind: 'neg', arg: this.expr(e.operand) });
      if (e.operator === ts.SyntaxKind.PlusToken) return this.expr(e.operand, target, origin, declares);
      fail(e, 'unsupportedOperator', ts.tokenToString(e.operator) ?? 'operator');
    }
    if (ts.isPostfixUnaryExpression(e)) fail(e, 'unsupportedOperator', ts.tokenToString(e.operator) ?? 'operator');
    if (ts.isCallExpression(e)) return this.call(e, put);
    if (ts.isArrayLiteralExpression(e)) {
      const elements = e.elements.map((x) => (ts.isSpreadElement(x) || ts.isOmittedExpression(x) ? fail(x, 'spread') : this.expr(x)));
      return put('tuple', { kind: 'array', elements });
    }
    if (ts.isObjectLiteralExpression(e)) {
      const keys: string[] = [];
      const values: Atom[] = [];
      for (const p of e.properties) {
        if (ts.isShorthandPropertyAssignment(p)) {
          keys.push(p.name.text);
          values.push(v(p.name.text));
        } else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
          keys.push(p.name.text);
          values.push(this.expr(p.initializer));
        } else if (ts.isGetAccessor(p) || ts.isSetAccessor(p)) fail(p, 'accessor');
        else fail(p, 'spread');
      }
      return put('record', { kind: 'object', keys, values });
    }
    if (ts.isElementAccessExpression(e)) {
      if (activity.expr(e.argumentExpression)) fail(e.argumentExpression, 'activeIndex');
      const from = this.expr(e.expression);
      const index = this.inactive(e.argumentExpression, undefined);
      return put(elementBase(e.expression), { kind: 'get', from, key: { kind: 'index', index } });
    }
    if (ts.isPropertyAccessExpression(e)) {
      const from = this.expr(e.expression);
      return put(e.name.text, { kind: 'get', from, key: { kind: 'prop', name: e.name.text } });
    }
    if (ts.isConditionalExpression(e)) {
      const name = target ?? this.temp('choice');
      if (!target) this.hoisted.add(name);
      else if (declares) this.out.push({ kind: 'declare', names: [name] });
      this.ctx.activity.active.add(name);
      const cond = this.condition(e.condition, []);
      const [then, els] = this.branches(
        () => this.into(name, e.whenTrue, origin),
        () => this.into(name, e.whenFalse, origin),
      );
      this.out.push({ kind: 'if', cond, then, else: els, origin });
      return v(name);
    }
    fail(e, 'unsupportedExpression', expressionKind(e));
  }

  private temp(base: string): string {
    const name = this.ctx.namer.temp(base);
    if (this.blocks > 0) this.hoisted.add(name);
    return name;
  }

  private call(e: ts.CallExpression, put: (base: string, op: Op | ((name: string) => Op)) => Atom): Atom {
    const item = itemReceiver(e);
    if (item) return put('value', { kind: 'copy', arg: this.expr(item) });
    const region = checkpointRegion(e, this.ctx.scope);
    if (region) return this.region(e, region, put);
    const callee = classifyCallee(e.expression, this.ctx.scope, this.ctx.locals);
    if (callee.kind === 'unknown' && callee.text === 'Number' && e.arguments.length === 1 && !this.ctx.locals.has('Number')) {
      return put('value', { kind: 'copy', arg: this.expr(e.arguments[0]) });
    }
    const args = (): Atom[] => e.arguments.map((a) => (ts.isSpreadElement(a) ? fail(a, 'spread') : this.expr(a)));
    switch (callee.kind) {
      case 'math':
        if (CONSTANT_MATH.has(callee.name)) break;
        if (!MATH_FUNCTIONS.has(callee.name)) fail(e.expression, 'unsupportedMath', callee.name);
        return put(callee.name, { kind: 'math', fn: callee.name, args: args() });
      case 'primitive': {
        const active = e.arguments.map((a) => this.ctx.activity.expr(a));
        const lowered = args();
        const direct = hasDirectRule(callee.name);
        return put(callee.name, (name) => ({ kind: 'primitive', name: callee.name, callee: e.expression, args: lowered, active, pullback: direct ? undefined : this.pullbackName(name) }));
      }
      case 'function': {
        const active = e.arguments.map((a) => this.ctx.activity.expr(a));
        const lowered = args();
        return put(callee.fn.name, (name) => ({ kind: 'call', fn: callee.fn, args: lowered, active, pullback: this.pullbackName(name) }));
      }
      case 'custom':
        return put(callee.name, (name) => ({ kind: 'custom', name: callee.name, args: args(), pullback: this.pullbackName(name, 'residuals') }));
      case 'runtime':
        fail(e.expression, 'unknownCall', callee.name);
        break;
      case 'unknown':
        this.rejectMutation(e);
        if (this.onDifferentiated(e)) fail(e.expression, 'methodCall', callee.text);
        fail(e.expression, 'unknownCall', callee.text);
    }
    return fail(e, 'unknownCall', 'Math');
  }

  /** A method call on a differentiated value (xs.slice(1)), other than t.item(), the number conversion the subset allows. */
  private onDifferentiated(e: ts.CallExpression): boolean {
    const receiver = methodReceiver(e);
    return !itemReceiver(e) && receiver !== undefined && this.ctx.activity.expr(receiver);
  }

  /** x.fill(0), xs.push(y), ... on a differentiated value would change it behind the adjoint's back. */
  private rejectMutation(e: ts.CallExpression): void {
    const callee = skipParens(e.expression);
    if (this.onDifferentiated(e) && ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text)) fail(callee, 'elementWrite', callee.expression.getText());
  }

  /** checkpoint(fn)(args): fn of this file, or an inline function lowered as its own unit. */
  private region(e: ts.CallExpression, fnExpr: ts.Expression, put: (base: string, op: Op | ((name: string) => Op)) => Atom): Atom {
    const { activity, scope } = this.ctx;
    const active = e.arguments.map((a) => activity.expr(a));
    const args = e.arguments.map((a) => (ts.isSpreadElement(a) ? fail(a, 'spread') : this.expr(a)));
    const f = skipParens(fnExpr);
    if (ts.isIdentifier(f)) {
      const callee = this.ctx.locals.has(f.text) ? undefined : scope.functions.get(f.text);
      if (!callee) fail(f, 'unknownCall', f.text);
      return put(callee.name, (name) => ({ kind: 'region', fn: f, callee, args, active, pullback: this.pullbackName(name, 'rng') }));
    }
    if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) fail(f, 'unknownCall', 'the function given to checkpoint()');
    const params = f.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : fail(p, 'parameterForm')));
    const inner = new Set([...params, ...declaredNames(f.body)]);
    const captured = new Set([...readNames(f.body)].filter((n) => activity.has(n) && !inner.has(n) && (this.src.captured.has(n) || this.isOwn(n))));
    const unit = lowerUnit(this.ctx, {
      params,
      activeParams: new Set(params.filter((p) => activity.has(p))),
      body: ts.isBlock(f.body) ? f.body.statements : f.body,
      bound: params,
      captured,
      origin: e,
    });
    return put('region', (name) => ({ kind: 'region', fn: f, unit, args, active, pullback: this.pullbackName(name, 'rng') }));
  }

  /** The pullback (or residuals) that the forward evaluation producing `value` returns. */
  private pullbackName(value: string, what = 'pullback'): string {
    const name = this.ctx.namer.exact(`${value}_${what}`);
    if (this.blocks > 0) this.hoisted.add(name);
    return name;
  }

  /** An inactive expression: a constant atom when it is simple, else computed once into a variable. */
  private inactive(e: ts.Expression, target: string | undefined, origin: ts.Node = this.at ?? e, declares = false): Atom {
    e = skipParens(e);
    this.rejectActiveIndex(e);
    if (ts.isNumericLiteral(e)) return { kind: 'lit', value: Number(e.text) };
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return { kind: 'lit', value: -Number(e.operand.text) };
    // module-level names keep their original node: module transforms rewrite imported ones
    if (ts.isIdentifier(e) && e.text !== 'undefined' && this.ctx.locals.has(e.text)) return v(e.text);
    if (!target && isSimple(e)) return { kind: 'const', expr: e };
    const name = target ?? this.temp('value');
    this.assign(name, { kind: 'opaque', expr: e }, origin, target ? declares : this.blocks === 0 && this.loops === 0);
    return v(name);
  }

  /** A value read at an index that depends on differentiated inputs would be silently constant: refuse it. */
  private rejectActiveIndex(e: ts.Node): void {
    if (ts.isElementAccessExpression(e) && this.ctx.activity.expr(e.argumentExpression)) fail(e.argumentExpression, 'activeIndex');
    ts.forEachChild(e, (c) => void this.rejectActiveIndex(c));
  }

  private materialize(atom: Atom, e: ts.Expression): string {
    if (atom.kind === 'var') return atom.name;
    const name = this.temp('value');
    this.assign(name, copyOrOpaque(atom, e), e, this.blocks === 0 && this.loops === 0);
    return name;
  }
}

function v(name: string): Atom {
  return { kind: 'var', name };
}

function copyOrOpaque(atom: Atom, e: ts.Expression): Op {
  return atom.kind === 'const' ? { kind: 'opaque', expr: atom.expr } : atom.kind === 'lit' ? { kind: 'copy', arg: atom } : { kind: 'opaque', expr: e };
}

function keyExpr(source: string, key: Key): ts.Expression {
  const from = ts.factory.createIdentifier(source);
  if (key.kind === 'prop') return ts.factory.createPropertyAccessExpression(from, key.name);
  const index = key.index;
  return ts.factory.createElementAccessExpression(from, index.kind === 'lit' ? ts.factory.createNumericLiteral(index.value) : index.kind === 'var' ? ts.factory.createIdentifier(index.name) : index.expr);
}

function atomsOf(op: Op): readonly Atom[] {
  switch (op.kind) {
    case 'arith':
      return [op.left, op.right];
    case 'neg':
    case 'copy':
      return [op.arg];
    case 'math':
    case 'primitive':
    case 'call':
    case 'custom':
    case 'region':
      return op.args;
    case 'array':
      return op.elements;
    case 'object':
      return op.values;
    case 'get':
      return op.key.kind === 'index' ? [op.from, op.key.index] : [op.from];
    case 'opaque':
      return [];
  }
}

function readsVar(op: Op, name: string): boolean {
  if (op.kind === 'opaque') return readNames(op.expr).has(name);
  return atomsOf(op).some((a) => (a.kind === 'var' && a.name === name) || (a.kind === 'const' && readNames(a.expr).has(name)));
}

/** `s = s + e` or `s = s - e`: the adjoint of s passes through unchanged, no temporary needed. */
export function isAccumulation(op: Op, target: string): boolean {
  if (op.kind !== 'arith' || (op.op !== '+' && op.op !== '-')) return false;
  const isT = (a: Atom): boolean => a.kind === 'var' && a.name === target;
  const mentions = (a: Atom): boolean => isT(a) || (a.kind === 'const' && readNames(a.expr).has(target));
  if (isT(op.left) && !mentions(op.right)) return true;
  return op.op === '+' && isT(op.right) && !mentions(op.left);
}

function tempBase(op: Op): string {
  switch (op.kind) {
    case 'arith':
      return TEMP_NAMES[op.op];
    case 'math':
      return op.fn;
    case 'primitive':
      return op.name;
    case 'call':
      return op.fn.name;
    case 'custom':
      return op.name;
    default:
      return op.kind;
  }
}

function elementBase(e: ts.Expression): string {
  e = skipParens(e);
  return ts.isIdentifier(e) ? `${e.text}_i` : 'element';
}

/** Side-effect-free and cheap: safe to evaluate again where it is used. */
function isSimple(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isStringLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isSimple(e.expression);
  if (ts.isElementAccessExpression(e)) return isSimple(e.expression) && isSimple(e.argumentExpression);
  if (ts.isPrefixUnaryExpression(e)) return e.operator !== ts.SyntaxKind.PlusPlusToken && e.operator !== ts.SyntaxKind.MinusMinusToken && isSimple(e.operand);
  if (ts.isBinaryExpression(e)) return !(e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) && isSimple(e.left) && isSimple(e.right);
  if (ts.isConditionalExpression(e)) return isSimple(e.condition) && isSimple(e.whenTrue) && isSimple(e.whenFalse);
  if (ts.isCallExpression(e)) {
    const c = skipParens(e.expression);
    return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'Math' && c.name.text !== 'random' && e.arguments.every(isSimple);
  }
  return false;
}

function endsWithReturn(st: ts.Statement): boolean {
  if (ts.isReturnStatement(st)) return true;
  if (ts.isBlock(st)) return st.statements.length > 0 && endsWithReturn(st.statements[st.statements.length - 1]);
  if (ts.isIfStatement(st)) return endsWithReturn(st.thenStatement) && !!st.elseStatement && endsWithReturn(st.elseStatement);
  return false;
}

function bindingNamesOf(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNamesOf(e.name)));
}

/** Synthesized statements wrapping user expressions keep a parent so diagnostics can locate them. */
function withParent<T extends ts.Node>(node: T, original: ts.Node): T {
  ts.setTextRange(node, original);
  (node as { parent?: ts.Node }).parent = original.parent;
  return node;
}

function statementKind(st: ts.Statement): string {
  return ts.SyntaxKind[st.kind].replace(/Statement$|Declaration$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() + ' statement';
}

function expressionKind(e: ts.Expression): string {
  return ts.SyntaxKind[e.kind].replace(/Expression$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() + ' expression';
}

export type { TopLevelFunction };
