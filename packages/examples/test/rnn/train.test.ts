import test from 'ava';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { tensorTracking } from '@adjoint/runtime/memory/tensors';
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

const BATCH_LINE = /^ {2}Batch (\d+): GPU \d+\.\d+ MB, CPU \d+\.\d+ MB, runtime \d+\.\d+ MB, loss=(\d+\.\d{6})$/;
const EPOCH_END = /^ {2}Epoch end: GPU \d+\.\d+ MB, CPU \d+\.\d+ MB, peak CPU \d+\.\d+ MB, peak runtime (\d+\.\d+) MB, peak GPU \d+\.\d+ MB$/;

test('enableMemoryMonitoring prints the guide\'s lines: detail for memoryMonitorBatches batches, each epoch\'s peaks', (t) => {
  const lines: string[] = [];
  const tensorsBefore = ledger.current('tensors');
  const { losses } = trainRnn({ ...small, enableMemoryMonitoring: true, memoryMonitorBatches: 2 }, (l) => lines.push(l));
  t.is(ledger.current('tensors'), tensorsBefore, 'tensors are counted only with trackTensorMemory');
  const batches = lines.map((l) => BATCH_LINE.exec(l)).filter((m) => m !== null);
  t.deepEqual(batches.map((m) => Number(m[1])), [0, 1, 0, 1], lines.join('\n'));
  t.deepEqual(batches.map((m) => m[2]), [losses[0], losses[1], losses[3], losses[4]].map((l) => l.toFixed(6)));
  const ends = lines.map((l) => EPOCH_END.exec(l)).filter((m) => m !== null);
  t.is(ends.length, 2, lines.join('\n'));
  // The gradients' snapshots and tapes are a few KiB here: the peak must show them, not round them to 0.0.
  t.true(ends.every((m) => Number(m[1]) > 0), lines.join('\n'));
  t.is(batches.length + ends.length, lines.length);
});

test('trackTensorMemory counts the run\'s tensors (the trained parameters among them), and tracking ends with the run', (t) => {
  const tensorsBefore = ledger.current('tensors');
  const config = parseTrainingArgs(['--enable-memory-monitoring', '--track-tensor-memory', '--hidden', '8', '--steps', '12', '--batches', '2', '--epochs', '1']);
  t.true(config.trackTensorMemory);
  const { params } = trainRnn({ ...config, inputs: 3, snapshots: 3 }, () => {});
  t.false(tensorTracking());
  const paramBytes = params.W._data.byteLength + params.U._data.byteLength + params.b._data.byteLength;
  t.true(ledger.current('tensors') - tensorsBefore >= paramBytes, `tensors +${ledger.current('tensors') - tensorsBefore} B`);
});

test('--memory-monitor-batches 0 prints only the epoch ends', (t) => {
  const config = parseTrainingArgs(['--enable-memory-monitoring', '--memory-monitor-batches', '0', '--hidden', '8', '--steps', '12', '--batches', '2', '--epochs', '1']);
  t.is(config.memoryMonitorBatches, 0);
  const lines: string[] = [];
  trainRnn(config, (l) => lines.push(l));
  t.is(lines.length, 1);
  t.regex(lines[0], EPOCH_END);
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
  t.throws(() => parseTrainingArgs(['--memory-monitor-batches', '-1']), { message: "--memory-monitor-batches needs a non-negative integer, got '-1'" });
  t.throws(() => parseTrainingArgs(['--epochs', '0']), { message: "--epochs needs a positive integer, got '0'" });
  const said: string[] = [];
  t.is(trainMain(['--nope'], (l) => said.push(l)), 2);
  t.regex(said[0], /unknown argument '--nope'/);
});
