/**
 * The A-normal form the adjoint generator works on: one operation per assignment, every
 * operand a variable or a constant. Inactive computations (conditions, index arithmetic)
 * stay TypeScript expressions and run as written.
 */
import type ts from 'typescript';
import type { LoopInfo } from '../analysis/loops';
import type { TopLevelFunction } from '../analysis/module';

export type Atom =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'lit'; readonly value: number }
  /** An inactive, side-effect-free expression, evaluated where it is used. */
  | { readonly kind: 'const'; readonly expr: ts.Expression };

export type ArithOp = '+' | '-' | '*' | '/' | '**';

export type Key = { readonly kind: 'index'; readonly index: Atom } | { readonly kind: 'prop'; readonly name: string };

export type Op =
  | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: Atom; readonly right: Atom }
  | { readonly kind: 'neg'; readonly arg: Atom }
  | { readonly kind: 'math'; readonly fn: string; readonly args: readonly Atom[] }
  /**
   * A DSL operation of @adjoint/runtime; `callee` is the user's expression naming it. Without
   * a direct VJP rule the call is taped and `pullback` names the pullback it returns.
   */
  | { readonly kind: 'primitive'; readonly name: string; readonly callee: ts.Expression; readonly args: readonly Atom[]; readonly active: readonly boolean[]; readonly pullback?: string }
  /** A function of this file, differentiated with respect to its active arguments. */
  | { readonly kind: 'call'; readonly fn: TopLevelFunction; readonly args: readonly Atom[]; readonly active: readonly boolean[]; readonly pullback: string }
  /** A customVjp primitive defined in this file. */
  | { readonly kind: 'custom'; readonly name: string; readonly args: readonly Atom[]; readonly pullback: string }
  /**
   * checkpoint(fn)(args): fn runs plainly; the reverse sweep runs its VJP again from the
   * saved arguments and RNG state (`pullback` names that saved state). fn is a function of
   * this file (`callee`) or an inline function (`unit`).
   */
  | {
      readonly kind: 'region';
      readonly fn: ts.Expression;
      readonly callee?: TopLevelFunction;
      readonly unit?: Unit;
      readonly args: readonly Atom[];
      readonly active: readonly boolean[];
      readonly pullback: string;
    }
  | { readonly kind: 'array'; readonly elements: readonly Atom[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly Atom[] }
  | { readonly kind: 'get'; readonly from: Atom; readonly key: Key }
  | { readonly kind: 'copy'; readonly arg: Atom }
  /** An inactive computation, kept as written. */
  | { readonly kind: 'opaque'; readonly expr: ts.Expression };

export interface Assign {
  readonly kind: 'assign';
  readonly target: string;
  readonly op: Op;
  readonly origin: ts.Node;
  /** First assignment of the target in its unit, outside loops: nothing to save or reset. */
  readonly fresh: boolean;
  /** Declares the target in place (top level of the unit); otherwise the target is hoisted or a parameter. */
  readonly declares: boolean;
}

interface If {
  readonly kind: 'if';
  readonly cond: ts.Expression;
  readonly then: readonly Stmt[];
  readonly else: readonly Stmt[];
  readonly origin: ts.Node;
}

/** `for (let index = from; index < to; index++)` with index, from and to read-only in the body. */
interface CountedLoop {
  readonly kind: 'for';
  readonly index: string;
  readonly from: ts.Expression;
  readonly to: ts.Expression;
  readonly inclusive: boolean;
  readonly body: readonly Stmt[];
  readonly origin: ts.Node;
}

/** Any other loop; `counter` counts its iterations for the reverse sweep. */
interface WhileLoop {
  readonly kind: 'while';
  readonly cond: ts.Expression;
  readonly counter: string;
  readonly body: readonly Stmt[];
  readonly origin: ts.Node;
}

/** A @checkpoint loop: an engine sweep whose step adjoint is the generated `step` unit. */
export interface CheckpointedLoop {
  readonly kind: 'checkpointed';
  readonly info: LoopInfo;
  readonly step: Unit;
  /** The step functions' loop-index parameter. */
  readonly indexParam: string;
  /** The sweep object. */
  readonly sweep: string;
  readonly fresh: boolean;
  readonly origin: ts.Node;
}

/** A plain statement with no differentiable effect (throw, logging), run in the forward sweep only. */
interface Effect {
  readonly kind: 'effect';
  readonly statement: ts.Statement;
}

/** `let a, b;` at the top level of a unit. */
interface Declare {
  readonly kind: 'declare';
  readonly names: readonly string[];
}

export type Stmt = Assign | If | CountedLoop | WhileLoop | CheckpointedLoop | Effect | Declare;

/** A function-like piece of code to differentiate: a function, a loop step, a checkpoint region. */
export interface Unit {
  readonly params: readonly string[];
  /** Parameters whose adjoints are wanted. */
  readonly activeParams: ReadonlySet<string>;
  readonly body: readonly Stmt[];
  readonly result: Atom;
  /** Variables declared in nested blocks: declared with let at the top of the generated function. */
  readonly hoisted: ReadonlySet<string>;
  /** Every variable with an adjoint in this unit (its own and the active outer ones it reads). */
  readonly active: ReadonlySet<string>;
  /** Active variables of enclosing units this one reads: their adjoints accumulate there. */
  readonly captured: ReadonlySet<string>;
}
