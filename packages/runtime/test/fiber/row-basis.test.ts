import test from 'ava';
import { rowBasis } from '@adjoint/runtime/fiber/row-basis';
import { random, randomArray } from './helpers';

/** rows × columns, the product of random rows × rank and rank × columns factors. */
function lowRank(rows: number, columns: number, rank: number, seed: number): Float64Array[] {
  const rand = random(seed);
  const left = Array.from({ length: rows }, () => randomArray(rank, rand));
  const right = Array.from({ length: rank }, () => randomArray(columns, rand));
  return left.map((l) => Float64Array.from({ length: columns }, (_, c) => l.reduce((sum, v, k) => sum + v * right[k][c], 0)));
}

/** max|W − X·W[J]| / max|W|, recomputed here from the basis. */
function reconstructionError(matrix: Float64Array[], rows: Int32Array, coefficients: readonly Float64Array[]): number {
  let largest = 0;
  let error = 0;
  matrix.forEach((row, i) =>
    row.forEach((value, c) => {
      largest = Math.max(largest, Math.abs(value));
      const rebuilt = coefficients[i].reduce((sum, x, k) => sum + x * matrix[rows[k]][c], 0);
      error = Math.max(error, Math.abs(value - rebuilt));
    }),
  );
  return error / largest;
}

test('a rank-3 matrix of 7 rows has a basis of 3 of its rows that rebuilds every row', (t) => {
  const matrix = lowRank(7, 5, 3, 1);
  const basis = rowBasis(matrix, 1e-12);
  t.is(basis.rows.length, 3);
  t.is(new Set(basis.rows).size, 3);
  const error = reconstructionError(matrix, basis.rows, basis.coefficients);
  t.log(`reconstruction error ${error.toExponential(2)}, reported ${basis.residual.toExponential(2)}`);
  t.true(error < 1e-14);
  t.true(Math.abs(basis.residual - error) < 1e-15, 'the residual is the reconstruction error');
  basis.rows.forEach((row, k) =>
    t.deepEqual(
      Array.from(basis.coefficients[row]),
      Array.from({ length: 3 }, (_, j) => (j === k ? 1 : 0)),
      'a basis row is itself',
    ),
  );
});

test('a matrix of full row rank is its own basis', (t) => {
  const rand = random(2);
  const matrix = Array.from({ length: 4 }, () => randomArray(6, rand));
  const basis = rowBasis(matrix, 1e-12);
  t.deepEqual([...basis.rows].sort(), [0, 1, 2, 3]);
  t.is(basis.residual, 0);
});

test('entries below the tolerance are the only ones a basis may lose', (t) => {
  const matrix = lowRank(6, 6, 2, 3);
  const rand = random(4);
  const perturbed = matrix.map((row) => row.map((v) => v + 1e-9 * (2 * rand() - 1)));
  const coarse = rowBasis(perturbed, 1e-6);
  t.is(coarse.rows.length, 2, 'a perturbation below the tolerance is dropped');
  t.true(coarse.residual < 1e-6);
  t.true(coarse.residual > 1e-11, 'the residual reports what was dropped');
  t.is(rowBasis(perturbed, 1e-13).rows.length, 6, 'one above it is kept');
});

test('a zero matrix has an empty basis; ragged rows are refused', (t) => {
  const basis = rowBasis([new Float64Array(3), new Float64Array(3)], 1e-12);
  t.is(basis.rows.length, 0);
  t.deepEqual(
    basis.coefficients.map((x) => x.length),
    [0, 0],
  );
  t.is(basis.residual, 0);
  t.throws(() => rowBasis([new Float64Array(3), new Float64Array(2)], 1e-12), { message: /rowBasis: the rows differ in length/ });
});
