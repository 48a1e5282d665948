/**
 * Training the RNN with checkpointed gradients: plain gradient descent on (W, U, b),
 * over a fixed set of input sequences (one per batch). It is the loop the memory monitors are
 * for: with `enableMemoryMonitoring` it prints the seed-style lines (detail for the first
 * `memoryMonitorBatches` batches, the peak at the end of each epoch); without it, none.
 */
import { createMemoryMonitors, type MemoryMonitoringConfig, type MemorySink } from '@adjoint/runtime/memory/index';
import { sub, mul } from '@adjoint/runtime/ops/index';
import { randn } from '@adjoint/runtime/random/index';
import { valueAndGrad } from '@adjoint/runtime/autodiff/index';
import type { ScheduleName } from '@adjoint/runtime/schedules/index';
import { rnnLoss, rnnProblem, type RnnParams, type RnnSize } from './model';

interface RnnTrainingConfig extends RnnSize, MemoryMonitoringConfig {
  epochs: number;
  batchesPerEpoch: number;
  learningRate: number;
  schedule?: ScheduleName;
  snapshots?: number;
}

interface RnnTrainingResult {
  /** Loss of every batch, in order, each the loss at the parameters before that batch's update. */
  readonly losses: number[];
  readonly params: RnnParams;
}

const TRAINING_KEYS = ['hidden', 'steps', 'inputs', 'seed', 'epochs', 'batchesPerEpoch', 'learningRate', 'schedule', 'snapshots', 'enableMemoryMonitoring', 'memoryMonitorBatches', 'trackTensorMemory'];

export function trainRnn(config: RnnTrainingConfig, say: MemorySink = console.log): RnnTrainingResult {
  for (const key of Object.keys(config)) {
    if (!TRAINING_KEYS.includes(key)) throw new Error(`config.${key}: unknown key; allowed: ${TRAINING_KEYS.join(', ')}`);
  }
  for (const key of ['epochs', 'batchesPerEpoch'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`config.${key}: must be a positive integer, got ${String(config[key])}`);
  }
  if (!(config.learningRate > 0)) throw new Error(`config.learningRate: must be a positive number, got ${String(config.learningRate)}`);
  const monitors = createMemoryMonitors(config, { sink: say });
  const base = rnnProblem(config);
  const mode = { schedule: config.schedule ?? 'revolve', snapshots: config.snapshots };
  let params = base.params;
  const losses: number[] = [];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    monitors.epoch.startEpoch();
    for (let batch = 0; batch < config.batchesPerEpoch; batch++) {
      // Batch b is the same input sequence in every epoch, so epochs are comparable.
      const xs = randn(base.xs.shape, { seed: 1000 + batch });
      const problem = { ...base, xs, params };
      // @tape: training runs the checkpointed loop on the runtime tape, whose memory the monitors report
      const [loss, g] = valueAndGrad(rnnLoss(problem, mode))(params);
      params = {
        W: sub(params.W, mul(config.learningRate, g.W)),
        U: sub(params.U, mul(config.learningRate, g.U)),
        b: sub(params.b, mul(config.learningRate, g.b)),
      };
      losses.push(loss.item());
      monitors.epoch.batch(batch, loss.item());
    }
    monitors.epoch.endEpoch();
  }
  return { losses, params };
}

const NUMBER_FLAGS = { hidden: 'hidden', steps: 'steps', snapshots: 'snapshots', epochs: 'epochs', batches: 'batchesPerEpoch', 'memory-monitor-batches': 'memoryMonitorBatches' } as const;

/**
 * `rnn train [--epochs N] [--batches N] [--hidden N] [--steps N] [--snapshots S] [--learning-rate LR]
 * [--enable-memory-monitoring] [--memory-monitor-batches N] [--track-tensor-memory]`.
 */
export function parseTrainingArgs(args: readonly string[]): RnnTrainingConfig {
  const config: RnnTrainingConfig = { hidden: 128, steps: 200, epochs: 2, batchesPerEpoch: 4, learningRate: 0.05 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const name = flag.replace(/^--/, '');
    if (flag === '--enable-memory-monitoring') {
      config.enableMemoryMonitoring = true;
      continue;
    }
    if (flag === '--track-tensor-memory') {
      config.trackTensorMemory = true;
      continue;
    }
    const value = Number(args[++i]);
    if (name === 'learning-rate') {
      if (!(value > 0)) throw new Error(`--learning-rate needs a positive number, got '${args[i] ?? ''}'`);
      config.learningRate = value;
    } else if (flag.startsWith('--') && name in NUMBER_FLAGS) {
      // 0 batches of detail is meaningful (only the epoch ends are printed); every other count is positive.
      const least = name === 'memory-monitor-batches' ? 0 : 1;
      if (!Number.isInteger(value) || value < least) {
        throw new Error(`--${name} needs ${least === 0 ? 'a non-negative' : 'a positive'} integer, got '${args[i] ?? ''}'`);
      }
      config[NUMBER_FLAGS[name as keyof typeof NUMBER_FLAGS]] = value;
    } else {
      const allowed = [...Object.keys(NUMBER_FLAGS), 'learning-rate'].map((f) => `--${f} N`);
      throw new Error(`unknown argument '${flag}'; allowed: ${[...allowed, '--enable-memory-monitoring', '--track-tensor-memory'].join(', ')}`);
    }
  }
  return config;
}

export function trainMain(args: readonly string[], say: (line: string) => void = console.log): number {
  let config: RnnTrainingConfig;
  try {
    config = parseTrainingArgs(args);
  } catch (error) {
    say(`rnn train: ${(error as Error).message}`);
    return 2;
  }
  say(`Training an RNN (hidden ${config.hidden}, ${config.steps} steps) for ${config.epochs} epochs of ${config.batchesPerEpoch} batches, gradients by revolve`);
  const { losses } = trainRnn(config, say);
  losses.forEach((loss, i) => say(`batch ${i}: loss ${loss.toFixed(6)}`));
  return 0;
}
