import test from 'ava';
import { runScheduleCommand } from '@adjoint/runtime/cli/schedule';
import { makeSchedule, online, replay, revolve } from '@adjoint/runtime/schedules/index';

function run(...argv: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = runScheduleCommand(argv, (line) => lines.push(line));
  return { code, lines };
}

test('--json prints one object with exactly the documented keys, counted by replay', (t) => {
  const { code, lines } = run('--steps', '1000', '--snapshots', '31', '--json');
  t.is(code, 0);
  t.is(lines.length, 1);
  const report = JSON.parse(lines[0]);
  t.deepEqual(Object.keys(report).sort(), ['adjointSteps', 'advances', 'peakDisk', 'peakRam', 'recomputationFactor', 'savingsPercent', 'schedule', 'snapshots', 'steps']);
  t.deepEqual(report, {
    steps: 1000,
    snapshots: 31,
    schedule: 'revolve',
    advances: 2439,
    adjointSteps: 1000,
    peakRam: 31,
    peakDisk: 0,
    recomputationFactor: 3.439,
    savingsPercent: 100 * (1 - 31 / 999),
  });
});

test('each schedule reports what its replay counts', (t) => {
  const onlineReport = JSON.parse(run('--steps=4000', '--snapshots=20', '--schedule=online', '--json').lines[0]);
  t.like(onlineReport, { steps: 4000, schedule: 'online', advances: replay(online(20), { steps: 4000 }).advances, adjointSteps: 4000, peakRam: 20 });
  const multi = JSON.parse(run('--steps', '4000', '--schedule', 'multistage', '--ram', '5', '--disk', '15', '--json').lines[0]);
  t.like(multi, { snapshots: 20, advances: 13976, peakRam: 5, peakDisk: 15 });
  const all = JSON.parse(run('--steps', '50', '--schedule', 'store-all', '--json').lines[0]);
  t.like(all, { snapshots: 49, advances: 49, peakRam: 49, savingsPercent: 0, recomputationFactor: 1.98 });
  const uniform = JSON.parse(run('--steps', '1000', '--snapshots', '31', '--schedule', 'uniform', '--json').lines[0]);
  // k = 33: 31 segments; reversing segment 29 holds checkpoints 0..28 and its 32 states x_start..x_{end-2}.
  t.like(uniform, { advances: 1959, peakRam: 61 });
  const empty = JSON.parse(run('--steps', '0', '--json').lines[0]);
  t.like(empty, { steps: 0, advances: 0, adjointSteps: 0, recomputationFactor: 1, savingsPercent: 0 });
});

test('without --snapshots each schedule has the default checkpointedLoop gives it with the same options', (t) => {
  for (const schedule of ['revolve', 'uniform', 'multistage'] as const) {
    const report = JSON.parse(run('--steps', '1000', '--schedule', schedule, '--json').lines[0]);
    const counts = replay(makeSchedule(schedule, 1000));
    t.like(report, { advances: counts.advances, peakRam: counts.peakRam }, schedule);
  }
  // uniform: a checkpoint every ceil(sqrt(1000)) = 32 steps, so 32 of them; revolve: the smallest s with C(s + 2, 2) >= 1000.
  t.like(JSON.parse(run('--steps', '1000', '--schedule', 'uniform', '--json').lines[0]), { snapshots: 32, advances: 999 + 31 * 31 });
  t.like(JSON.parse(run('--steps', '1000', '--json').lines[0]), { snapshots: 44 });
  t.like(JSON.parse(run('--steps', '1000', '--schedule', 'online', '--json').lines[0]), { snapshots: 44, advances: replay(online(44), { steps: 1000 }).advances });
});

test('text output names every count', (t) => {
  const { code, lines } = run('--steps', '1000', '--snapshots', '31');
  t.is(code, 0);
  t.deepEqual(lines, [
    'schedule: revolve, 1000 steps, 31 snapshots',
    'advances (plain step evaluations): 2439',
    'adjoint steps (taped evaluations): 1000',
    'peak states in RAM: 31',
    'peak states on disk: 0',
    'recomputation factor (evaluations per step): 3.439',
    'memory saving versus store-all: 96.9% (31 states instead of 999)',
  ]);
});

test('--actions lists every action in order, then the summary', (t) => {
  const { code, lines } = run('--steps', '10', '--snapshots', '3', '--actions');
  t.is(code, 0);
  const actions = replay(revolve(10, 3)).actions;
  t.is(lines.length, actions + 7);
  t.deepEqual(lines.slice(0, 4), ['Checkpoint step 0 in memory', 'Advance from step 0 to step 4', 'Checkpoint step 4 in memory', 'Advance from step 4 to step 7']);
  t.is(lines[actions - 1], 'End of reverse sweep');
  t.is(lines.filter((line) => line.startsWith('Reverse step')).length, 10);
  t.is(lines[actions + 1], 'advances (plain step evaluations): 15');
});

test('bad arguments give a usage error and exit code 2', (t) => {
  const cases: [string[], RegExp][] = [
    [[], /--steps is required/],
    [['--steps'], /--steps needs a value/],
    [['--steps', '--json'], /--steps needs a value/],
    [['--steps', '-3'], /--steps must be an integer >= 0, got '-3'/],
    [['--steps', '1e3'], /--steps must be an integer >= 0, got '1e3'/],
    [['--steps', '10', '--snapshots', '0'], /--snapshots must be an integer >= 1, got '0'/],
    [['--steps', '10', '--schedule', 'treeverse'], /--schedule must be one of revolve, uniform, store-all, online, multistage, got 'treeverse'/],
    [['--steps', '10', '--speed', 'fast'], /unknown argument '--speed'/],
    [['--steps', '10', '--steps', '11'], /--steps is given twice/],
    [['--steps', '10', '--json', '--actions'], /--json and --actions cannot be combined/],
    [['--steps', '10', '--json=yes'], /--json takes no value/],
    [['--steps', '10', '--schedule', 'multistage', '--ram', '0', '--disk', '0'], /ram \+ disk must be at least 1/],
    [['--steps', '10', '--disk', '2'], /only 'multistage' stores snapshots on disk/],
    [['--steps', '100000000'], /steps must be an integer from 0 to 67108864, got 100000000/],
  ];
  for (const [argv, message] of cases) {
    const { code, lines } = run(...argv);
    t.is(code, 2, argv.join(' '));
    t.regex(lines[0], /^adjoint schedule: /);
    t.regex(lines[0], message);
    t.regex(lines[1], /^usage: adjoint schedule --steps N/);
  }
});

test('with an error stream, errors and usage go there and nothing to the report stream', (t) => {
  const out: string[] = [];
  const err: string[] = [];
  t.is(runScheduleCommand(['--steps', '1.5', '--json'], (line) => out.push(line), (line) => err.push(line)), 2);
  t.deepEqual(out, []);
  t.regex(err[0], /^adjoint schedule: --steps must be an integer >= 0, got '1\.5'/);
  t.regex(err[1], /^usage: adjoint schedule/);
  t.is(runScheduleCommand(['--steps', '5', '--json'], (line) => out.push(line), (line) => err.push(line)), 0);
  t.is(out.length, 1);
  t.is(err.length, 2);
});

test('--help prints the usage and exits 0', (t) => {
  const { code, lines } = run('--help');
  t.is(code, 0);
  t.regex(lines[0], /^usage: adjoint schedule --steps N \[--snapshots S\] \[--schedule revolve\|uniform\|store-all\|online\|multistage\] \[--ram R --disk D\] \[--json\] \[--actions\]/);
});
