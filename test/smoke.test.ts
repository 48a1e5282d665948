import test from 'ava';
import { Tensor } from '@adjoint/runtime/tensor/tensor';

test('runtime source resolves through the adjoint-source condition', (t) => {
  const x = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
  t.deepEqual(x.shape, [2, 2]);
  t.is(x.size, 4);
});
