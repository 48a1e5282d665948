import test from 'ava';
import { getRngState, rand, randn, seedRng, setRngState, Xoshiro128 } from '@adjoint/runtime/random/index';

test('xoshiro128** reproduces the reference implementation', (t) => {
  // First outputs of Blackman & Vigna's C code from the state {1, 2, 3, 4}.
  const rng = new Xoshiro128(0);
  rng.setState([1, 2, 3, 4]);
  t.deepEqual(Array.from({ length: 6 }, () => rng.next()), [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

test('a seed gives the same draws every time and leaves the global generator alone', (t) => {
  const state = getRngState();
  const a = randn([5], { seed: 42 });
  const b = randn([5], { seed: 42 });
  t.deepEqual([...a.data], [...b.data]);
  t.notDeepEqual([...randn([5], { seed: 43 }).data], [...a.data]);
  t.deepEqual(getRngState(), state);
  t.is(randn([3], { seed: 1, dtype: 'float32' }).dtype, 'float32');
});

test('getRngState / setRngState replay the global draws exactly', (t) => {
  seedRng(7);
  const state = getRngState();
  const first = [...randn([3]).data, ...rand([2]).data];
  setRngState(state);
  t.deepEqual([...randn([3]).data, ...rand([2]).data], first);
  t.throws(() => setRngState([0, 0, 0, 0]), { message: /not all zero/ });
  t.throws(() => setRngState([1, 2] as never), { message: /4 uint32 words/ });
  t.throws(() => randn([2], { seed: 1.5 }), { message: 'randn: seed must be a safe integer, got 1.5' });
});

test('the distributions have the right moments and ranges', (t) => {
  const n = 200000;
  const z = [...randn([n], { seed: 3 }).data];
  const mean = z.reduce((s, v) => s + v, 0) / n;
  const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  t.true(Math.abs(mean) < 0.01, `mean ${mean}`);
  t.true(Math.abs(variance - 1) < 0.01, `variance ${variance}`);
  const u = [...rand([n], { seed: 4, low: -2, high: 3 }).data];
  t.true(u.every((v) => v >= -2 && v < 3));
  t.true(Math.abs(u.reduce((s, v) => s + v, 0) / n - 0.5) < 0.02);
  const scaled = [...randn([n], { seed: 5, mean: 10, std: 2 }).data];
  t.true(Math.abs(scaled.reduce((s, v) => s + v, 0) / n - 10) < 0.02);
});
