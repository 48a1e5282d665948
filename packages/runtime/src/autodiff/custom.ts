/** customVjp: user primitives with hand-written adjoints (fused kernels, solvers). */
import { formatShape, Tensor } from '../tensor/tensor';
import { sameShape } from '../tensor/shape';
import { cast } from '../ops/kernels/operand';
import { childPath } from '../tree/path';
import { mapLeaves } from '../tree/map';
import { isPlainObject } from '../tree/structure';
import type { Leaf, Tree } from '../tree/types';
import { adjointAs, leafTensor, untraced } from './leaves';
import { Accumulate, noteUntracedUse, recordingTape, Tape, watchUntraced, withRecording } from './tape';

/** Visits the tensors of x found through arrays and plain objects. */
function eachTensor(x: unknown, visit: (t: Tensor) => void): void {
  if (x instanceof Tensor) visit(x);
  else if (Array.isArray(x)) x.forEach((v) => eachTensor(v, visit));
  else if (isPlainObject(x)) Object.values(x).forEach((v) => eachTensor(v, visit));
}

/** x with the traces of its tensors removed (arrays and plain objects rebuilt, other values shared). */
function withoutTraces(x: unknown): unknown {
  if (x instanceof Tensor) return untraced(x);
  if (Array.isArray(x)) return x.map(withoutTraces);
  if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, withoutTraces(v)]));
  return x;
}

function holdResiduals(tape: Tape, residuals: unknown): void {
  const visit = (x: unknown): void => {
    if (x instanceof Tensor) tape.hold(x._data);
    else if (x instanceof Float64Array || x instanceof Float32Array) tape.hold(x);
    else if (Array.isArray(x)) x.forEach(visit);
    else if (isPlainObject(x)) Object.values(x).forEach(visit);
  };
  visit(residuals);
}

/** Hands the adjoint of each traced tensor of `input` to acc, checking it mirrors the input. */
function routeAdjoint(name: string, tape: Tape, input: unknown, adjoint: unknown, path: string, acc: Accumulate): void {
  if (adjoint === null || adjoint === undefined) return;
  if (input instanceof Tensor) {
    if (tape.slot(input) < 0) return;
    if (!(adjoint instanceof Tensor) || !sameShape(adjoint.shape, input.shape)) {
      const got = adjoint instanceof Tensor ? `a Tensor of shape ${formatShape(adjoint.shape)}` : typeof adjoint;
      throw new TypeError(`customVjp ${name}: backward returned ${got} as the adjoint of ${path}, a Tensor of shape ${formatShape(input.shape)}`);
    }
    acc(input, cast(adjoint, input.dtype));
  } else if (Array.isArray(input)) {
    if (!Array.isArray(adjoint) || adjoint.length !== input.length) throw new TypeError(`customVjp ${name}: the adjoint of ${path} must be an array of ${input.length} (or null)`);
    input.forEach((v, i) => routeAdjoint(name, tape, v, adjoint[i], childPath(path, i), acc));
  } else if (isPlainObject(input)) {
    if (!isPlainObject(adjoint)) throw new TypeError(`customVjp ${name}: the adjoint of ${path} must be an object with the input's keys (or null)`);
    for (const key of Object.keys(input)) routeAdjoint(name, tape, input[key], adjoint[key], childPath(path, key), acc);
  }
}

/**
 * A differentiable function from a forward evaluation and a hand-written adjoint
 * (fused kernels, solvers): `customVjp(forward, backward, name?)` returns the function.
 *
 * Contract:
 *  - forward(...inputs) → [output, residuals]. It receives the inputs without traces
 *    (their .data is readable) and runs with recording off. Everything it depends on
 *    must be among the inputs: under a trace, reading a traced value from its closure
 *    is an error (that value's gradient would be lost). `output` is a value tree;
 *    `residuals` is anything backward needs (kept only while a trace needs it; the
 *    bytes of tensors and typed arrays in it count as tape memory).
 *  - backward(residuals, adjointOut) → one adjoint per input, in input order. adjointOut
 *    has the structure of the output (zeros where nothing flowed back). An input's adjoint
 *    mirrors that input: a Tensor of the same shape for each Tensor leaf, found in arrays
 *    and plain objects; null/undefined for "zero" (for a whole input or any part of it).
 *    Other values among the inputs (numbers, strings, options) get no adjoint.
 *  - Outside a trace, or when no input is traced, the function returns forward's output
 *    as is. Under a trace, every leaf of the output becomes a traced Tensor (a number
 *    leaf a 0-d tensor, a typed array a 1-D tensor) so that its gradient can flow.
 *  - Adjoints follow the table's complex convention (ops/primitives.ts): z̄ = ∂L/∂x + i·∂L/∂y.
 *  - `name` (default forward.name) is what errors about a wrong backward call it.
 */
export function customVjp<A extends unknown[], R extends Tree, Res>(
  forward: (...inputs: A) => readonly [R, Res],
  backward: (residuals: Res, adjointOut: R) => readonly unknown[],
  name: string = forward.name || 'function',
): (...inputs: A) => R {
  if (typeof forward !== 'function' || typeof backward !== 'function') throw new TypeError('customVjp(forward, backward): both must be functions');
  return (...inputs: A): R => {
    const tape = recordingTape();
    let traced = false;
    eachTensor(inputs, (t) => {
      if (tape !== null && tape.slot(t) >= 0) traced = true;
    });
    const plain = withoutTraces(inputs) as A;
    // backward can only return adjoints of the inputs: a traced value forward reads from its
    // closure would silently get no gradient, so under a trace that is an error.
    const [result, readTraced] = tape === null ? [withRecording(null, () => forward(...plain)), false] : watchUntraced(() => forward(...plain));
    if (readTraced) {
      throw new Error(
        `customVjp ${name}: forward read a traced value that is not among its inputs (a closed-over weight?); ` +
          'backward can only return adjoints of the inputs, so its gradient would be lost. Pass it as an input, or stopGradient it if it is a constant.',
      );
    }
    if (!Array.isArray(result) || result.length !== 2) throw new TypeError(`customVjp ${name}: forward must return [output, residuals]`);
    const [out, residuals] = result as readonly [R, Res];
    if (tape === null || !traced) {
      noteUntracedUse(inputs.flatMap((x) => (x instanceof Tensor ? [x] : [])));
      return out;
    }
    eachTensor(inputs, (t) => tape.know(t._data));
    const leaves: Leaf[] = [];
    mapLeaves(out, (leaf) => (leaves.push(leaf), leaf), 'output');
    holdResiduals(tape, residuals);
    const outputs = tape.record(
      leaves.map((leaf) => untraced(leafTensor(leaf))),
      (outIds) => ({
        outIds,
        pull(gOuts, acc) {
          let k = 0;
          const adjointOut = mapLeaves(out, (leaf) => adjointAs(leaf, gOuts[k++]), 'output') as R;
          const adjoints = backward(residuals, adjointOut);
          if (!Array.isArray(adjoints) || adjoints.length !== inputs.length) {
            throw new TypeError(`customVjp ${name}: backward must return an array of ${inputs.length} adjoint${inputs.length === 1 ? '' : 's'} (one per input, null for none)`);
          }
          inputs.forEach((input, i) => routeAdjoint(name, tape, input, adjoints[i], `inputs[${i}]`, acc));
        },
      }),
    );
    let k = 0;
    return mapLeaves(out, () => outputs[k++], 'output') as R;
  };
}
