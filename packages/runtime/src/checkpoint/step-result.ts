/**
 * Checks on what user callbacks return, made on every call: a missing return and a
 * state whose structure drifted are caught at the step that caused them, not as
 * garbage many steps (or a reverse sweep) later. Comparing against a structure
 * computed once costs a walk over the tree's containers, not its numbers.
 */
import { findMismatch, Structure, StructureError } from '../tree/structure';

export function checkStepResult(structure: Structure, result: unknown, index: number): void {
  if (result === undefined) throw new TypeError(`the step at loop index ${index} returned undefined; a step must return the next state`);
  const found = findMismatch(structure, result, 'state');
  if (found) throw new StructureError(`the step at loop index ${index} returned a state whose structure differs from the initial state`, found);
}

export function checkAdjointResult(structure: Structure, result: unknown, index: number): void {
  if (result === undefined) {
    throw new TypeError(`the pullback of the step at loop index ${index} returned undefined; it must return the adjoint of the step's input state`);
  }
  const found = findMismatch(structure, result, 'adjoint');
  if (found) throw new StructureError(`the pullback of the step at loop index ${index} returned an adjoint whose structure differs from the state`, found);
}
