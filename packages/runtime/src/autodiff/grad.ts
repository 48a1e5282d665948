/**
 * Reverse mode on the tape: grad, valueAndGrad and vjp. Differentiated arguments may
 * be numbers, tensors, typed arrays, or arrays/plain objects of them; gradients come
 * back in the same structure and leaf kinds (a number's gradient is a number).
 *
 * NaN: values and gradients follow IEEE arithmetic, so a NaN input gives NaN results
 * and NaN gradients wherever the derivative formula uses it; nothing throws. Where a
 * rule compares values (relu, maximum, max), a comparison with NaN is false and that
 * branch contributes 0.
 */
import { full } from '../tensor/create';
import { formatShape, Tensor } from '../tensor/tensor';
import { flatten } from '../tree/flatten';
import { mapLeaves } from '../tree/map';
import { assertStructure, StructureError } from '../tree/structure';
import type { Leaf, Tree } from '../tree/types';
import { adjointAs, leafTensor, stopGradient, traceLeaf, untraced } from './leaves';
import { recordingTape, Tape, withRecording } from './tape';

export type Argnums = number | readonly number[];

/** The gradient of f at `args` for each index of argnums: one tree, or a tuple for an array of indices. */
export type GradOf<A extends readonly unknown[], N extends Argnums> = N extends number ? A[N] : { -readonly [I in keyof N]: N[I] extends number ? A[N[I]] : never };

function checkArgnums(where: string, argnums: Argnums, count: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new RangeError(`${where}: argnums ${JSON.stringify(argnums)} is out of range: the function got ${count} argument${count === 1 ? '' : 's'}`);
    }
  }
  if (new Set(list).size !== list.length) throw new RangeError(`${where}: argnums ${JSON.stringify(argnums)} repeats an index`);
  return list;
}

interface TracedArg {
  readonly tree: Tree;
  readonly primals: readonly Leaf[];
  readonly traced: readonly Tensor[];
  readonly rebuild: (leaves: readonly Leaf[]) => Tree;
}

/** Replaces every leaf of args[i] by a leaf of the tape, with errors that name the argument path. */
function traceArg(where: string, tape: Tape, arg: unknown, index: number): TracedArg {
  const primals: Leaf[] = [];
  const traced: Tensor[] = [];
  let tree: Tree;
  try {
    tree = mapLeaves(arg as Tree, (leaf) => {
      if (leaf instanceof Tensor && leaf.traced) {
        throw new Error(
          `${where}: argument ${index} holds a Tensor of shape ${formatShape(leaf.shape)} traced by an enclosing grad: ` +
            'higher-order differentiation is not supported (apply stopGradient to it first if its derivative is not wanted)',
        );
      }
      primals.push(leaf);
      traced.push(traceLeaf(tape, leaf));
      return traced[traced.length - 1];
    }, `args[${index}]`);
  } catch (error) {
    if (error instanceof StructureError) {
      throw new TypeError(
        `${where}: cannot differentiate with respect to ${error.path} (${error.actual}): only numbers, Tensors, ` +
          `Float64Array/Float32Array and arrays/plain objects of them can be differentiated (${where === 'vjp' ? 'vjp differentiates every argument: let f close over the others' : 'leave other arguments out of argnums'})`,
      );
    }
    throw error;
  }
  // mapLeaves visits leaves in a fixed order for a given tree, so a second pass lines up with the first.
  const rebuild = (leaves: readonly Leaf[]) => {
    let i = 0;
    return mapLeaves(arg as Tree, () => leaves[i++]);
  };
  return { tree, primals, traced, rebuild };
}

/** Runs f on traced copies of args[argnums]; the tape is left to the caller to release. */
function trace(where: string, f: (...args: never[]) => unknown, args: readonly unknown[], argnums: readonly number[]) {
  if (typeof f !== 'function') throw new TypeError(`${where}: expected a function to differentiate, got ${typeof f}`);
  const tape = new Tape(recordingTape(), false);
  try {
    const traced = new Map(argnums.map((i) => [i, traceArg(where, tape, args[i], i)]));
    const callArgs = args.map((a, i) => traced.get(i)?.tree ?? a);
    const out = withRecording(tape, () => f(...(callArgs as never[])));
    return { tape, out, traced };
  } catch (error) {
    tape.release();
    throw error;
  }
}

/** The adjoint trees of the traced arguments after a backward pass. */
function collect(arg: TracedArg, adjointOf: (x: Tensor) => Tensor | undefined): Tree {
  return arg.rebuild(arg.traced.map((t, i) => adjointAs(arg.primals[i], adjointOf(t))));
}

function scalarOutput(where: string, out: unknown): Tensor | number {
  if (typeof out === 'number') return out;
  if (out instanceof Tensor && out.size === 1 && !out.isComplex) return out;
  const what = out instanceof Tensor ? `a ${out.dtype} Tensor of shape ${formatShape(out.shape)}` : out === null ? 'null' : typeof out;
  throw new TypeError(`${where}: the function must return a real scalar (a number or a Tensor of size 1) to be differentiated, got ${what}; use vjp for other outputs`);
}

/**
 * valueAndGrad(f, argnums = 0)(...args) → [f(...args), gradient]. f must return a number
 * or a real tensor of size 1; the value comes back without its trace.
 */
export function valueAndGrad<A extends unknown[], R extends number | Tensor, const N extends Argnums = 0>(
  f: (...args: A) => R,
  argnums?: N,
): (...args: A) => [R, GradOf<A, N>] {
  return (...args: A) => {
    const where = 'grad';
    const nums = checkArgnums(where, argnums ?? 0, args.length);
    const { tape, out, traced } = trace(where, f as (...a: never[]) => unknown, args, nums);
    try {
      const y = scalarOutput(where, out);
      const adjointOf = typeof y === 'number' ? () => undefined : tape.backward([[y, full(y.shape, 1, y.dtype)]]);
      const grads = nums.map((i) => collect(traced.get(i)!, adjointOf));
      const value = (typeof y === 'number' ? y : untraced(y)) as R;
      return [value, (typeof argnums === 'object' ? grads : grads[0]) as GradOf<A, N>];
    } finally {
      tape.release();
    }
  };
}

/** grad(f, argnums = 0)(...args): the gradient of a real scalar function, shaped like the arguments. */
export function grad<A extends unknown[], const N extends Argnums = 0>(f: (...args: A) => number | Tensor, argnums?: N): (...args: A) => GradOf<A, N> {
  const both = valueAndGrad(f, argnums);
  return (...args: A) => both(...args)[1];
}

const unreleased = new FinalizationRegistry<Tape>((tape) => tape.release());

/**
 * vjp(f, ...args) → [f(...args), pullback]: pullback(adjoint of the output, same structure)
 * returns the adjoints of all arguments as an array. The pullback runs once (it frees
 * the tape, like PyTorch's backward without retain_graph); call vjp again to pull twice.
 */
export function vjp<A extends unknown[], R extends Tree>(f: (...args: A) => R, ...args: A): [R, (adjointOut: R) => A] {
  const where = 'vjp';
  const { tape, out, traced } = trace(where, f as (...a: never[]) => unknown, args, args.map((_, i) => i));
  let flat;
  try {
    flat = flatten(out as Tree, 'output');
  } catch (error) {
    tape.release();
    throw error instanceof StructureError ? new TypeError(`${where}: the function's result is not a value tree: ${error.message}`) : error;
  }
  const outputs = flat.leaves;
  let used = false;
  const pullback = (adjointOut: R): A => {
    if (used) throw new Error('vjp: this pullback was already called (it frees its tape); call vjp again for another pullback');
    used = true;
    unreleased.unregister(pullback);
    try {
      assertStructure(flat.structure, adjointOut, 'adjoint', 'vjp: the adjoint must have the structure of the output');
      const seeds = flatten(adjointOut as Tree, 'adjoint').leaves.map((g, i) => {
        if (g instanceof Tensor && g.traced && recordingTape() !== null) {
          throw new Error('vjp: the adjoint passed to the pullback is traced by an enclosing grad: higher-order differentiation is not supported');
        }
        return [outputs[i], leafTensor(untraced(g))] as const;
      });
      const tracedSeeds = seeds.filter(([y]) => y instanceof Tensor && tape.slot(y) >= 0) as [Tensor, Tensor][];
      const adjointOf = tape.backward(tracedSeeds);
      return args.map((_, i) => collect(traced.get(i)!, adjointOf)) as A;
    } finally {
      tape.release();
    }
  };
  unreleased.register(pullback, tape, pullback);
  return [stopGradient(out as Tree) as R, pullback];
}
