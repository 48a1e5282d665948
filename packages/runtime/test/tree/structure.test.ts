import test from 'ava';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { assertStructure, describeStructure, findMismatch, StructureError, structureOf } from '@adjoint/runtime/tree/structure';

const state = () => ({
  h: new Float64Array(3),
  p: [new Float32Array(2), 1.5],
  u: new Tensor(new Float64Array(12), [3, 2], 'complex128'),
  'odd-key': { t: 0 },
});

test('structure records kinds, sorted keys, lengths, tensor shapes and dtypes', (t) => {
  t.is(
    describeStructure(structureOf(state())),
    '{h: Float64Array(3), odd-key: {t: number}, p: [Float32Array(2), number], u: Tensor<complex128>[3, 2]}',
  );
  t.deepEqual(structureOf({ b: 1, a: 2 }), structureOf({ a: 3, b: 4 }), 'key order does not matter');
});

test('a tree of the same structure conforms, whatever its numbers', (t) => {
  const s = structureOf(state());
  const other = state();
  other.h[0] = 7;
  t.is(findMismatch(s, other), undefined);
});

test('a mismatch names the path and both shapes', (t) => {
  const s = structureOf(state());
  const cases: [(x: ReturnType<typeof state>) => unknown, string, string, string][] = [
    [(x) => ({ ...x, h: new Float64Array(4) }), 'state.h', 'Float64Array(3)', 'Float64Array(4)'],
    [(x) => ({ ...x, h: new Float32Array(3) }), 'state.h', 'Float64Array(3)', 'Float32Array(3)'],
    [(x) => ({ ...x, p: [x.p[0]] }), 'state.p', '[Float32Array(2), number]', '[Float32Array(2)]'],
    [(x) => ({ ...x, p: [x.p[0], undefined] }), 'state.p[1]', 'number', 'undefined'],
    [(x) => ({ ...x, u: new Tensor(new Float64Array(12), [6, 1], 'complex128') }), 'state.u', 'Tensor<complex128>[3, 2]', 'Tensor<complex128>[6, 1]'],
    [(x) => ({ ...x, u: new Tensor(new Float64Array(6), [3, 2], 'float64') }), 'state.u', 'Tensor<complex128>[3, 2]', 'Tensor<float64>[3, 2]'],
    [(x) => ({ ...x, 'odd-key': { s: 0 } }), 'state["odd-key"]', '{t: number}', '{s: number}'],
    [(x) => ({ ...x, 'odd-key': new Map() }), 'state["odd-key"]', '{t: number}', 'Map'],
    [(x) => ({ h: x.h }), 'state', describeStructure(s), '{h: Float64Array(3)}'],
  ];
  for (const [change, path, expected, actual] of cases) {
    t.deepEqual(findMismatch(s, change(state())), { path, expected, actual });
  }
  const e = t.throws(() => assertStructure(s, cases[0][0](state()), 'state', 'step 4'), { instanceOf: StructureError });
  t.is(e!.message, 'step 4: state.h: expected Float64Array(3), got Float64Array(4)');
});

test('values that are not value trees are rejected with their path', (t) => {
  t.throws(() => structureOf({ a: [1, new Int32Array(2)] } as never), { instanceOf: StructureError, message: /^not a value tree: state\.a\[1\]: expected .*, got Int32Array\(2\)$/ });
  t.throws(() => structureOf({ a: null } as never), { message: /state\.a: .* got null/ });
  t.throws(() => structureOf(new Date() as never, 'x'), { message: /^not a value tree: x: .* got Date/ });
  t.throws(() => structureOf(new (class {})() as never, 'x'), { message: /^not a value tree: x: .* got an object of an anonymous class$/ });
});

test('long descriptions are cut', (t) => {
  const big = Array.from({ length: 100 }, () => 1);
  const text = describeStructure(structureOf(big));
  t.is(text.length, 160);
  t.true(text.endsWith('…'));
});
