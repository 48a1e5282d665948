/**
 * A problem's objective (objective.ts) as one DSL primitive: output spectra (complex128
 * [modes, points]) in, a 0-d float64 Tensor out, with the objective's own adjoint as
 * its VJP. Together with rk4ipStep it writes the solver's gradient path in the DSL.
 */
import { customVjp } from '../../autodiff/custom';
import { mul } from '../../ops/primitives';
import { formatShape, Tensor } from '../../tensor/tensor';
import type { TimeGrid } from '../grid';
import { evaluateObjective } from '../objective';
import type { ObjectiveSpec } from '../problem';

export function objectiveOp(objective: ObjectiveSpec, grid: TimeGrid): (spectra: Tensor) => Tensor {
  const evaluate = customVjp(
    (spectra: Tensor) => {
      const { value, adjoint } = evaluateObjective(objective, spectra._data as Float64Array, grid);
      return [new Tensor(new Float64Array([value]), []), new Tensor(adjoint, spectra.shape, 'complex128')] as const;
    },
    (adjoint: Tensor, valueAdjoint: Tensor) => [mul(adjoint, valueAdjoint)],
    objective.kind,
  );
  return (spectra: Tensor): Tensor => {
    if (!(spectra instanceof Tensor) || spectra.dtype !== 'complex128' || spectra.ndim !== 2 || spectra.shape[1] !== grid.points) {
      const got = spectra instanceof Tensor ? `a ${spectra.dtype} Tensor of shape ${formatShape(spectra.shape)}` : typeof spectra;
      throw new TypeError(`${objective.kind}: expected complex128 spectra of shape [modes, ${grid.points}], got ${got}`);
    }
    return evaluate(spectra);
  };
}
