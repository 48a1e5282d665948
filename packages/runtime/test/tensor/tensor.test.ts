import test from 'ava';
import { arange, full, linspace, ones, Tensor, tensor, zeros, zerosLike } from '@adjoint/runtime/tensor/index';

test('tensor() infers the shape of nested arrays and copies typed arrays', (t) => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  t.deepEqual(x.shape, [2, 3]);
  t.is(x.dtype, 'float64');
  t.deepEqual([...x.data], [1, 2, 3, 4, 5, 6]);
  t.deepEqual(x.toArray(), [[1, 2, 3], [4, 5, 6]]);
  const raw = new Float32Array([1, 2, 3, 4]);
  const y = tensor(raw, [2, 2]);
  raw[0] = 99;
  t.is(y.dtype, 'float32');
  t.is(y.data[0], 1, 'the typed array was copied');
  t.deepEqual(tensor(3).shape, []);
  t.is(tensor(3).item(), 3);
  t.deepEqual(tensor([]).shape, [0]);
});

test('tensor() with complex128: interleaved typed data, or real parts from numbers', (t) => {
  const z = tensor(new Float64Array([1, 2, 3, 4]), [2], 'complex128');
  t.deepEqual(z.toArray(), [[1, 2], [3, 4]]);
  t.deepEqual(tensor([1, 2], undefined, 'complex128').toArray(), [[1, 0], [2, 0]]);
  t.is(tensor([1, 2], undefined, 'float32').dtype, 'float32');
});

test('bad data is rejected with the place and the reason', (t) => {
  t.throws(() => tensor([[1, 2], [3]]), { message: 'tensor: ragged data at data[1]: length 1, expected 2' });
  t.throws(() => tensor([1, 'a' as unknown as number]), { message: /tensor: ragged data at data\[1\]: expected a number, got a string/ });
  t.throws(() => tensor([1, 2, 3], [2, 2]), { message: 'tensor: 3 values do not fit shape [2, 2]' });
  t.throws(() => tensor([1], undefined, 'int8' as never), { message: /unknown dtype "int8"/ });
  t.throws(() => new Tensor(new Float64Array(3), [2, 2]), { message: /float64 data of length 3 does not fit shape \[2, 2\]/ });
  t.throws(() => zeros([2, -1]), { message: /shape \[2, -1\] must be an array of non-negative integers/ });
});

test('zeros, ones, full, zerosLike, arange and linspace', (t) => {
  t.deepEqual([...zeros([2, 2]).data], [0, 0, 0, 0]);
  t.deepEqual([...ones([3], 'float32').data], [1, 1, 1]);
  t.deepEqual(full([2], 7, 'complex128').toArray(), [[7, 0], [7, 0]]);
  t.deepEqual(zerosLike(tensor([[1, 2]])).shape, [1, 2]);
  t.deepEqual([...arange(4).data], [0, 1, 2, 3]);
  t.deepEqual([...arange(1, 2, 0.25).data], [1, 1.25, 1.5, 1.75]);
  t.deepEqual([...arange(5, 1, -2).data], [5, 3]);
  t.deepEqual([...linspace(0, 1, 5).data], [0, 0.25, 0.5, 0.75, 1]);
  t.deepEqual([...linspace(2, 3, 1).data], [2]);
  t.throws(() => arange(0, 1, 0), { message: /step non-zero/ });
});

test('item() and toArray() need a size-1 real tensor or give nested values', (t) => {
  t.throws(() => tensor([1, 2]).item(), { message: 'item(): Tensor of shape [2] has 2 elements, not 1' });
  t.throws(() => tensor(new Float64Array([1, 2]), [1], 'complex128').item(), { message: /complex128/ });
  t.deepEqual(tensor([[[1]]]).toArray(), [[[1]]]);
  t.is(String(tensor([[1, 2]])), 'Tensor(float64 [1, 2] [[1,2]])');
});
