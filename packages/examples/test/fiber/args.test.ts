import test from 'ava';
import { parseArgs, UsageError } from '../../src/fiber/args';

test('flags take "--name value" and "--name=value", booleans take none, and defaults are filled in', (t) => {
  t.deepEqual(parseArgs(['grad', 'p.json', '--schedule', 'revolve', '--snapshots=12', '--json']), {
    help: false,
    command: 'grad',
    problemPath: 'p.json',
    schedule: 'revolve',
    snapshots: 12,
    json: true,
    progress: true,
  });
  t.deepEqual(
    parseArgs([
      'optimize',
      '--optimizer=lbfgs',
      'p.json',
      '--iterations',
      '7',
      '--learning-rate',
      '0.2',
      '--enable-memory-monitoring',
      '--memory-monitor-batches',
      '0',
      '--no-progress',
      '--out',
      'dir',
      '--evolution-spectra',
      '3',
      '--backend',
      'js',
    ]),
    {
      help: false,
      command: 'optimize',
      problemPath: 'p.json',
      optimizer: 'lbfgs',
      iterations: 7,
      learningRate: 0.2,
      enableMemoryMonitoring: true,
      memoryMonitorBatches: 0,
      progress: false,
      out: 'dir',
      evolutionSpectra: 3,
      backend: 'js',
      json: false,
    },
  );
  t.deepEqual(parseArgs(['simulate', '--help']), { help: true });
});

test('values are checked strictly and errors name the flag', (t) => {
  const bad: [string[], RegExp][] = [
    [['optimize', 'p.json', '--iterations', '2.5'], /--iterations needs an integer >= 1, got "2.5"/],
    [['optimize', 'p.json', '--iterations', '1e3'], /--iterations needs an integer >= 1/],
    [['optimize', 'p.json', '--learning-rate', 'fast'], /--learning-rate needs a positive number, got "fast"/],
    [['optimize', 'p.json', '--learning-rate', '--json'], /--learning-rate needs a value/],
    [['optimize', 'p.json', '--json=yes'], /--json takes no value/],
    [['optimize', 'p.json', '--out='], /--out needs a value/],
  ];
  for (const [args, message] of bad) t.throws(() => parseArgs(args), { instanceOf: UsageError, message }, args.join(' '));
});
