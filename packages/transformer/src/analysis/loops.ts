/**
 * Analysis of a @checkpoint loop: its carried state, the values its body only reads,
 * its index and trip count. Shared by the plain rewrite (checkpointedLoop call) and the
 * adjoint generator (engine sweep with a generated step adjoint).
 */
import ts from 'typescript';
import { fail } from '../diagnostics';
import type { CheckpointLoop, CheckpointOptions } from './markers';
import { skipParens } from './module';
import { declaredNames, forEachReference, readNames, writtenNames } from './references';

interface TripCount {
  readonly from: ts.Expression;
  readonly to: ts.Expression;
  readonly inclusive: boolean;
}

export interface LoopInfo {
  readonly loop: CheckpointLoop;
  readonly options: CheckpointOptions;
  /** Variables declared before the loop, assigned in it, and read later or in the next iteration. */
  readonly state: readonly string[];
  /** Variables declared before the loop and assigned in it whose values do not survive an iteration. */
  readonly locals: readonly string[];
  /** Variables of the enclosing function the loop only reads (its parameters). */
  readonly captured: readonly string[];
  /** Canonical counted loop: `for (let i = from; i < to; i++)`, i read-only in the body. */
  readonly index?: { readonly name: string; readonly from: ts.Expression };
  /** Known at loop entry: the offline schedules apply. Absent: online. */
  readonly trip?: TripCount;
  /** Online loops: the condition, evaluated on the state. */
  readonly condition?: ts.Expression;
  /** Non-canonical for: the initializer runs once before, the incrementor ends each step. */
  readonly initializer?: ts.ForInitializer;
  readonly incrementor?: ts.Expression;
  readonly body: ts.Statement;
}

/**
 * @param container the enclosing function body (or the source file)
 * @param outerNames names declared in the container outside nested functions, parameters included
 */
export function analyzeLoop(loop: CheckpointLoop, options: CheckpointOptions, container: ts.Node, outerNames: ReadonlySet<string>): LoopInfo {
  rejectEarlyExits(loop.statement);
  rejectWhatAStepCannotHold(loop);
  const canonical = ts.isForStatement(loop) ? canonicalFor(loop) : undefined;
  const forLoop = ts.isForStatement(loop) ? loop : undefined;
  const initNames = forLoop?.initializer && !canonical ? declaredNames(forLoop.initializer) : new Set<string>();
  const inside = new Set([...declaredNames(loop.statement), ...(canonical ? [canonical.index] : [])]);
  const parts: ts.Node[] = [loop.statement];
  if (forLoop?.incrementor && !canonical) parts.push(forLoop.incrementor);
  const condition = canonical ? undefined : loop.kind === ts.SyntaxKind.WhileStatement ? loop.expression : forLoop?.condition;
  if (condition) parts.push(condition);

  if (condition) for (const name of writtenNames(condition)) fail(findWrite(condition, name) ?? condition, 'conditionWrite', name);
  const written = new Set(parts.flatMap((p) => [...writtenNames(p)]));
  const read = new Set(parts.flatMap((p) => [...readNames(p)]));
  for (const name of written) {
    if (!inside.has(name) && !outerNames.has(name) && !initNames.has(name)) fail(findWrite(loop, name) ?? loop, 'outerWrite', name);
  }
  const exposed = upwardExposed(condition, loop.statement, forLoop?.incrementor && !canonical ? forLoop.incrementor : undefined);
  const live = liveAfter(loop, container);
  const state: string[] = [];
  const locals: string[] = [];
  for (const name of written) {
    if (inside.has(name)) continue;
    if (exposed.has(name) || live.has(name) || initNames.has(name)) state.push(name);
    else locals.push(name);
  }
  for (const name of initNames) if (!state.includes(name)) state.push(name);
  if (state.length === 0) fail(loop, 'noState');
  if (!canonical && options.schedule !== undefined && options.schedule !== 'online') fail(loop, 'scheduleNeedsLength', options.schedule);
  if (!canonical && options.snapshots === undefined) fail(loop, 'onlineNeedsSnapshots');
  const captured = [...read].filter((n) => !inside.has(n) && !state.includes(n) && !locals.includes(n) && outerNames.has(n));
  if (canonical) {
    for (const n of [...readNames(canonical.to), ...readNames(canonical.from)]) if (!captured.includes(n) && outerNames.has(n)) captured.push(n);
  }
  return {
    loop,
    options,
    state,
    locals,
    captured,
    index: canonical && { name: canonical.index, from: canonical.from },
    trip: canonical && { from: canonical.from, to: canonical.to, inclusive: canonical.inclusive },
    condition: canonical ? undefined : condition ?? ts.factory.createTrue(),
    initializer: canonical ? undefined : forLoop?.initializer,
    incrementor: canonical ? undefined : forLoop?.incrementor,
    body: loop.statement,
  };
}

interface CanonicalFor {
  readonly index: string;
  readonly from: ts.Expression;
  readonly to: ts.Expression;
  readonly inclusive: boolean;
}

/** `for (let i = a; i < b; i++)` (or <=, ++i, i += 1, i = i + 1) with i, a and b not written in the body. */
export function canonicalFor(loop: ts.ForStatement): CanonicalFor | undefined {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const decl = init.declarations[0];
  if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  const index = decl.name.text;
  const cond = loop.condition && skipParens(loop.condition);
  if (!cond || !ts.isBinaryExpression(cond)) return undefined;
  let inclusive: boolean;
  let to: ts.Expression;
  const op = cond.operatorToken.kind;
  if (isName(cond.left, index) && (op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken)) {
    inclusive = op === ts.SyntaxKind.LessThanEqualsToken;
    to = cond.right;
  } else if (isName(cond.right, index) && (op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken)) {
    inclusive = op === ts.SyntaxKind.GreaterThanEqualsToken;
    to = cond.left;
  } else return undefined;
  if (!loop.incrementor || !isUnitIncrement(loop.incrementor, index)) return undefined;
  const written = writtenNames(loop.statement);
  if (written.has(index)) return undefined;
  for (const n of [...readNames(decl.initializer), ...readNames(to)]) if (written.has(n) || n === index) return undefined;
  if (hasCall(to) || hasCall(decl.initializer)) return undefined;
  return { index, from: decl.initializer, to, inclusive };
}

function isName(e: ts.Expression, name: string): boolean {
  e = skipParens(e);
  return ts.isIdentifier(e) && e.text === name;
}

function isUnitIncrement(e: ts.Expression, index: string): boolean {
  e = skipParens(e);
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && e.operator === ts.SyntaxKind.PlusPlusToken) return isName(e.operand, index);
  if (!ts.isBinaryExpression(e) || !isName(e.left, index)) return false;
  const one = (x: ts.Expression): boolean => ts.isNumericLiteral(skipParens(x)) && Number((skipParens(x) as ts.NumericLiteral).text) === 1;
  if (e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return one(e.right);
  if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const r = skipParens(e.right);
  return ts.isBinaryExpression(r) && r.operatorToken.kind === ts.SyntaxKind.PlusToken && ((isName(r.left, index) && one(r.right)) || (isName(r.right, index) && one(r.left)));
}

function hasCall(e: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** break, continue and return that would leave a checkpointed step early (nested loops may break out of themselves). */
function rejectEarlyExits(body: ts.Statement): void {
  const visit = (n: ts.Node, loopDepth: number, switchDepth: number): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) fail(n, 'returnInCheckpointedLoop');
    if (ts.isBreakStatement(n) && (n.label || (loopDepth === 0 && switchDepth === 0))) fail(n, 'breakInCheckpointedLoop');
    if (ts.isContinueStatement(n) && (n.label || loopDepth === 0)) fail(n, 'continueInCheckpointedLoop');
    const nestedLoop = ts.isIterationStatement(n, false) ? 1 : 0;
    const nestedSwitch = ts.isSwitchStatement(n) ? 1 : 0;
    ts.forEachChild(n, (c) => visit(c, loopDepth + nestedLoop, switchDepth + nestedSwitch));
  };
  visit(body, 0, 0);
}

/**
 * The loop body becomes a synchronous arrow function that may run again during the reverse
 * sweep: var declarations would no longer reach the code after the loop, await and yield
 * cannot suspend it, and a function created in it must not write variables outside it.
 */
function rejectWhatAStepCannotHold(loop: CheckpointLoop): void {
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) fail(n, 'varInCheckpointedLoop');
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) fail(n, 'suspendInCheckpointedLoop', 'await');
    if (ts.isYieldExpression(n)) fail(n, 'suspendInCheckpointedLoop', 'yield');
    ts.forEachChild(n, visit);
  };
  visit(loop);
  const declared = new Set<string>();
  forEachReference(loop.statement, (r) => r.declaration && declared.add(r.name));
  forEachReference(loop.statement, (r) => {
    if (r.write && !r.declaration && r.depth > 0 && !declared.has(r.name)) fail(r.id, 'closureWrite', r.name);
  });
}

function findWrite(root: ts.Node, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  forEachReference(root, (r) => {
    if (!found && r.write && !r.declaration && r.name === name) found = r.id;
  });
  return found;
}

/**
 * Names read in one iteration before they are definitely assigned in it: their values
 * flow in from the previous iteration (or from before the loop).
 */
function upwardExposed(condition: ts.Expression | undefined, body: ts.Statement, incrementor: ts.Expression | undefined): Set<string> {
  const exposed = new Set<string>();
  const defined = new Set<string>();
  const readsThenWrites = (n: ts.Node, d: Set<string>): void => {
    const writes: string[] = [];
    forEachReference(n, (r) => {
      if (r.read && !d.has(r.name)) exposed.add(r.name);
      if (r.write && r.depth === 0) writes.push(r.name);
    });
    for (const w of writes) d.add(w);
  };
  const stmt = (s: ts.Statement, d: Set<string>): void => {
    if (ts.isBlock(s)) return s.statements.forEach((x) => stmt(x, d));
    if (ts.isIfStatement(s)) {
      readsThenWrites(s.expression, d);
      const a = new Set(d);
      const b = new Set(d);
      stmt(s.thenStatement, a);
      if (s.elseStatement) stmt(s.elseStatement, b);
      for (const n of a) if (b.has(n)) d.add(n);
      return;
    }
    if (ts.isIterationStatement(s, false)) {
      // the body may run zero times: what it assigns is not definite afterwards
      if (ts.isForStatement(s) && s.initializer) readsThenWrites(s.initializer, d);
      const inner = new Set(d);
      if (ts.isForStatement(s) && s.condition) readsThenWrites(s.condition, inner);
      if (ts.isWhileStatement(s) || ts.isDoStatement(s)) readsThenWrites(s.expression, inner);
      stmt(s.statement, inner);
      if (ts.isForStatement(s) && s.incrementor) readsThenWrites(s.incrementor, inner);
      return;
    }
    readsThenWrites(s, d);
  };
  if (condition) readsThenWrites(condition, defined);
  stmt(body, defined);
  if (incrementor) readsThenWrites(incrementor, defined);
  return exposed;
}

/** Names read after the loop ends, or anywhere in a loop that encloses it (the next iteration). */
function liveAfter(loop: ts.Node, container: ts.Node): Set<string> {
  const live = new Set<string>();
  const enclosing: ts.Node[] = [];
  const findPath = (n: ts.Node): boolean => {
    if (n === loop) return true;
    let found = false;
    ts.forEachChild(n, (c) => {
      if (!found && c.pos <= loop.pos && c.end >= loop.end && findPath(c)) found = true;
    });
    if (found && n !== container && ts.isIterationStatement(n, false)) enclosing.push(n);
    return found;
  };
  findPath(container);
  forEachReference(container, (r) => {
    if (r.read && r.id.pos >= loop.end) live.add(r.name);
  });
  for (const outer of enclosing) for (const n of readNames(outer)) live.add(n);
  return live;
}
