/**
 * The engine's async paths, which the CLI takes for a backend that answers asynchronously
 * (webgpu): through a backend answering every operation with a Promise they must give the
 * synchronous paths' results bit for bit. (No GPU here: real webgpu is not exercised.)
 */
import test from 'ava';
import type { ReadyBackend } from '../../src/fiber/engine';
import { evaluateGradient, evaluateGradientAsync, simulate, simulateAsync } from '../../src/fiber/engine';
import { promisingFactory, type PromisingBackend } from '../../../runtime/test/fiber/promising-backend';
import { tinyGrin } from './helpers';

const opened: PromisingBackend[] = [];
const asynchronous: ReadyBackend = {
  backend: 'gpu.js',
  reason: 'a stand-in for webgpu',
  asynchronous: true,
  factory: () => {
    throw new Error('the synchronous factory must not be used for an asynchronous backend');
  },
  open: promisingFactory(opened),
};

test.serial('evaluateGradientAsync through an asynchronous backend equals evaluateGradient bit for bit', async (t) => {
  const problem = tinyGrin();
  const sync = evaluateGradient(problem, { schedule: 'revolve', snapshots: 3 });
  const async = await evaluateGradientAsync(problem, { schedule: 'revolve', snapshots: 3, backend: asynchronous });
  t.true(opened.length === 1 && opened[0].answers > 0 && opened[0].disposed);
  t.is(async.loss, sync.loss);
  t.deepEqual([...async.grad], [...sync.grad]);
  t.deepEqual(async.counters, sync.counters);
});

test.serial('simulateAsync through an asynchronous backend equals simulate bit for bit', async (t) => {
  opened.length = 0;
  const problem = tinyGrin();
  const sync = simulate(problem, { evolutionSpectra: 5 });
  const async = await simulateAsync(problem, { evolutionSpectra: 5, backend: asynchronous });
  t.true(opened.length === 1 && opened[0].answers > 0 && opened[0].disposed);
  t.is(async.loss, sync.loss);
  t.deepEqual([...async.output], [...sync.output]);
  t.deepEqual(async.evolution, sync.evolution);
});
