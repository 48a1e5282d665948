/**
 * One optimization as the CLI and the demo run it: optimize with a progress bar,
 * re-simulate the first and the best problem for the plots, then write plots and
 * the optimized problem file together (nothing is written if any part fails).
 */
import * as path from 'node:path';
import { readControls, simulate, type FiberProblem } from './engine';
import { problemText } from './example-problems';
import { directionOf, optimizeProblem, type FiberOptimizeResult, type FiberOptimizerConfig } from './optimizer';
import { writeOutputs } from './output';
import { optimizationPlots, renderPlots } from './plots';
import { ProgressBar } from './progress';
import { checkpointCost, controlTable } from './summary';

interface OptimizationRun {
  readonly config: FiberOptimizerConfig;
  /** Output directory. */
  readonly out: string;
  /** File name of the optimized problem inside `out`. */
  readonly problemFile: string;
  /** Positions along z in the evolution maps. */
  readonly evolutionSpectra?: number;
  /** Draw a progress bar on a terminal's stderr. */
  readonly progress: boolean;
  /** Receives every human-readable line. */
  readonly say: (line: string) => void;
}

interface OptimizationOutcome {
  readonly result: FiberOptimizeResult;
  /** Absolute paths of everything written. */
  readonly files: readonly string[];
  readonly problemPath: string;
}

export async function runOptimization(problem: FiberProblem, run: OptimizationRun): Promise<OptimizationOutcome> {
  const { say } = run;
  const progress = new ProgressBar({ enabled: run.progress, print: say });
  const log = (line: string) => progress.log(line);
  let result: FiberOptimizeResult;
  try {
    const goal = `${directionOf(problem)} ${problem.objective.kind}`;
    log(`optimizing ${problem.controls.join(', ')} with ${run.config.optimizer ?? 'adam'} (${run.config.iterations ?? 20} loss evaluations) to ${goal} (the loss below)`);
    result = optimizeProblem(problem, run.config, { log, onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.hide();
  }
  const verb = result.direction === 'maximize' ? 'maximized' : 'minimized';
  say(`${verb} ${problem.objective.kind}: ${result.initialLoss.toPrecision(6)} -> ${result.loss.toPrecision(6)} (${result.stopReason})`);
  say(checkpointCost(result.best.counters, problem.fiber.steps, run.config.schedule));
  say(controlTable(result.controls, readControls(result.problem), result.best.grad).trimEnd());

  const backend = run.config.backend;
  const before = simulate(problem, { evolutionSpectra: run.evolutionSpectra, backend });
  const after = simulate(result.problem, { evolutionSpectra: run.evolutionSpectra, backend });
  const plots = optimizationPlots(result.problem, before, after, result.history.map((h) => h.loss), result.direction);
  const files = writeOutputs(run.out, [...(await renderPlots(plots)), { name: run.problemFile, data: problemText(result.problem) }]);
  const problemPath = path.resolve(run.out, run.problemFile);
  say(`optimized problem: ${problemPath}`);
  say(`plots (SVG + PNG) in ${path.resolve(run.out)}: ${files.filter((f) => f !== problemPath).map((f) => path.basename(f)).join(', ')}`);
  return { result, files, problemPath };
}
