/**
 * checkpointedLoop / checkpointedWhile under reverse mode: the gradient equals the
 * store-all gradient (the same loop unrolled on the tape) and finite differences;
 * revolve calls the step exactly n + t(n, s) times; closed-over weights get their
 * gradients summed over steps; random draws replay identically; memory stays at one
 * step's tape.
 */
import test from 'ava';
import { grad, valueAndGrad } from '@adjoint/runtime/autodiff/index';
import { checkpointedLoop, checkpointedWhile } from '@adjoint/runtime/checkpoint/loop';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { add, matmul, mul, sum, square, tanh, take } from '@adjoint/runtime/ops/index';
import { randn, setRngState } from '@adjoint/runtime/random/index';
import { online, replay } from '@adjoint/runtime/schedules/index';
import { Tensor } from '@adjoint/runtime/tensor/index';
import { close, seeded } from '../ops/helpers';

/** Optimal advances of binomial checkpointing, by the recurrence (ANCHORS.md). */
function advances(n: number, s: number, memo = new Map<string, number>()): number {
  if (n === 1) return 0;
  if (s === 1) return (n * (n - 1)) / 2;
  const key = `${n},${s}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let best = Infinity;
  for (let j = 1; j < n; j++) best = Math.min(best, j + advances(n - j, s - 1, memo) + advances(j, s, memo));
  memo.set(key, best);
  return best;
}

interface Params {
  W: Tensor;
  U: Tensor;
  b: Tensor;
}

const H = 4;
const params: Params = { W: seeded([H, H], 1, -0.6, 0.6), U: seeded([3, H], 2), b: seeded([H], 3) };
const h0 = seeded([H], 4);

function rnnStep(p: Params, xs: Tensor, calls: { n: number }) {
  return (h: Tensor, i: number): Tensor => {
    calls.n++;
    return tanh(add(add(matmul(h, p.W), matmul(take(xs, i), p.U)), p.b));
  };
}

/** Loss through the loop written with checkpointedLoop, or unrolled on the tape (store-all). */
function rnnLoss(n: number, options: { snapshots: number; schedule: 'revolve' } | 'unrolled', calls = { n: 0 }) {
  const xs = seeded([n, 3], 5);
  return (p: Params, x0: Tensor): Tensor => {
    const step = rnnStep(p, xs, calls);
    let h: Tensor;
    if (options === 'unrolled') {
      h = x0;
      for (let i = 0; i < n; i++) h = step(h, i);
    } else {
      h = checkpointedLoop(step, x0, n, options);
    }
    return sum(square(h));
  };
}

function flat(g: [Params, Tensor]): number[] {
  return [...g[0].W.data, ...g[0].U.data, ...g[0].b.data, ...g[1].data];
}

for (const [n, s] of [[10, 3], [20, 4], [7, 1], [1, 1], [12, 12], [5, 10], [100, 10]] as const) {
  test(`revolve(n=${n}, s=${s}) under valueAndGrad: store-all gradient to 1e-12 and n + t(n, s) = ${n + advances(n, s)} step calls`, (t) => {
    const calls = { n: 0 };
    const [value, g] = valueAndGrad(rnnLoss(n, { snapshots: s, schedule: 'revolve' }, calls), [0, 1])(params, h0);
    t.is(calls.n, n + advances(n, s));
    const [want, gWant] = valueAndGrad(rnnLoss(n, 'unrolled'), [0, 1])(params, h0);
    t.is(value.item(), want.item());
    close(t, flat(g), flat(gWant), 1e-12, 'gradient');
  });
}

test('the checkpointed gradient matches central finite differences', (t) => {
  const n = 9;
  const loss = rnnLoss(n, { snapshots: 3, schedule: 'revolve' });
  const g = grad(loss, [0, 1])(params, h0);
  const h = 1e-6;
  const probe = (which: 'W' | 'b', j: number) => {
    const at = (delta: number) => {
      const d = new Float64Array(params[which].data);
      d[j] += delta;
      return loss({ ...params, [which]: new Tensor(d, params[which].shape) }, h0).item();
    };
    return (at(h) - at(-h)) / (2 * h);
  };
  for (const j of [0, 5, 15]) t.true(Math.abs(g[0].W.data[j] - probe('W', j)) < 1e-8, `W[${j}]`);
  for (const j of [0, 3]) t.true(Math.abs(g[0].b.data[j] - probe('b', j)) < 1e-8, `b[${j}]`);
});

test('a closed-over weight gets its gradient summed over every step', (t) => {
  const n = 13;
  // x_{i+1} = x_i·a + w: d x_n / d w = Σ_{k<n} a^k, d x_n / d a = Σ_i x_i·a^(n-1-i).
  const a = 0.9;
  const f = (w: Tensor) => sum(checkpointedLoop((x: Tensor) => add(mul(x, a), w), new Tensor(new Float64Array([1]), [1]), n, { snapshots: 3, schedule: 'revolve' }));
  const gw = grad(f)(new Tensor(new Float64Array([0.5]), [1]));
  const want = (1 - a ** n) / (1 - a);
  t.true(Math.abs(gw.data[0] - want) < 1e-12, `${gw.data[0]} vs ${want}`);
});

test('numbers are differentiated as 0-d tensors through a loop, and number state leaves pass through', (t) => {
  const n = 6;
  const f = (w: number) =>
    checkpointedLoop(
      (s: { x: Tensor; k: number }, i: number) => ({ x: add(mul(s.x, w), i), k: s.k + 1 }),
      { x: new Tensor(new Float64Array([1]), []), k: 0 },
      n,
      { snapshots: 2, schedule: 'revolve' },
    ).x;
  // x_n = w^n + Σ_i i·w^(n-1-i)
  const w = 1.1;
  const want = n * w ** (n - 1) + Array.from({ length: n }, (_, i) => i * (n - 1 - i) * w ** (n - 2 - i)).reduce((p, q) => p + q, 0);
  t.true(Math.abs((grad(f)(w) as number) - want) < 1e-12);
});

test('checkpointedWhile under grad runs the online schedule: the unrolled gradient, n + its advances step calls', (t) => {
  const xs = seeded([30, 3], 5);
  const n = 17;
  const calls = { n: 0 };
  const cond = (h: Tensor, i: number) => i < n;
  const loss = (p: Params, mode: 'while' | 'unrolled') => {
    const step = rnnStep(p, xs, mode === 'while' ? calls : { n: 0 });
    let h = h0;
    if (mode === 'while') h = checkpointedWhile(cond, step, h0, { snapshots: 4 });
    else for (let i = 0; cond(h, i); i++) h = step(h, i);
    return sum(square(h));
  };
  const g = grad((p: Params) => loss(p, 'while'))(params);
  const want = grad((p: Params) => loss(p, 'unrolled'))(params);
  close(t, [...g.W.data, ...g.U.data, ...g.b.data], [...want.W.data, ...want.U.data, ...want.b.data], 1e-12);
  t.is(calls.n, n + replay(online(4), { steps: n }).advances);
});

test('random draws inside the step replay identically when steps are recomputed', (t) => {
  const n = 15;
  const loss = (mode: 'ckpt' | 'unrolled') => (W: Tensor) => {
    const step = (h: Tensor) => tanh(add(matmul(h, W), mul(0.1, randn([H]))));
    let h = h0;
    if (mode === 'ckpt') h = checkpointedLoop(step, h0, n, { snapshots: 3, schedule: 'revolve' });
    else for (let i = 0; i < n; i++) h = step(h);
    return sum(h);
  };
  const start = [1, 2, 3, 4] as const;
  setRngState(start);
  const [v1, g1] = valueAndGrad(loss('ckpt'))(params.W);
  const after = randn([2]).data;
  setRngState(start);
  const [v2, g2] = valueAndGrad(loss('unrolled'))(params.W);
  t.is(v1.item(), v2.item());
  close(t, g1.data, g2.data, 1e-12);
  t.deepEqual([...randn([2]).data], [...after], 'the global generator continues as if the loop ran once');
});

test("the tape holds one step's recording at a time, not n", (t) => {
  const n = 40;
  const peakTapeBytes = (options: { snapshots: number; schedule: 'revolve' } | 'unrolled') => {
    const window = ledger.openWindow(['tapes']);
    try {
      grad(rnnLoss(n, options), [0, 1])(params, h0);
      return window.peak('tapes') - ledger.current('tapes');
    } finally {
      window.close();
    }
  };
  const before = ledger.current('tapes');
  const unrolled = peakTapeBytes('unrolled');
  const oneStep = peakTapeBytes('unrolled') / n;
  const checkpointed = peakTapeBytes({ snapshots: 4, schedule: 'revolve' });
  t.is(ledger.current('tapes'), before, 'every tape returned its bytes');
  t.true(checkpointed < 3 * oneStep, `checkpointed peak ${checkpointed} B vs one step ≈ ${oneStep} B`);
  t.true(unrolled > 30 * oneStep, `unrolled peak ${unrolled} B`);
});

test('a loop that reads no traced value is a constant: n plain step calls, no gradient through it', (t) => {
  const calls = { n: 0 };
  const xs = seeded([8, 3], 5);
  const f = (w: Tensor) => {
    const h = checkpointedLoop(rnnStep(params, xs, calls), h0, 8, { snapshots: 2, schedule: 'revolve' });
    return sum(mul(h, w));
  };
  const g = grad(f)(seeded([H], 9));
  t.is(calls.n, 8);
  const hn = checkpointedLoop(rnnStep(params, xs, { n: 0 }), h0, 8);
  close(t, g.data, hn.data, 0);
});

test('nested checkpointed loops under grad give the unrolled gradient', (t) => {
  const inner = (h: Tensor, W: Tensor, unrolled: boolean) => {
    const step = (x: Tensor) => tanh(matmul(x, W));
    if (!unrolled) return checkpointedLoop(step, h, 4, { snapshots: 2, schedule: 'revolve' });
    for (let i = 0; i < 4; i++) h = step(h);
    return h;
  };
  const loss = (unrolled: boolean) => (W: Tensor, x0: Tensor) => {
    const outer = (h: Tensor) => add(inner(h, W, unrolled), mul(0.5, h));
    if (!unrolled) return sum(checkpointedLoop(outer, x0, 5, { snapshots: 2, schedule: 'revolve' }));
    let h = x0;
    for (let i = 0; i < 5; i++) h = outer(h);
    return sum(h);
  };
  const g = grad(loss(false), [0, 1])(params.W, h0);
  const want = grad(loss(true), [0, 1])(params.W, h0);
  close(t, [...g[0].data, ...g[1].data], [...want[0].data, ...want[1].data], 1e-12);
});
