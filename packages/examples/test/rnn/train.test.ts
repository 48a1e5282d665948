import test from 'ava';
import { parseTrainingArgs, trainMain, trainRnn } from '../../src/rnn/train';

const small = { hidden: 8, steps: 12, inputs: 3, epochs: 2, batchesPerEpoch: 3, learningRate: 0.1, snapshots: 3 };

test('training lowers the loss, and with monitoring off prints nothing', (t) => {
  const lines: string[] = [];
  const { losses } = trainRnn(small, (l) => lines.push(l));
  t.is(losses.length, 6);
  t.true(losses.every(Number.isFinite));
  // Each batch's sequence recurs in the next epoch, where its loss must be lower.
  for (let b = 0; b < 3; b++) t.true(losses[3 + b] < losses[b], `losses ${losses.join(', ')}`);
  t.deepEqual(lines, []);
});

test('enableMemoryMonitoring prints detail for memoryMonitorBatches batches and each epoch end', (t) => {
  const lines: string[] = [];
  trainRnn({ ...small, enableMemoryMonitoring: true, memoryMonitorBatches: 2 }, (l) => lines.push(l));
  t.is(lines.filter((l) => /^Batch \d+:/.test(l.trim())).length, 4, lines.join('\n'));
  t.is(lines.filter((l) => /^Epoch end:/.test(l.trim())).length, 2, lines.join('\n'));
});

test('config keys and flags are checked and errors name them', (t) => {
  t.throws(() => trainRnn({ ...small, epochs: 0 }), { message: /config\.epochs/ });
  t.throws(() => trainRnn({ ...small, bogus: 1 } as never), { message: /config\.bogus/ });
  t.throws(() => trainRnn({ ...small, memoryMonitorBatches: -1 }), { message: /memoryMonitorBatches/ });
  t.like(parseTrainingArgs(['--enable-memory-monitoring', '--memory-monitor-batches', '3', '--epochs', '1']), {
    enableMemoryMonitoring: true,
    memoryMonitorBatches: 3,
    epochs: 1,
  });
  const said: string[] = [];
  t.is(trainMain(['--nope'], (l) => said.push(l)), 2);
  t.regex(said[0], /unknown argument '--nope'/);
});
