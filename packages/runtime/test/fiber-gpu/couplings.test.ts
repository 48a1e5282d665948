import test from 'ava';
import { couplingTables, couplingTerms, packRows } from '@adjoint/runtime/fiber/gpu/couplings';

test('one mode: a single term, a single pair, and the adjoint rows point at it', (t) => {
  const c = couplingTables([1], 1);
  t.deepEqual(c.pairs, [[0, 0]]);
  t.deepEqual([...c.byMode.table], [0, 1, 0, 0, 1]); // row 0 = record 0: (l 0, pair 0, S 1)
  t.deepEqual([...c.byPair.table], [0, 1, 0, 0, 1]);
  t.deepEqual([...c.byFactor.table], [0, 1, 0, 0, 1]);
  // pair (0, 0) reaches mode 0 twice: as m (+1) and as n (−1)
  t.deepEqual([...c.pairsByMode.table], [0, 2, 0, 0, 1, 0, 0, -1]);
});

test('two modes: zeros are dropped and every nonzero term appears once per table', (t) => {
  const S = new Float64Array(16);
  S[0] = 1; // S0000
  S[3] = 0.5; // S0011
  S[15] = 2; // S1111
  const c = couplingTables(S, 2);
  t.is(c.terms.length, 3);
  t.deepEqual(c.pairs, [[0, 0], [1, 1]]);
  t.is(c.byMode.maxCount, 2);
  const rowsOf = (rows: { table: Float64Array; base: number; rows: number }, r: number) => {
    const out: number[][] = [];
    for (let k = rows.table[r]; k < rows.table[r + 1]; k++) out.push([...rows.table.subarray(rows.base + 3 * k, rows.base + 3 * k + 3)]);
    return out;
  };
  t.deepEqual(rowsOf(c.byMode, 0), [[0, 0, 1], [0, 1, 0.5]]); // NL_0 = S0000·A0·Q00 + S0011·A0·Q11
  t.deepEqual(rowsOf(c.byMode, 1), [[1, 1, 2]]);
  t.deepEqual(rowsOf(c.byPair, 1), [[0, 0, 0.5], [1, 1, 2]]);
  t.deepEqual(rowsOf(c.byFactor, 0), [[0, 0, 1], [0, 1, 0.5]]);
});

test('bad overlaps are rejected with the offending key', (t) => {
  t.throws(() => couplingTerms([1, 2, 3], 2), { message: /overlap: expected 16 numbers/ });
  t.throws(() => couplingTerms([NaN], 1), { message: /overlap\[0\]\[0\]\[0\]\[0\]: not a finite number/ });
  t.throws(() => couplingTerms([0], 1), { message: /every coupling is zero/ });
  t.deepEqual(packRows(2, [[], []]).table, Float64Array.from([0, 0, 0]));
});
