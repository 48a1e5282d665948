/**
 * The report's plots, drawn from the benchmarks' JSON with the runtime's svgPlot. Each
 * function returns [{ file, title, svg }]; bench/run.mjs writes them (and PNG copies).
 */
import { createRequire } from 'node:module';
import { predictedCpuVsStoreAll } from '../tradeoff.mjs';

const require = createRequire(import.meta.url);
const { optimalAdvances, svgPlot } = require('@adjoint/runtime');

const KIB = 1024;
const MB = 1024 * 1024;
const SIZE = { width: 820, height: 480 };
const SCHEDULE_ORDER = ['revolve', 'uniform', 'online', 'store-all', 'unrolled'];
const COLORS = { revolve: '#0072B2', uniform: '#D55E00', online: '#009E73', 'store-all': '#CC79A7', unrolled: '#E69F00', theory: '#000000' };
const NAMES = { 'store-all': 'store-all', unrolled: 'no checkpointing (tape)' };
/** For schedules a benchmark adds beyond the known ones (e.g. the fiber's 'revolve-dsl'), in order. */
const EXTRA_COLORS = ['#56B4E9', '#E69F00', '#000000', '#F0E442'];

function colorOf(name, groups) {
  if (COLORS[name]) return COLORS[name];
  const extras = [...groups.keys()].filter((n) => !COLORS[n]);
  return EXTRA_COLORS[extras.indexOf(name) % EXTRA_COLORS.length];
}

/** Rows grouped by schedule, the known ones in a fixed order, then any others as they come. */
function bySchedule(rows) {
  const names = [...new Set([...SCHEDULE_ORDER, ...rows.map((r) => r.schedule)])];
  const groups = new Map();
  for (const name of names) {
    const members = rows.filter((r) => r.schedule === name);
    if (members.length > 0) groups.set(name, members);
  }
  return groups;
}

/** Snapshot counts from 2 to n, about 12 per factor of 10: enough for a smooth curve. */
function denseCounts(n) {
  const counts = new Set();
  for (let s = 2; s < n; s = Math.max(s + 1, Math.round(s * 1.2))) counts.add(s);
  counts.add(n);
  return [...counts];
}

/**
 * Revolve's optimum for each s: (n + t(n, s))/n step evaluations per step, holding s states
 * and one step's tape (the sizes measured on store-all).
 */
function revolveOptimum(problem, counts = denseCounts(problem.steps)) {
  const n = problem.steps;
  return counts.map((s) => [(n + optimalAdvances(n, s)) / n, (s * problem.stateBytes + problem.stepTapeBytes) / KIB]);
}

/** Measured points only: a line through uniform's would double back on itself (its memory is U-shaped in s). */
function tradeoffSeries(problem, y) {
  const groups = bySchedule(problem.rows);
  return [...groups].map(([name, rows]) => ({
    name: NAMES[name] ?? `${name} (measured)`,
    color: colorOf(name, groups),
    mode: 'scatter',
    points: rows.map((r) => [r.recomputation, y(r)]),
  }));
}

/** Evenly spaced (on a log axis) points from a to b. */
function logSpace(a, b, count = 40) {
  return Array.from({ length: count }, (_, i) => a * (b / a) ** (i / (count - 1)));
}

/** Per trade-off problem: peak memory against recomputation, and CPU time against recomputation. */
export function tradeoffPlots(result) {
  const plots = [];
  for (const problem of result.problems) {
    const memory = tradeoffSeries(problem, (r) => r.peakBytes / KIB);
    memory.push({ name: 'revolve optimum (n + t(n, s))/n', color: COLORS.theory, mode: 'line', points: revolveOptimum(problem) });
    plots.push({
      file: `tradeoff-${problem.name}-memory.svg`,
      title: `${problem.title}: peak memory against recomputation`,
      svg: svgPlot(memory, {
        ...SIZE,
        title: `${problem.shortTitle}: memory against recomputation`,
        xLabel: 'step evaluations per loop step (advances + taped) / n',
        yLabel: 'peak snapshots + tapes (KiB)',
        logX: true,
        logY: true,
      }),
    });
    const time = tradeoffSeries(problem, (r) => r.cpuVsStoreAll);
    const xs = problem.rows.map((r) => r.recomputation);
    const storeAll = { cpuMs: problem.storeAllCpuMs, stepEvaluations: problem.storeAllEvaluations };
    const predicted = logSpace(Math.min(...xs), Math.max(...xs))
      .map((x) => [x, predictedCpuVsStoreAll(storeAll, problem.plainStepMs, x * problem.steps)])
      .filter(([, y]) => y > 0);
    time.push({ name: 'store-all + plain step × extra evaluations', color: COLORS.theory, mode: 'line', points: predicted });
    plots.push({
      file: `tradeoff-${problem.name}-time.svg`,
      title: `${problem.title}: gradient CPU time against recomputation`,
      svg: svgPlot(time, {
        ...SIZE,
        title: `${problem.shortTitle}: time against recomputation`,
        xLabel: 'step evaluations per loop step (advances + taped) / n',
        yLabel: 'gradient CPU time / store-all',
        logX: true,
        logY: true,
      }),
    });
  }
  return plots;
}

/** The fiber benchmark's rows (bench/fiber.mjs): memory and gradient time against the number of steps. */
export function fiberPlots(rows) {
  const usable = rows.filter((r) => [r.steps, r.peakBytes, r.gradientCpuMs].every(Number.isFinite) && typeof r.schedule === 'string');
  if (usable.length === 0) return [];
  const groups = bySchedule(usable);
  const series = (y) =>
    [...groups].map(([name, members]) => ({
      name,
      color: colorOf(name, groups),
      mode: 'both',
      points: members.map((r) => [r.steps, y(r)]),
    }));
  const points = usable[0].points;
  const title = `Fiber gradient, single mode${points ? `, N = ${points}` : ''}`;
  return [
    {
      file: 'fiber-memory.svg',
      title: 'Fiber benchmark: peak snapshots + tape against fiber steps',
      svg: svgPlot(series((r) => r.peakBytes / MB), { ...SIZE, title, xLabel: 'RK4IP steps', yLabel: 'peak snapshots + tape (MB)', logX: true, logY: true }),
    },
    {
      file: 'fiber-time.svg',
      title: 'Fiber benchmark: gradient CPU time against fiber steps',
      svg: svgPlot(series((r) => r.gradientCpuMs / 1000), { ...SIZE, title, xLabel: 'RK4IP steps', yLabel: 'gradient CPU time (s)', logX: true, logY: true }),
    },
  ];
}
