/**
 * The adjoint of one A-normal-form assignment `t = op(args)`: statements that add the
 * contribution of t's adjoint to the adjoints of the active operands. Arithmetic is
 * written out (one line each); Math functions and DSL primitives call the runtime's VJP
 * tables; calls to differentiated functions and taped DSL calls call the pullback that
 * their forward evaluation returned.
 */
import ts from 'typescript';
import type { Assign, Atom, Op } from '../anf/ir';
import { isAccumulation } from '../anf/lower';
import { readNames } from '../analysis/references';
import * as b from '../emit/build';
import { isNaryMath, readsOutput } from './math';
import { hasDirectRule } from './primitives';

export interface TemplateContext {
  /** Whether an operand has an adjoint. */
  isActive(atom: Atom): boolean;
  /** The primal value of an operand as an expression. */
  value(atom: Atom): ts.Expression;
  /** `b_v += e` or `b_v = adjoint.add(b_v, e)` (negated: -= or add of -e). */
  accumulate(name: string, e: ts.Expression, negate?: boolean): ts.Statement;
  /** The adjoint variable of a primal one. */
  adjoint(name: string): string;
  /** Whether a variable's adjoint is a runtime accumulator (reverse/accumulators.ts). */
  isAccumulator(name: string): boolean;
  /** A fresh name for a local holding one adjoint contribution. */
  local(base: string): string;
  /** `adjoint.<member>`, the runtime support namespace. */
  runtime(member: string): ts.Expression;
  /** The backward function of a customVjp primitive of this file. */
  customBackward(name: string): ts.Expression;
  /** The VJP function of a checkpoint region, and statements that define it (inline regions). */
  regionVjp(op: Extract<Op, { kind: 'region' }>): { readonly setup: readonly ts.Statement[]; readonly vjp: ts.Expression };
}

export interface Template {
  /** Primal variables the adjoint statements read: they must hold this statement's values in the reverse sweep. */
  readonly uses: readonly string[];
  /** Whether the target's adjoint passes through unchanged (s = s + e): it is then not reset. */
  readonly passThrough: boolean;
  emit(): ts.Statement[];
}

export function templateOf(st: Assign, ctx: TemplateContext): Template {
  const { op, target } = st;
  const g = (): ts.Expression => b.id(ctx.adjoint(target));
  const vars = (atoms: readonly Atom[]): string[] => atoms.flatMap(namesIn);
  const t: Atom = { kind: 'var', name: target };
  const active = (a: Atom): boolean => ctx.isActive(a);
  const acc = (a: Atom, e: () => ts.Expression, negate = false): ts.Statement[] => (active(a) && a.kind === 'var' ? [ctx.accumulate(a.name, e(), negate)] : []);
  const none: Template = { uses: [], passThrough: false, emit: () => [] };

  switch (op.kind) {
    case 'arith': {
      const { left: l, right: r } = op;
      if (isAccumulation(op, target)) {
        const other = l.kind === 'var' && l.name === target ? r : l;
        return { uses: [], passThrough: true, emit: () => acc(other, g, op.op === '-') };
      }
      switch (op.op) {
        case '+':
          return { uses: [], passThrough: false, emit: () => [...acc(l, g), ...acc(r, g)] };
        case '-':
          return { uses: [], passThrough: false, emit: () => [...acc(l, g), ...acc(r, g, true)] };
        case '*':
          return {
            uses: vars([...(active(l) ? [r] : []), ...(active(r) ? [l] : [])]),
            passThrough: false,
            emit: () => [...acc(l, () => b.binary(g(), ts.SyntaxKind.AsteriskToken, ctx.value(r))), ...acc(r, () => b.binary(g(), ts.SyntaxKind.AsteriskToken, ctx.value(l)))],
          };
        case '/':
          return {
            uses: vars([r, ...(active(r) ? [t] : [])]),
            passThrough: false,
            emit: () => [
              ...acc(l, () => b.binary(g(), ts.SyntaxKind.SlashToken, ctx.value(r))),
              ...acc(r, () => b.binary(b.binary(g(), ts.SyntaxKind.AsteriskToken, ctx.value(t)), ts.SyntaxKind.SlashToken, ctx.value(r)), true),
            ],
          };
        case '**':
          return naryCall([l, r], ctx, target, (args) => b.call(ctx.runtime('math.pow'), [g(), ctx.value(t), ...args]));
      }
      break;
    }
    case 'neg':
      return { uses: [], passThrough: false, emit: () => acc(op.arg, g, true) };
    case 'copy':
      return { uses: [], passThrough: false, emit: () => acc(op.arg, g) };
    case 'math': {
      if (isNaryMath(op.fn)) return naryCall(op.args, ctx, target, (args) => b.call(ctx.runtime(`math.${op.fn}`), [g(), ctx.value(t), ...args]));
      const [x] = op.args;
      const read = readsOutput(op.fn) ? t : x;
      return {
        uses: vars([read]),
        passThrough: false,
        emit: () => acc(x, () => b.call(ctx.runtime(`math.${op.fn}`), [g(), ctx.value(read)])),
      };
    }
    case 'primitive': {
      if (!hasDirectRule(op.name)) return pullbackCall(op.args, ctx, st, g);
      const needs = op.args.map(active);
      const right = op.args[1];
      if (op.name === 'matmul' && right?.kind === 'var' && needs[1] && ctx.isAccumulator(right.name)) {
        // a weight read in every step: its gradient goes straight into its accumulator
        const leftPart = needs[0] ? naryCall(op.args, ctx, target, (args) => b.call(ctx.runtime('rules.matmul'), [g(), b.array(args), ctx.value(t), b.array([ts.factory.createTrue(), ts.factory.createFalse()])]), [true, false]) : undefined;
        return {
          uses: [...op.args, t].flatMap(namesIn),
          passThrough: false,
          emit: () => [
            ...(leftPart?.emit() ?? []),
            b.expr(b.call(ctx.runtime('addMatmulAdjoint'), [b.id(ctx.adjoint(right.name)), g(), b.array(op.args.map((a) => ctx.value(a))), ctx.value(t)])),
          ],
        };
      }
      const extra = needs.every(Boolean) ? [] : [b.array(needs.map((n) => (n ? ts.factory.createTrue() : ts.factory.createFalse())))];
      return naryCall(op.args, ctx, target, (args) => b.call(ctx.runtime(`rules.${op.name}`), [g(), b.array(args), ctx.value(t), ...extra]));
    }
    case 'call':
      return pullbackCall(op.args, ctx, st, g);
    case 'region': {
      // run the region's VJP again from its saved arguments and RNG state, then pull back
      const rng = op.pullback;
      return {
        uses: [rng, ...vars(op.args)],
        passThrough: false,
        emit: () => {
          const { setup, vjp } = ctx.regionVjp(op);
          const pullback = ctx.local(`${target}_pullback`);
          const recompute = b.declare('const', b.arrayPattern([undefined, pullback]), b.call(ctx.runtime('replay'), [b.id(rng), b.arrow([], b.call(vjp, op.args.map((a) => ctx.value(a))))]));
          const pull = pullbackCall(op.args, ctx, st, g, () => b.call(b.id(pullback), [g()])).emit();
          return pull.length ? [...setup, recompute, ...pull] : [];
        },
      };
    }
    case 'custom': {
      // backward(residuals, adjoint of the output with zeros where nothing flowed back)
      const residuals = op.pullback;
      const call = (): ts.Expression => b.call(ctx.customBackward(op.name), [b.id(residuals), b.call(ctx.runtime('densify'), [g(), ctx.value(t)])]);
      return { ...pullbackCall(op.args, ctx, st, g, call), uses: [residuals, target] };
    }
    case 'array':
      return { uses: [], passThrough: false, emit: () => op.elements.flatMap((e, i) => acc(e, () => b.call(ctx.runtime('part'), [g(), b.num(i)]))) };
    case 'object':
      return { uses: [], passThrough: false, emit: () => op.values.flatMap((e, i) => acc(e, () => b.call(ctx.runtime('part'), [g(), b.str(op.keys[i])]))) };
    case 'get': {
      const from = op.from;
      if (!active(from) || from.kind !== 'var') return none;
      const keyAtom = op.key.kind === 'index' ? op.key.index : undefined;
      const key = (): ts.Expression => (keyAtom ? ctx.value(keyAtom) : b.str((op.key as { name: string }).name));
      const bFrom = ctx.adjoint(from.name);
      return {
        uses: vars([from, ...(keyAtom ? [keyAtom] : [])]),
        passThrough: false,
        emit: () => [b.assign(bFrom, b.call(ctx.runtime('addAt'), [b.id(bFrom), ctx.value(from), key(), g()]))],
      };
    }
    case 'opaque':
      return none;
  }
  return none;
}

/**
 * `const [d_a, d_b] = <call>; b_a += d_a; ...` for tables returning one adjoint per
 * argument (only for the arguments `wanted` marks, all by default).
 */
function naryCall(args: readonly Atom[], ctx: TemplateContext, target: string, call: (args: ts.Expression[]) => ts.Expression, wanted?: readonly boolean[]): Template {
  const t: Atom = { kind: 'var', name: target };
  return {
    uses: [...args, t].flatMap(namesIn),
    passThrough: false,
    emit: () => {
      const locals = args.map((a, i) => (ctx.isActive(a) && a.kind === 'var' && (wanted?.[i] ?? true) ? ctx.local(`d_${a.name}`) : undefined));
      const last = locals.reduce((m, l, i) => (l ? i : m), -1);
      if (last < 0) return [];
      const pattern = b.arrayPattern(locals.slice(0, last + 1));
      return [
        b.declare('const', pattern, call(args.map((a) => ctx.value(a)))),
        ...args.flatMap((a, i) => (locals[i] && a.kind === 'var' ? [ctx.accumulate(a.name, b.id(locals[i]!))] : [])),
      ];
    },
  };
}

/** Adjoints through the pullback the forward evaluation returned (differentiated calls, taped DSL calls). */
function pullbackCall(args: readonly Atom[], ctx: TemplateContext, st: Assign, g: () => ts.Expression, call?: () => ts.Expression): Template {
  const pullback = (st.op as { pullback: string }).pullback;
  return {
    uses: [pullback],
    passThrough: false,
    emit: () => {
      const locals = args.map((a) => (ctx.isActive(a) && a.kind === 'var' ? ctx.local(`d_${a.name}`) : undefined));
      const last = locals.reduce((m, l, i) => (l ? i : m), -1);
      if (last < 0) return [];
      return [
        b.declare('const', b.arrayPattern(locals.slice(0, last + 1)), call ? call() : b.call(b.id(pullback), [g()])),
        ...args.flatMap((a, i) => (locals[i] && a.kind === 'var' ? [ctx.accumulate(a.name, b.id(locals[i]!))] : [])),
      ];
    },
  };
}

/** Primal variables an operand reads. */
function namesIn(a: Atom): string[] {
  if (a.kind === 'var') return [a.name];
  if (a.kind === 'const') return [...readNames(a.expr)];
  return [];
}

