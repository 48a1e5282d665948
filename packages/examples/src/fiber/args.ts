/** Command-line arguments of the `gmmnlse` CLI, parsed by hand with usage errors that name the argument. */
import { BACKENDS, GPU_MODES, type BackendName, type GpuMode } from './engine';
import { OPTIMIZERS, type OptimizerName } from './optimizer';

const COMMANDS = ['simulate', 'grad', 'optimize'] as const;
type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly command: Command;
  readonly problemPath: string;
  readonly backend?: BackendName;
  readonly gpuMode?: GpuMode;
  readonly schedule?: string;
  readonly snapshots?: number;
  readonly out?: string;
  readonly json: boolean;
  readonly evolutionSpectra?: number;
  readonly optimizer?: OptimizerName;
  readonly iterations?: number;
  readonly learningRate?: number;
  readonly enableMemoryMonitoring?: boolean;
  readonly memoryMonitorBatches?: number;
  /** false with --no-progress. */
  readonly progress: boolean;
}

type ParsedArgs = { readonly help: true } | ({ readonly help: false } & CliOptions);

/** A command line the CLI cannot run (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: gmmnlse <command> <problem.json> [options]

Commands:
  simulate   propagate the input pulse; print the objective and write plots (SVG +
             PNG): spectra, temporal intensity, and evolution (density maps of
             spectrum and intensity against z)
  grad       the objective and its gradient w.r.t. the problem's controls,
             through every step under a checkpoint schedule
  optimize   Adam or L-BFGS on the controls; writes the optimized problem file
             and plots (spectra, temporal intensity, evolution, loss curve)

Options:
  --backend NAME                  step backend: ${BACKENDS.join(', ')} (default auto: gpu.js on a
                                  real GPU, else js, float64; gpu.js runs float32 kernels)
  --gpu-mode MODE                 gpu.js mode: ${GPU_MODES.join(', ')} (with gpu.js: default the
                                  first GPU mode that answers, else cpu; with auto: the one to try)
  --schedule NAME                 checkpoint schedule (default revolve)      [grad, optimize]
  --snapshots S                   states stored at once, the initial one included [grad, optimize]
  --out DIR                       output directory (default out/gmmnlse)    [simulate, optimize]
  --evolution-spectra K           positions along z in the evolution maps (default 100; a count,
                                  where SimConfig's numSave is a stride in steps)
                                                                            [simulate, optimize]
  --optimizer NAME                ${OPTIMIZERS.join(' or ')} (default adam)                   [optimize]
  --iterations N                  loss evaluations (default 20)             [optimize]
  --learning-rate LR              step in scaled units (default adam 0.05, lbfgs 0.5) [optimize]
  --enable-memory-monitoring      print memory lines per loss evaluation    [optimize]
  --memory-monitor-batches N      ... for the first N evaluations (default 5) [optimize]
  --no-progress                   no progress bar                           [optimize]
  --json                          print one JSON object on stdout (human lines go to stderr)
  -h, --help                      this text

Controls (the problem's "controls": dot paths of numeric inputs, 0-based indices; the
gradient is d(objective)/d(control) in the control's own units, in the order listed):
  pulse.gddFs2  pulse.todFs3  pulse.peakPowerW  pulse.fwhmFs
  pulse.modeCoefficients.i        one coefficient; pulse.modeCoefficients: all of them
  fiber.gamma (single mode)  fiber.n2 (n2 + overlap)  fiber.lengthM  fiber.raman.fR
  fiber.modes.p.betas.n           beta_n of mode p (ps^n/m); fiber.modes.p.betas: all of them
Fiber controls are differentiated exactly in the adjoint sweep (fiber.raman.fR on the js
backend only). Refused, with the reason: version, grid.*, fiber.steps (discretization),
fiber.overlap entries (tied by the tensor's symmetry), objective.*.

Exit codes: 0 success, 1 the run failed (bad problem file, numerical failure), 2 usage error.`;

type Kind = 'string' | 'integer' | 'number' | 'flag';

interface FlagSpec {
  readonly key: keyof CliOptions;
  readonly kind: Kind;
  readonly commands: readonly Command[];
  readonly choices?: readonly string[];
}

const ALL: readonly Command[] = COMMANDS;
const FLAGS: Readonly<Record<string, FlagSpec>> = {
  '--backend': { key: 'backend', kind: 'string', commands: ALL, choices: BACKENDS },
  '--gpu-mode': { key: 'gpuMode', kind: 'string', commands: ALL, choices: GPU_MODES },
  '--schedule': { key: 'schedule', kind: 'string', commands: ['grad', 'optimize'] },
  '--snapshots': { key: 'snapshots', kind: 'integer', commands: ['grad', 'optimize'] },
  '--out': { key: 'out', kind: 'string', commands: ['simulate', 'optimize'] },
  '--evolution-spectra': { key: 'evolutionSpectra', kind: 'integer', commands: ['simulate', 'optimize'] },
  '--optimizer': { key: 'optimizer', kind: 'string', commands: ['optimize'], choices: OPTIMIZERS },
  '--iterations': { key: 'iterations', kind: 'integer', commands: ['optimize'] },
  '--learning-rate': { key: 'learningRate', kind: 'number', commands: ['optimize'] },
  '--enable-memory-monitoring': { key: 'enableMemoryMonitoring', kind: 'flag', commands: ['optimize'] },
  '--memory-monitor-batches': { key: 'memoryMonitorBatches', kind: 'integer', commands: ['optimize'] },
  '--no-progress': { key: 'progress', kind: 'flag', commands: ['optimize'] },
  '--json': { key: 'json', kind: 'flag', commands: ALL },
};

function value(flag: string, spec: FlagSpec, text: string): string | number {
  if (spec.kind === 'integer') {
    // memoryMonitorBatches may be 0 (no per-evaluation lines); every other count is positive.
    const least = spec.key === 'memoryMonitorBatches' ? 0 : 1;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < least) {
      throw new UsageError(`${flag} needs an integer >= ${least}, got "${text}"`);
    }
    return Number(text);
  }
  if (spec.kind === 'number') {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} needs a positive number, got "${text}"`);
    return number;
  }
  if (spec.choices !== undefined && !spec.choices.includes(text)) throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}, got "${text}"`);
  if (text === '') throw new UsageError(`${flag} needs a value`);
  return text;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.some((a) => a === '-h' || a === '--help')) return { help: true };
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command (simulate, grad or optimize)');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}" (expected ${COMMANDS.join(', ')})`);
  const options: Record<string, unknown> = { command, json: false, progress: true };
  const positional: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const spec = FLAGS[flag];
    if (spec === undefined) throw new UsageError(`unknown option ${flag}`);
    if (!spec.commands.includes(command as Command)) throw new UsageError(`${flag} does not apply to ${command} (only to ${spec.commands.join(', ')})`);
    if (seen.has(flag)) throw new UsageError(`${flag} is given twice`);
    seen.add(flag);
    if (spec.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`${flag} takes no value`);
      options[spec.key] = flag !== '--no-progress';
      continue;
    }
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('--') && FLAGS[next.split('=')[0]] !== undefined)) throw new UsageError(`${flag} needs a value`);
      text = next;
      i++;
    }
    options[spec.key] = value(flag, spec, text);
  }
  if (options.gpuMode !== undefined && options.backend !== 'gpu.js' && options.backend !== 'auto') throw new UsageError('--gpu-mode needs --backend gpu.js or --backend auto');
  if (options.schedule === 'store-all' && options.snapshots !== undefined) throw new UsageError('--snapshots does not apply to --schedule store-all, which stores every state');
  if (positional.length === 0) throw new UsageError(`${command}: missing the problem file (gmmnlse ${command} <problem.json>)`);
  if (positional.length > 1) throw new UsageError(`${command}: expected one problem file, got ${positional.length}: ${positional.join(' ')}`);
  options.problemPath = positional[0];
  return { help: false, ...(options as unknown as CliOptions) };
}
