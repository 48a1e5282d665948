#!/usr/bin/env node
/**
 * gmmnlse simulate|grad|optimize <problem.json> [options]: see USAGE in args.ts.
 * Exit codes: 0 success, 1 a failed run, 2 a usage error. With --json, stdout holds
 * exactly one JSON object and every human-readable line goes to stderr. Output
 * files are written all together or not at all (output.ts), after everything else
 * has succeeded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, UsageError, USAGE, type CliOptions } from './args';
import { checkCheckpointChoice, chooseBackend, ConfigError, describeBackend, evaluateGradient, evaluateGradientAsync, parseProblem, readControls, simulate, simulateAsync, type FiberProblem, type ReadyBackend } from './engine';
import { writeOutputs } from './output';
import { renderPlots, simulationPlots } from './plots';
import { checkpointCost, controlTable, peakRssMB } from './summary';
import { runOptimization } from './workflow';

const DEFAULT_OUT = path.join('out', 'gmmnlse');

interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Reads and validates a problem file; errors name the file and the offending key. */
function loadProblem(file: string): FiberProblem {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read problem file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseProblem(text);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * Chooses the backend once; the runtime's refusal of --backend or --gpu-mode is a usage error.
 * simulate and grad can await a backend that answers asynchronously (webgpu), so 'auto' may take
 * it there; the optimizer runs synchronously.
 */
async function chooseBackendFlags(options: CliOptions): Promise<ReadyBackend> {
  try {
    return await chooseBackend({ backend: options.backend, gpuMode: options.gpuMode, synchronousOnly: options.command === 'optimize' });
  } catch (error) {
    const message = (error as Error).message.replace(/^backend:/, '--backend:').replace(/^gpuMode:/, '--gpu-mode:');
    throw new UsageError(message);
  }
}

/** Schedule and snapshots come from flags, so the runtime's refusal of them is a usage error. */
function checkCheckpointFlags(problem: FiberProblem, options: CliOptions): void {
  try {
    checkCheckpointChoice(problem, options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function runSimulate(options: CliOptions, problem: FiberProblem, backend: ReadyBackend, say: (line: string) => void, io: CliIO): Promise<void> {
  const began = performance.now();
  const simulation = backend.asynchronous ? await simulateAsync(problem, { evolutionSpectra: options.evolutionSpectra, backend }) : simulate(problem, { evolutionSpectra: options.evolutionSpectra, backend });
  const seconds = (performance.now() - began) / 1000;
  say(`${problem.objective.kind} = ${simulation.loss.toPrecision(8)}  (${problem.fiber.steps} steps over ${problem.fiber.lengthM} m in ${seconds.toFixed(2)} s)`);
  const out = options.out ?? DEFAULT_OUT;
  const files = writeOutputs(out, await renderPlots(simulationPlots(problem, simulation)));
  say(`plots (SVG + PNG) in ${path.resolve(out)}: ${files.map((f) => path.basename(f)).join(', ')}`);
  if (options.json) io.stdout(JSON.stringify({ loss: simulation.loss, seconds, peakRssMB: peakRssMB(), files }) + '\n');
}

async function runGrad(options: CliOptions, problem: FiberProblem, backend: ReadyBackend, say: (line: string) => void, io: CliIO): Promise<void> {
  checkCheckpointFlags(problem, options);
  const began = performance.now();
  const choice = { schedule: options.schedule, snapshots: options.snapshots, backend };
  const result = backend.asynchronous ? await evaluateGradientAsync(problem, choice) : evaluateGradient(problem, choice);
  const seconds = (performance.now() - began) / 1000;
  if (options.json) {
    io.stdout(JSON.stringify({ loss: result.loss, grad: Array.from(result.grad), controls: result.controls, seconds, peakRssMB: peakRssMB() }) + '\n');
    return;
  }
  say(`${problem.objective.kind} = ${result.loss.toPrecision(12)}`);
  say(controlTable(result.controls, readControls(problem), result.grad).trimEnd());
  say(checkpointCost(result.counters, problem.fiber.steps, options.schedule));
  say(`${seconds.toFixed(2)} s, peak RSS ${peakRssMB().toFixed(1)} MB`);
}

async function runOptimize(options: CliOptions, problem: FiberProblem, backend: ReadyBackend, say: (line: string) => void, io: CliIO): Promise<void> {
  checkCheckpointFlags(problem, options);
  const { result, files } = await runOptimization(problem, {
    config: {
      optimizer: options.optimizer,
      iterations: options.iterations,
      learningRate: options.learningRate,
      schedule: options.schedule,
      snapshots: options.snapshots,
      backend,
      enableMemoryMonitoring: options.enableMemoryMonitoring,
      memoryMonitorBatches: options.memoryMonitorBatches,
    },
    out: options.out ?? DEFAULT_OUT,
    problemFile: `${path.basename(options.problemPath, '.json')}.optimized.json`,
    evolutionSpectra: options.evolutionSpectra,
    progress: options.progress,
    say,
  });
  if (options.json) {
    io.stdout(
      JSON.stringify({
        loss: result.loss,
        initialLoss: result.initialLoss,
        direction: result.direction,
        controls: result.controls,
        initialValues: Array.from(readControls(problem)),
        values: Array.from(readControls(result.problem)),
        history: result.history.map((h) => h.loss),
        stopReason: result.stopReason,
        seconds: result.seconds,
        peakRssMB: peakRssMB(),
        files,
      }) + '\n',
    );
  }
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseArgs(argv);
    if (parsed.help) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(argv.length === 0 ? `${USAGE}\n` : `gmmnlse: ${error.message}\nRun 'gmmnlse --help' for usage.\n`);
    return 2;
  }
  const say = (line: string) => (options.json ? io.stderr : io.stdout)(line + '\n');
  try {
    const problem = loadProblem(options.problemPath);
    const backend = await chooseBackendFlags(options);
    say(describeBackend(backend));
    if (options.command === 'simulate') await runSimulate(options, problem, backend, say, io);
    else if (options.command === 'grad') await runGrad(options, problem, backend, say, io);
    else await runOptimize(options, problem, backend, say, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`gmmnlse: ${error.message}\n`);
      return 2;
    }
    io.stderr(`gmmnlse: error: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gmmnlse: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
