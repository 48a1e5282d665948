/**
 * npm run bench, in its --quick form, into a temporary directory: the report, its plots
 * and its numbers are written, and the numbers that are exact (step counts) are right.
 * The benchmarks run on the built packages, so this needs their dist folders (the root
 * `npm test` builds first); without a build it is skipped, not passed.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..');
const built = existsSync(path.join(root, 'packages/runtime/dist/index.js')) && existsSync(path.join(root, 'packages/examples/dist/rnn/figures.js'));

interface TradeoffRow {
  schedule: string;
  snapshots: number | null;
  advances: number;
  plannedAdvances: number;
  optimalAdvances: number | null;
  tapedSteps: number;
  peakBytes: number;
  gradientDifference: number;
}

interface Report {
  quick: boolean;
  benchmarks: { name: string; status: string; plots: string[]; data?: { problems: { name: string; steps: number; rows: TradeoffRow[] }[] } }[];
}

(built ? test : test.skip)('bench/run.mjs --quick writes the report, its plots and exact counts', async (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'adjoint-bench-smoke-'));
  try {
    // A plain node: the children must load the built packages, not this test's TypeScript sources.
    const env = { ...process.env, NODE_OPTIONS: '' };
    await promisify(execFile)(process.execPath, [path.join(root, 'bench/run.mjs'), '--quick', '--out', out], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });

    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    t.regex(readme, /^# Benchmark report/);
    t.regex(readme, /## Machine/);
    t.regex(readme, /\| store-all /);
    const svgs = readdirSync(out).filter((f) => f.endsWith('.svg'));
    t.true(svgs.length >= 4, `expected the trade-off plots, found ${svgs.join(', ')}`);
    for (const svg of svgs) {
      t.true(readFileSync(path.join(out, svg), 'utf8').startsWith('<svg'), `${svg} is an SVG document`);
      t.true(readme.includes(`](${svg})`), `the report links ${svg}`);
    }

    const report = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Report;
    t.true(report.quick);
    const byName = new Map(report.benchmarks.map((b) => [b.name, b]));
    t.is(byName.get('rnn')?.status, 'ok');
    const tradeoff = byName.get('tradeoff');
    t.is(tradeoff?.status, 'ok');
    t.deepEqual(tradeoff!.data!.problems.map((p) => p.name), ['rnn', 'fiber']);
    for (const problem of tradeoff!.data!.problems) {
      const n = problem.steps;
      const storeAll = problem.rows.find((r) => r.schedule === 'store-all')!;
      // Store-all advances through x_{n-1} once and tapes every step once: 2n − 1 evaluations.
      t.is(storeAll.advances + storeAll.tapedSteps, 2 * n - 1, problem.name);
      const revolve = problem.rows.filter((r) => r.schedule === 'revolve');
      t.true(revolve.length >= 3, problem.name);
      for (const r of revolve) {
        t.is(r.advances, r.optimalAdvances!, `${problem.name} revolve s = ${r.snapshots}: t(n, s) advances`);
        t.true(r.peakBytes < storeAll.peakBytes, `${problem.name} revolve s = ${r.snapshots} holds less than store-all`);
      }
      for (const r of problem.rows.filter((row) => row.schedule !== 'unrolled')) t.is(r.advances, r.plannedAdvances, `${problem.name} ${r.schedule} s = ${r.snapshots}`);
      for (const r of problem.rows) t.true(r.gradientDifference < 1e-12, `${problem.name} ${r.schedule} s = ${r.snapshots}: gradient equals store-all's`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
