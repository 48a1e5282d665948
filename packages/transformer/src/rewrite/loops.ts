/**
 * A @checkpoint loop as plain code: the step function over its carried state, its trip
 * count or condition, and its options. The function that contains the loop calls the
 * runtime's checkpointedLoop/checkpointedWhile with them (so the tape can checkpoint it
 * too); compiled gradients hand the same step to the engine next to the generated
 * step adjoint.
 */
import ts from 'typescript';
import type { LoopInfo } from '../analysis/loops';
import { skipParens } from '../analysis/module';
import { readNames } from '../analysis/references';
import * as b from '../emit/build';
import type { LoopParts } from '../reverse/generate';

/** Rewrites nested statements of a step body (nested @checkpoint loops). */
type StatementVisitor = (st: ts.Statement) => ts.Statement;

export function loopParts(visit: StatementVisitor): LoopParts {
  return {
    step: (info, indexParam) => b.arrow([stateParam(info), indexParam], stepBody(info, indexParam, visit)),
    cond: (info, indexParam) => (info.condition ? b.arrow([stateParam(info), indexParam], info.condition) : undefined),
    steps: (info) => tripCount(info),
    options: (info) => loopOptions(info),
  };
}

function stateParam(info: LoopInfo): string | ts.BindingName {
  return info.state.length === 1 ? info.state[0] : b.arrayPattern(info.state);
}

function stateValue(info: LoopInfo): ts.Expression {
  return info.state.length === 1 ? b.id(info.state[0]) : b.array(info.state.map(b.id));
}

function stepBody(info: LoopInfo, indexParam: string, visit: StatementVisitor): ts.Statement[] {
  const out: ts.Statement[] = [];
  if (info.locals.length) out.push(b.declareMany('let', info.locals));
  if (info.index && readNames(info.body).has(info.index.name)) {
    const from = skipParens(info.index.from);
    const value = ts.isNumericLiteral(from) && Number(from.text) === 0 ? b.id(indexParam) : b.binary(info.index.from, ts.SyntaxKind.PlusToken, b.id(indexParam));
    out.push(b.declare('const', info.index.name, value));
  }
  const body = info.body;
  out.push(...(ts.isBlock(body) ? body.statements : [body]).map(visit));
  if (info.incrementor) out.push(b.expr(info.incrementor));
  out.push(b.ret(stateValue(info)));
  return out;
}

/** Iterations of `for (let i = from; i < to; i++)` (or <=), known at loop entry. */
function tripCount(info: LoopInfo): ts.Expression {
  const trip = info.trip!;
  const lit = (e: ts.Expression): number | undefined => (ts.isNumericLiteral(skipParens(e)) ? Number((skipParens(e) as ts.NumericLiteral).text) : undefined);
  const a = lit(trip.from);
  const z = lit(trip.to);
  if (a !== undefined && z !== undefined && Number.isInteger(a) && Number.isInteger(z)) return b.num(Math.max(0, trip.inclusive ? z - a + 1 : z - a));
  const span = a === 0 ? trip.to : b.binary(trip.to, ts.SyntaxKind.MinusToken, trip.from);
  const count = trip.inclusive ? b.binary(b.call('Math.floor', [span]), ts.SyntaxKind.PlusToken, b.num(1)) : b.call('Math.ceil', [span]);
  return b.call('Math.max', [b.num(0), count]);
}

function loopOptions(info: LoopInfo): ts.Expression {
  const o = info.options;
  const entries: [string, ts.Expression][] = [];
  if (o.snapshots !== undefined) entries.push(['snapshots', b.num(o.snapshots)]);
  if (o.schedule !== undefined) entries.push(['schedule', b.str(o.schedule)]);
  if (o.ram !== undefined) entries.push(['ram', b.num(o.ram)]);
  if (o.disk !== undefined) entries.push(['disk', b.num(o.disk)]);
  if (o.verbose) entries.push(['verbose', ts.factory.createTrue()]);
  return b.object(entries);
}

/** The loop statement of the function itself, rewritten into a checkpointedLoop/checkpointedWhile call. */
export function plainLoopCall(info: LoopInfo, runtime: string, indexParam: string, parts: LoopParts): ts.Statement {
  const step = parts.step(info, indexParam);
  const call = info.trip
    ? b.call(`${runtime}.checkpointedLoop`, [step, stateValue(info), parts.steps(info), parts.options(info)])
    : b.call(`${runtime}.checkpointedWhile`, [parts.cond(info, indexParam)!, step, stateValue(info), parts.options(info)]);
  const assign = info.state.length === 1 ? b.assign(info.state[0], call) : b.assignArray(info.state, call);
  if (!info.initializer) return b.mapTo(assign, info.loop);
  const init = ts.isVariableDeclarationList(info.initializer) ? ts.factory.createVariableStatement(undefined, info.initializer) : b.expr(info.initializer);
  return b.mapTo(b.block([init, assign]), info.loop);
}
