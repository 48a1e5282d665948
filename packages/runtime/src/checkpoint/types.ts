/**
 * The hook between the checkpointing engine and whoever supplies a step's adjoint:
 * the runtime tape (autodiff/) and compiler-generated adjoint code (@adjoint/transformer)
 * both hand the engine these two functions and nothing else.
 */
import type { Tree } from '../tree/types';

/** Plain evaluation of one loop iteration; `index` is the 0-based loop index. */
export type StepFn<S extends Tree = Tree> = (state: S, index: number) => S;

/**
 * Maps the adjoint of a step's output to the adjoint of its input. Adjoints of
 * values the step only reads (its parameters) are accumulated by the pullback
 * itself, into storage owned by whoever built it: the engine sees states only.
 */
export type Pullback<S extends Tree = Tree> = (adjointOut: S) => S;

/** Taped evaluation of one iteration: its output and the pullback of that evaluation. */
export type StepVjp<S extends Tree = Tree> = (state: S, index: number) => readonly [S, Pullback<S>];
