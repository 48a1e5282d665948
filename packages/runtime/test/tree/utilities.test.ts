import test from 'ava';
import { Tensor } from '@adjoint/runtime/tensor/tensor';
import { flatten, unflatten } from '@adjoint/runtime/tree/flatten';
import { treeBytes } from '@adjoint/runtime/tree/bytes';
import { snapshotCopy } from '@adjoint/runtime/tree/copy';
import { addTrees, mapLeaves, zerosLike, zipLeaves } from '@adjoint/runtime/tree/map';
import { StructureError, structureOf } from '@adjoint/runtime/tree/structure';
import { deserializeTree, serializeTree } from '@adjoint/runtime/tree/serialize';

const tensor = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
const tree = () => ({ b: [1, new Float64Array([2, 3])], a: tensor, c: { d: 4 } });

test('flatten lists leaves depth first with sorted keys; unflatten rebuilds the tree', (t) => {
  const x = tree();
  const { structure, leaves } = flatten(x);
  t.deepEqual(leaves, [tensor, 1, x.b[1], 4]);
  t.deepEqual(unflatten(structure, leaves), x);
  t.throws(() => unflatten(structure, leaves.slice(1)), { instanceOf: StructureError, message: /unflatten: state\.a: expected Tensor<float32>\[2, 2\], got number/ });
  t.throws(() => unflatten(structure, [...leaves, 5]), { message: 'unflatten: the structure has 4 leaves but 5 were given' });
});

test('byte size counts 8 per number and the data of arrays and tensors', (t) => {
  t.is(treeBytes(tree()), 8 + 16 + 16 + 8);
  t.is(treeBytes(new Tensor(new Float64Array(6), [3], 'complex128')), 48);
  t.is(treeBytes([]), 0);
});

test('snapshotCopy copies typed arrays, shares immutable tensors, rebuilds containers', (t) => {
  const x = tree();
  const y = snapshotCopy(x);
  t.deepEqual(y, x);
  t.not(y.b, x.b);
  t.not(y.b[1], x.b[1]);
  t.is(y.a, x.a);
  (x.b[1] as Float64Array)[0] = 99;
  t.is((y.b[1] as Float64Array)[0], 2);
});

test('zerosLike and addTrees build adjoints of the same structure', (t) => {
  const z = zerosLike(tree());
  t.deepEqual(z, { b: [0, new Float64Array(2)], a: new Tensor(new Float32Array(4), [2, 2], 'float32'), c: { d: 0 } });
  const s = addTrees(tree(), tree());
  t.deepEqual(s, { b: [2, new Float64Array([4, 6])], a: new Tensor(new Float32Array([2, 4, 6, 8]), [2, 2]), c: { d: 8 } });
  t.true(s.a.data instanceof Float32Array);
  const complex = new Tensor(new Float64Array([1, 2]), [1], 'complex128');
  t.deepEqual(addTrees(complex, complex).data, new Float64Array([2, 4]));
  t.throws(() => addTrees({ h: new Float64Array(2) }, { h: new Float64Array(3) }), {
    instanceOf: StructureError,
    message: 'zipLeaves: the trees differ: adjoint.h: expected Float64Array(2), got Float64Array(3)',
  });
});

test('mapLeaves and zipLeaves apply a function leaf by leaf', (t) => {
  const neg = mapLeaves([1, { a: 2 }], (x) => -(x as number));
  t.deepEqual(neg, [-1, { a: -2 }]);
  t.deepEqual(zipLeaves([1, 2], [10, 20], (a, b) => (a as number) * (b as number)), [10, 40]);
  t.throws(() => mapLeaves({ a: [new Set()] } as never, (x) => x), { instanceOf: StructureError, message: /state\.a\[0\].*got Set/ });
});

test('tensors a trace is recording (whose .data refuses to be read) can still be measured, copied and serialized', (t) => {
  const traced = new Tensor(new Float64Array([1, 2, 3]), [3]);
  traced._trace = { tape: { live: true }, id: 1 };
  t.throws(() => traced.data);
  const state = { u: traced };
  t.is(treeBytes(state), 24);
  t.deepEqual(structureOf(state), { kind: 'object', keys: ['u'], values: [{ kind: 'Tensor', dtype: 'float64', shape: [3] }] });
  t.is(snapshotCopy(state).u, traced);
  t.deepEqual((deserializeTree(serializeTree(state)) as { u: Tensor }).u.data, new Float64Array([1, 2, 3]));
  t.deepEqual(zerosLike(state).u.data, new Float64Array(3));
});
