#!/usr/bin/env node
/**
 * npm run bench: every benchmark in turn, each in its own child process (a fresh heap, so
 * one benchmark's RSS and ledger peaks owe nothing to the one before), then one report:
 * bench/report/README.md with the machine, the date, the command, each benchmark's
 * Markdown and links to the plots, the plots as SVG and PNG, and results.json with all
 * the numbers. Runs on the built packages (npm run bench builds them first).
 *
 *   node bench/run.mjs [--quick] [--only NAME] [--out DIR]
 *
 * --quick  small sizes, a smoke run of well under a minute (the fiber benchmark, whose
 *          grid is fixed at 4096 points, is skipped)
 * --only   run one benchmark: rnn, fiber, compiler or tradeoff
 * --out    where the report goes (default bench/report)
 *
 * A benchmark script is run as `node --expose-gc SCRIPT rows.json [ARGS]`: it prints its
 * Markdown section on stdout (no top-level headings), progress on stderr, and writes its
 * results as JSON to rows.json. Exit code 1 if any benchmark failed (the report says which).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from './lib/child.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BUILT = ['packages/runtime/dist/index.js', 'packages/examples/dist/rnn/figures.js'];
const PNG_WIDTH = 1640;

/**
 * In running order. `optional`: a script another benchmark author may not have written
 * yet (skipped with a note). `quickArgs: null`: skipped by --quick, with `quickNote`.
 */
const BENCHMARKS = [
  { name: 'rnn', title: 'RNN: store-all, uniform and revolve against reverse mode without checkpointing', script: 'bench/lib/rnn-suite.mjs', args: [], quickArgs: ['--quick'] },
  {
    name: 'fiber',
    title: 'Fiber (GMMNLSE, single mode) at 1000 to 8000 steps',
    script: 'bench/fiber.mjs',
    args: [],
    quickArgs: null,
    quickNote: 'its grid is fixed at N = 4096 points, and its smallest valid run takes about 20 s of CPU',
    optional: true,
  },
  { name: 'compiler', title: 'Compiler: generated adjoint code against the runtime tape', script: 'bench/compiler.mjs', args: [], quickArgs: ['--quick'], optional: true },
  { name: 'tradeoff', title: 'Memory / recomputation trade-off per schedule and snapshot count', script: 'bench/tradeoff.mjs', args: [], quickArgs: ['--quick'] },
];
const NAMES = BENCHMARKS.map((b) => b.name);

const USAGE = `usage: node bench/run.mjs [--quick] [--only ${NAMES.join('|')}] [--out DIR]`;

function parseArgs(args) {
  const options = { quick: false, only: undefined, out: path.join(ROOT, 'bench/report') };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only' || arg === '--out') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      if (arg === '--only' && !NAMES.includes(value)) throw new Error(`--only: unknown benchmark '${value}'; allowed: ${NAMES.join(', ')}`);
      if (arg === '--only') options.only = value;
      else options.out = path.resolve(value);
    } else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return options;
}

/** Runs one benchmark; never throws for the benchmark's own failure, which the report shows. */
async function runBenchmark(bench, options, scratch) {
  const base = { name: bench.name, title: bench.title, script: bench.script };
  if (!existsSync(path.join(ROOT, bench.script))) {
    return { ...base, status: 'skipped', note: `${bench.script} is not in this checkout yet.` };
  }
  const extra = options.quick ? bench.quickArgs : bench.args;
  if (extra === null) return { ...base, status: 'skipped', note: `skipped by --quick: ${bench.quickNote}.` };
  const jsonPath = path.join(scratch, `${bench.name}.json`);
  const command = `node --expose-gc ${bench.script} rows.json${extra.length ? ` ${extra.join(' ')}` : ''}`;
  console.error(`\n== ${bench.name}: ${command}`);
  // A hung benchmark must not hold the whole run (or a CI job) forever.
  const timeoutMs = (options.quick ? 5 : 60) * 60_000;
  const run = await runScript(path.join(ROOT, bench.script), [jsonPath, ...extra], { timeoutMs });
  const result = { ...base, command, wallMs: run.wallMs, markdown: run.stdout.trim() };
  if (run.code !== 0) {
    const why = run.timedOut ? `timed out after ${timeoutMs / 60_000} min` : run.signal ? `killed by ${run.signal}` : `exit code ${run.code}`;
    return { ...result, status: 'failed', note: `${bench.script} failed (${why}); its error is in the run's stderr.` };
  }
  if (!existsSync(jsonPath)) return { ...result, status: 'failed', note: `${bench.script} exited normally but wrote no JSON results.` };
  try {
    return { ...result, status: 'ok', data: JSON.parse(readFileSync(jsonPath, 'utf8')) };
  } catch (error) {
    return { ...result, status: 'failed', note: `${bench.script} wrote results that are not JSON: ${error.message}` };
  }
}

/** The plots a benchmark's results give (none for those without a plotter). */
function plotsFor(result, plotters) {
  if (result.status !== 'ok') return [];
  if (result.name === 'tradeoff') return plotters.tradeoffPlots(result.data);
  if (result.name === 'fiber' && Array.isArray(result.data)) return plotters.fiberPlots(result.data);
  return [];
}

/** Writes each plot as SVG and, when @resvg/resvg-js loads, PNG; returns them with the PNG's name or why there is none. */
async function writePlots(plots, out, svgToPng) {
  const written = [];
  for (const plot of plots) {
    writeFileSync(path.join(out, plot.file), plot.svg);
    const png = plot.file.replace(/\.svg$/, '.png');
    try {
      writeFileSync(path.join(out, png), await svgToPng(plot.svg, { width: PNG_WIDTH }));
      written.push({ ...plot, png });
    } catch (error) {
      written.push({ ...plot, pngError: error.message });
    }
  }
  return written;
}

function minutes(ms) {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

function reportMarkdown({ options, command, date, machine, loadAfter, results, totalMs }) {
  const lines = ['# Benchmark report', ''];
  if (options.quick) lines.push('**Quick smoke run (`--quick`): reduced sizes, not representative figures.**', '');
  lines.push(
    `Generated ${date} by \`${command}\` in ${minutes(totalMs)} (wall clock). What each benchmark measures and how: [bench/README.md](../README.md).`,
    '',
    '## Machine',
    '',
    ...machineLines(machine, loadAfter),
    '',
    '## Contents',
    '',
  );
  for (const r of results) lines.push(`- [${r.title}](#${r.name}) (\`${r.script}\`): ${r.status}${r.wallMs ? `, ${minutes(r.wallMs)}` : ''}`);
  lines.push('- all numbers: [results.json](results.json)', '');
  for (const r of results) {
    lines.push(`<a id="${r.name}"></a>`, '', `## ${r.title}`, '');
    if (r.command) lines.push(`\`${r.command}\`${r.wallMs ? `, ${minutes(r.wallMs)} wall clock` : ''}`, '');
    if (r.note) lines.push(`${r.status === 'failed' ? '**Failed:** ' : ''}${r.note}`, '');
    if (r.markdown) lines.push(r.markdown, '');
    for (const plot of r.plots ?? []) {
      lines.push(`### ${plot.title}`, '', `![${plot.title}](${plot.file})`, '');
      lines.push(plot.png ? `[SVG](${plot.file}) · [PNG](${plot.png})` : `[SVG](${plot.file}) (no PNG: ${plot.pngError})`, '');
    }
  }
  return lines.join('\n');
}

async function main(args) {
  let options;
  try {
    options = parseArgs(args);
  } catch (error) {
    console.error(`bench: ${error.message}`);
    return 2;
  }
  const missing = BUILT.filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length > 0) {
    console.error(`bench: the packages are not built (${missing.join(', ')} missing); run npx tsc -b first, or npm run bench, which builds`);
    return 2;
  }
  // Loaded only once the build is known to exist, so a missing build gets the message above.
  const require = createRequire(import.meta.url);
  const { svgToPng } = require('@adjoint/runtime');
  const plotters = await import('./lib/plots.mjs');

  const started = process.hrtime.bigint();
  const machine = describeMachine();
  const date = new Date().toISOString();
  const invoked = `node bench/run.mjs${args.length ? ` ${args.join(' ')}` : ''}`;
  const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}` : invoked;
  const selected = BENCHMARKS.filter((b) => options.only === undefined || b.name === options.only);
  mkdirSync(options.out, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'adjoint-bench-'));
  const results = [];
  try {
    for (const bench of selected) {
      const result = await runBenchmark(bench, options, scratch);
      try {
        result.plots = await writePlots(plotsFor(result, plotters), options.out, svgToPng);
      } catch (error) {
        // The tables stand without their plots: keep the report, say what went wrong.
        result.plots = [];
        result.status = 'failed';
        result.note = `plotting its results failed: ${error.message}`;
      }
      results.push(result);
      if (result.note) console.error(`${bench.name}: ${result.note}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const loadAfter = os.loadavg();
  writeFileSync(path.join(options.out, 'README.md'), reportMarkdown({ options, command, date, machine, loadAfter, results, totalMs }));
  const numbers = results.map(({ markdown, plots, ...r }) => ({ ...r, plots: plots.map((p) => p.file) }));
  writeFileSync(path.join(options.out, 'results.json'), JSON.stringify({ date, command, quick: options.quick, machine, loadAfter, totalMs, benchmarks: numbers }, null, 2) + '\n');
  console.error(`\nbench: report written to ${path.relative(process.cwd(), path.join(options.out, 'README.md')) || options.out} (${minutes(totalMs)})`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
