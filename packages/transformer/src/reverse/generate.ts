/**
 * Reverse mode by source transformation of one unit (function, loop step, checkpoint
 * region): a forward sweep that saves, on a stack, the values later statements
 * overwrite and the reverse sweep needs (Tangent's scheme), then `return [value,
 * pullback]`, where the pullback runs the adjoint statements in reverse order, popping
 * the saved values back. @checkpoint loops become engine sweeps whose step adjoint is a
 * unit generated the same way.
 */
import ts from 'typescript';
import type { Assign, Atom, CheckpointedLoop, Op, Stmt, Unit } from '../anf/ir';
import type { LoopInfo } from '../analysis/loops';
import type { TopLevelFunction } from '../analysis/module';
import { readNames } from '../analysis/references';
import * as b from '../emit/build';
import type { Namer } from '../emit/names';
import { hasDirectRule } from './primitives';
import { templateOf, type Template, type TemplateContext } from './templates';

/** How a @checkpoint loop's plain parts are written (shared with the rewrite of the function itself). */
export interface LoopParts {
  step(info: LoopInfo, indexParam: string): ts.Expression;
  cond(info: LoopInfo, indexParam: string): ts.Expression | undefined;
  steps(info: LoopInfo): ts.Expression;
  options(info: LoopInfo): ts.Expression;
}

export interface GenerateContext {
  readonly namer: Namer;
  /** Local name of the runtime support namespace. */
  readonly runtime: string;
  /** Variables (of the whole top-level function) whose values are numbers. */
  readonly numbers: ReadonlySet<string>;
  /** Variables whose adjoints are runtime accumulators (see accumulators.ts). */
  readonly accumulators: ReadonlySet<string>;
  /** Name of the generated VJP of a function of this file for the given active arguments. */
  vjpName(fn: TopLevelFunction, active: readonly boolean[]): string;
  /** Names of a customVjp primitive's forward and backward. */
  custom(name: string): { readonly forward: ts.Expression; readonly backward: ts.Expression };
  readonly loops: LoopParts;
}

/** What the pullback returns: every parameter's adjoint (functions) or the state's (loop steps). */
type ResultForm = 'params' | 'state';

export function generateVjpBody(unit: Unit, ctx: GenerateContext, form: ResultForm): ts.Statement[] {
  return new Generator(unit, ctx, form).body();
}

class Generator implements TemplateContext {
  private readonly templates = new Map<Assign, Template>();
  /** Statements that save (push) the old value of a variable they overwrite, with those variables. */
  private readonly saves = new Map<Stmt, Set<string>>();
  /** Adjoints accumulated by nested units' pullbacks: declared before the forward sweep. */
  private readonly shared = new Set<string>();
  private readonly assignCount = new Map<string, number>();
  private readonly mutable = new Set<string>();
  private stack: string | undefined;

  constructor(
    private readonly unit: Unit,
    private readonly ctx: GenerateContext,
    private readonly form: ResultForm,
  ) {}

  // ---- TemplateContext ---------------------------------------------------

  isActive(a: Atom): boolean {
    return a.kind === 'var' && this.unit.active.has(a.name);
  }

  value(a: Atom): ts.Expression {
    if (a.kind === 'var') return b.id(a.name);
    if (a.kind === 'lit') return b.num(a.value);
    return a.expr;
  }

  accumulate(name: string, e: ts.Expression, negate = false): ts.Statement {
    const adj = this.adjoint(name);
    if (this.ctx.numbers.has(name)) return b.assign(adj, e, negate ? ts.SyntaxKind.MinusEqualsToken : ts.SyntaxKind.PlusEqualsToken);
    if (this.ctx.accumulators.has(name)) return b.expr(b.call(b.path(`${adj}.add`), [negate ? b.neg(e) : e]));
    return b.assign(adj, b.call(this.runtime('add'), [b.id(adj), negate ? b.neg(e) : e]));
  }

  /** `let b_x = 0, ...` and `const b_W = adjoint.accumulator(), ...` for adjoints that start at zero. */
  private declareAdjoints(names: readonly string[]): ts.Statement[] {
    const sums = names.filter((n) => this.ctx.accumulators.has(n));
    const plain = names.filter((n) => !this.ctx.accumulators.has(n));
    return [
      ...(plain.length ? [b.declareMany('let', plain.map((n) => this.adjoint(n)), () => b.num(0))] : []),
      ...(sums.length ? [b.declareMany('const', sums.map((n) => this.adjoint(n)), () => b.call(this.runtime('accumulator'), []))] : []),
    ];
  }

  adjoint(name: string): string {
    return this.ctx.namer.adjoint(name);
  }

  isAccumulator(name: string): boolean {
    return this.ctx.accumulators.has(name);
  }

  local(base: string): string {
    return this.ctx.namer.exact(base);
  }

  runtime(member: string): ts.Expression {
    return b.path(`${this.ctx.runtime}.${member}`);
  }

  regionVjp(op: Extract<Op, { kind: 'region' }>): { readonly setup: readonly ts.Statement[]; readonly vjp: ts.Expression } {
    if (op.callee) return { setup: [], vjp: b.id(this.ctx.vjpName(op.callee, op.active)) };
    const name = this.local('region_vjp');
    return { setup: [b.declare('const', name, b.arrow(op.unit!.params, generateVjpBody(op.unit!, this.ctx, 'params')))], vjp: b.id(name) };
  }

  customBackward(name: string): ts.Expression {
    return this.ctx.custom(name).backward;
  }

  // ---- analysis -----------------------------------------------------------

  private template(st: Assign): Template {
    let t = this.templates.get(st);
    if (!t) {
      t = this.unit.active.has(st.target) ? templateOf(st, this) : { uses: [], passThrough: false, emit: () => [] };
      this.templates.set(st, t);
    }
    return t;
  }

  /** How many times each variable is assigned, and which adjoints nested units accumulate. */
  private analyze(stmts: readonly Stmt[]): void {
    for (const st of stmts) {
      switch (st.kind) {
        case 'assign':
          this.assignCount.set(st.target, (this.assignCount.get(st.target) ?? 0) + 1);
          break;
        case 'if':
          this.analyze(st.then);
          this.analyze(st.else);
          break;
        case 'for':
          this.analyze(st.body);
          break;
        case 'while':
          this.mutable.add(st.counter);
          this.analyze(st.body);
          break;
        case 'checkpointed':
          for (const c of st.step.captured) if (this.unit.active.has(c)) this.shared.add(c);
          for (const v of st.info.state) this.mutable.add(v);
          break;
        default:
          break;
      }
    }
  }

  /**
   * Which overwritten values the reverse sweep reads: a forward dataflow of the variables
   * whose current value some adjoint statement uses. An assignment saves the old value of
   * its target exactly when that value was used since it was assigned.
   */
  private flow(stmts: readonly Stmt[], used: Set<string>): Set<string> {
    for (const st of stmts) {
      switch (st.kind) {
        case 'assign': {
          const pullback = pullbackOf(st.op);
          const produced = (n: string): boolean => n === st.target || n === pullback;
          const uses = this.template(st).uses;
          for (const u of uses) if (!produced(u)) used.add(u);
          this.decide(st, [st.target, ...(pullback ? [pullback] : [])], used);
          for (const u of uses) if (produced(u)) used.add(u);
          break;
        }
        case 'if': {
          for (const n of readNames(st.cond)) used.add(n);
          const a = this.flow(st.then, new Set(used));
          for (const n of this.flow(st.else, new Set(used))) a.add(n);
          used = a;
          break;
        }
        case 'for':
          for (const n of [...readNames(st.from), ...readNames(st.to)]) used.add(n);
          used = this.loopFlow(st.body, used);
          break;
        case 'while':
          used = this.loopFlow(st.body, used);
          used.add(st.counter);
          break;
        case 'checkpointed':
          for (const c of st.info.captured) used.add(c);
          this.decide(st, [...st.info.state, st.sweep], used);
          used.add(st.sweep);
          break;
        default:
          break;
      }
    }
    return used;
  }

  /** A loop body may run again (values used in one iteration are overwritten in the next) or not at all. */
  private loopFlow(body: readonly Stmt[], used: Set<string>): Set<string> {
    let entry = new Set(used);
    for (;;) {
      const exit = this.flow(body, new Set(entry));
      const merged = new Set([...entry, ...exit]);
      if (merged.size === entry.size) return entry;
      entry = merged;
    }
  }

  /** Records which of `targets` the statement must save, then kills them. */
  private decide(st: Stmt, targets: readonly string[], used: Set<string>): void {
    const saved = new Set(targets.filter((t) => used.has(t)));
    this.saves.set(st, saved);
    for (const t of targets) used.delete(t);
  }

  private saved(st: Stmt, name: string): boolean {
    return this.saves.get(st)?.has(name) ?? false;
  }

  private stackName(): string {
    return (this.stack ??= this.ctx.namer.exact('stack'));
  }

  // ---- assembly -----------------------------------------------------------

  body(): ts.Statement[] {
    this.analyze(this.unit.body);
    this.flow(this.unit.body, new Set());
    const forward = this.forward(this.unit.body);
    const reverse = this.reverse(this.unit.body);
    const out: ts.Statement[] = [];
    const hoisted = [...this.unit.hoisted];
    if (hoisted.length) out.push(b.declareMany('let', hoisted));
    if (this.stack) out.push(b.declare('const', this.stack, b.array([])));
    const shared = [...this.shared].filter((n) => !this.unit.captured.has(n));
    out.push(...this.declareAdjoints(shared));
    out.push(...forward);
    out.push(b.ret(b.array([this.value(this.unit.result), this.pullback(reverse, shared)])));
    return out;
  }

  private pullback(reverse: ts.Statement[], shared: readonly string[]): ts.ArrowFunction {
    const result = this.unit.result;
    const own = [...this.unit.active].filter((n) => !this.unit.captured.has(n) && !shared.includes(n));
    let param: string;
    const prologue: ts.Statement[] = [];
    if (result.kind === 'var' && this.unit.active.has(result.name) && own.includes(result.name)) {
      param = this.adjoint(result.name);
    } else {
      param = this.ctx.namer.exact('b_result');
      if (result.kind === 'var' && this.unit.active.has(result.name)) prologue.push(this.accumulate(result.name, b.id(param)));
    }
    const declared = own.filter((n) => n !== (result.kind === 'var' ? result.name : undefined) || param !== this.adjoint(n));
    const decls = this.declareAdjoints(declared);
    const adjointOf = (p: string): ts.Expression => {
      if (!this.unit.active.has(p)) return b.num(0);
      return this.ctx.accumulators.has(p) ? b.call(b.path(`${this.adjoint(p)}.value`), []) : b.id(this.adjoint(p));
    };
    const params = this.unit.params;
    const returned = this.form === 'state' && params.length === 1 ? adjointOf(params[0]) : b.array(params.map(adjointOf));
    return b.arrow([param], [...decls, ...prologue, ...reverse, b.ret(returned)]);
  }

  // ---- forward sweep ----------------------------------------------------

  private forward(stmts: readonly Stmt[]): ts.Statement[] {
    return stmts.flatMap((st) => this.forwardOf(st));
  }

  private forwardOf(st: Stmt): ts.Statement[] {
    switch (st.kind) {
      case 'assign':
        return this.forwardAssign(st);
      case 'if':
        return [b.mapTo(b.ifElse(st.cond, this.forward(st.then), this.forward(st.else)), st.origin)];
      case 'for':
        return [b.mapTo(b.countedFor(st.index, st.from, st.to, this.forward(st.body), false, st.inclusive), st.origin)];
      case 'while': {
        const body = [...this.forward(st.body), b.expr(ts.factory.createPostfixIncrement(b.id(st.counter)))];
        return [b.mapTo(b.whileLoop(st.cond, body), st.origin)];
      }
      case 'checkpointed':
        return this.forwardCheckpointed(st);
      case 'effect':
        return [st.statement];
      case 'declare':
        return [b.declareMany('let', st.names)];
    }
  }

  private forwardAssign(st: Assign): ts.Statement[] {
    const out: ts.Statement[] = [];
    const pullback = pullbackOf(st.op);
    if (this.saved(st, st.target)) out.push(this.push(st.target));
    if (pullback && this.saved(st, pullback)) out.push(this.push(pullback));
    const value = this.forwardValue(st.op);
    const mutable = (this.assignCount.get(st.target) ?? 0) > 1 || this.saved(st, st.target) || this.mutable.has(st.target);
    const kind = mutable ? 'let' : 'const';
    if (pullback) {
      out.push(st.declares ? b.declare(kind, b.arrayPattern([st.target, pullback]), value) : b.assignArray([st.target, pullback], value));
    } else {
      out.push(st.declares ? b.declare(kind, st.target, value) : b.assign(st.target, value));
    }
    return out.map((s) => b.mapTo(s, st.origin));
  }

  private push(name: string): ts.Statement {
    return b.expr(b.call(b.path(`${this.stackName()}.push`), [b.id(name)]));
  }

  private pop(name: string): ts.Statement {
    return b.assign(name, b.call(b.path(`${this.stackName()}.pop`), []));
  }

  private forwardValue(op: Op): ts.Expression {
    const v = (a: Atom): ts.Expression => this.value(a);
    switch (op.kind) {
      case 'arith':
        return b.binary(v(op.left), ARITH_TOKENS[op.op], v(op.right));
      case 'neg':
        return b.neg(v(op.arg));
      case 'math':
        return b.call(`Math.${op.fn}`, op.args.map(v));
      case 'primitive': {
        // the user's own reference to the operation: module transforms still resolve its import
        const callee = op.callee;
        if (hasDirectRule(op.name)) return b.call(callee, op.args.map(v));
        return b.call(this.runtime('tapeVjp'), [callee, b.array(op.args.map(v)), b.array(op.active.map((a) => (a ? ts.factory.createTrue() : ts.factory.createFalse())))]);
      }
      case 'call':
        return b.call(this.ctx.vjpName(op.fn, op.active), op.args.map(v));
      case 'custom':
        return b.call(this.ctx.custom(op.name).forward, op.args.map(v));
      case 'region':
        return b.call(this.runtime('region'), [op.fn, b.array(op.args.map(v))]);
      case 'array':
        return b.array(op.elements.map(v));
      case 'object':
        return b.object(op.keys.map((k, i) => [k, v(op.values[i])] as const));
      case 'get':
        return op.key.kind === 'prop' ? ts.factory.createPropertyAccessExpression(v(op.from), op.key.name) : ts.factory.createElementAccessExpression(v(op.from), v(op.key.index));
      case 'copy':
        return v(op.arg);
      case 'opaque':
        return op.expr;
    }
  }

  private forwardCheckpointed(st: CheckpointedLoop): ts.Statement[] {
    const { info, step, indexParam } = st;
    const parts = this.ctx.loops;
    const state = info.state;
    const stateParam: string | ts.BindingName = state.length === 1 ? state[0] : b.arrayPattern(state);
    const stepVjp = b.arrow([stateParam, indexParam], generateVjpBody(step, this.ctx, 'state'));
    const hooks: [string, ts.Expression][] = [
      ['step', parts.step(info, indexParam)],
      ['stepVjp', stepVjp],
    ];
    const cond = parts.cond(info, indexParam);
    if (cond) hooks.push(['cond', cond]);
    const init = state.length === 1 ? b.id(state[0]) : b.array(state.map(b.id));
    const steps = info.trip ? parts.steps(info) : b.id('undefined');
    const create = b.call(this.runtime('loop'), [b.object(hooks, true), init, steps, parts.options(info)]);
    const out: ts.Statement[] = [];
    if (this.saved(st, st.sweep)) out.push(this.push(st.sweep));
    out.push(st.fresh ? b.declare('const', st.sweep, create) : b.assign(st.sweep, create));
    for (const s of state) if (this.saved(st, s)) out.push(this.push(s));
    const run = b.call(b.path(`${st.sweep}.forward`), []);
    out.push(state.length === 1 ? b.assign(state[0], run) : b.assignArray(state, run));
    return out.map((s) => b.mapTo(s, st.origin));
  }

  // ---- reverse sweep ----------------------------------------------------

  private reverse(stmts: readonly Stmt[]): ts.Statement[] {
    let previous: ts.Node | undefined;
    return [...stmts].reverse().flatMap((st) => {
      const out = this.reverseOf(st);
      const origin = st.kind === 'assign' || st.kind === 'checkpointed' ? st.origin : undefined;
      if (origin && out.length && origin !== previous) b.comment(out[0], `grad of: ${b.sourceLine(origin)}`);
      previous = origin ?? previous;
      return out;
    });
  }

  private reverseOf(st: Stmt): ts.Statement[] {
    switch (st.kind) {
      case 'assign':
        return this.reverseAssign(st);
      case 'if': {
        const then = this.reverse(st.then);
        const els = this.reverse(st.else);
        if (!then.length && !els.length) return [];
        if (!then.length) return [b.mapTo(b.ifElse(ts.factory.createLogicalNot(ts.factory.createParenthesizedExpression(st.cond)), els, []), st.origin)];
        return [b.mapTo(b.ifElse(st.cond, then, els), st.origin)];
      }
      case 'for': {
        const body = this.reverse(st.body);
        if (!body.length) return [];
        return [b.mapTo(b.countedFor(st.index, lastIndex(st.from, st.to, st.inclusive), st.from, body, true), st.origin)];
      }
      case 'while': {
        const body = this.reverse(st.body);
        if (!body.length) return [];
        const i = this.ctx.namer.temp('i');
        return [b.mapTo(b.countedFor(i, b.num(0), b.id(st.counter), body), st.origin)];
      }
      case 'checkpointed':
        return this.reverseCheckpointed(st);
      case 'effect':
      case 'declare':
        return [];
    }
  }

  private reverseAssign(st: Assign): ts.Statement[] {
    const template = this.template(st);
    const out = template.emit();
    const active = this.unit.active.has(st.target);
    if (!st.fresh && active && !template.passThrough) out.push(b.assign(this.adjoint(st.target), b.num(0)));
    const pullback = pullbackOf(st.op);
    if (pullback && this.saved(st, pullback)) out.push(this.pop(pullback));
    if (this.saved(st, st.target)) out.push(this.pop(st.target));
    return out.map((s) => b.mapTo(s, st.origin));
  }

  private reverseCheckpointed(st: CheckpointedLoop): ts.Statement[] {
    const state = st.info.state;
    const adj = state.map((s) => (this.unit.active.has(s) ? this.adjoint(s) : undefined));
    const out: ts.Statement[] = [];
    const arg = state.length === 1 ? (adj[0] ? b.id(adj[0]) : b.num(0)) : b.array(adj.map((a) => (a ? b.id(a) : b.num(0))));
    const back = b.call(b.path(`${st.sweep}.backward`), [arg]);
    if (state.length === 1) out.push(adj[0] ? b.assign(adj[0], back) : b.expr(back));
    else if (adj.some(Boolean)) {
      const last = adj.reduce((m, a, i) => (a ? i : m), -1);
      out.push(ts.factory.createExpressionStatement(ts.factory.createBinaryExpression(b.array(adj.slice(0, last + 1).map((a) => (a ? b.id(a) : ts.factory.createOmittedExpression()))), ts.SyntaxKind.EqualsToken, back)));
    } else out.push(b.expr(back));
    for (const s of [...state].reverse()) if (this.saved(st, s)) out.push(this.pop(s));
    if (this.saved(st, st.sweep)) out.push(this.pop(st.sweep));
    return out.map((s) => b.mapTo(s, st.origin));
  }
}

const ARITH_TOKENS = {
  '+': ts.SyntaxKind.PlusToken,
  '-': ts.SyntaxKind.MinusToken,
  '*': ts.SyntaxKind.AsteriskToken,
  '/': ts.SyntaxKind.SlashToken,
  '**': ts.SyntaxKind.AsteriskAsteriskToken,
} as const;

function pullbackOf(op: Op): string | undefined {
  return op.kind === 'call' || op.kind === 'custom' || op.kind === 'region' || op.kind === 'primitive' ? op.pullback : undefined;
}

/** The last value the index of `for (let i = from; i < to (or <=); i++)` takes. */
function lastIndex(from: ts.Expression, to: ts.Expression, inclusive: boolean): ts.Expression {
  const lit = (e: ts.Expression): number | undefined => (ts.isNumericLiteral(e) ? Number(e.text) : undefined);
  const a = lit(from);
  const z = lit(to);
  if (a !== undefined && z !== undefined && Number.isInteger(a) && Number.isInteger(z)) return b.num(inclusive ? z : z - 1);
  const span = a === 0 ? to : b.binary(to, ts.SyntaxKind.MinusToken, from);
  const count = inclusive ? b.call('Math.floor', [span]) : b.binary(b.call('Math.ceil', [span]), ts.SyntaxKind.MinusToken, b.num(1));
  return a === 0 ? count : b.binary(from, ts.SyntaxKind.PlusToken, count);
}

