/**
 * `node packages/examples/dist/rnn/main.js [--hidden 512] [--steps 1000] [--snapshots 32] [--repeats 1]`:
 * one gradient of the RNN under store-all, uniform and revolve, printed as a table of
 * measured memory, step counts and time. `... main.js train [flags]` trains it instead (see train.ts).
 */
import { figuresTable, rnnCheckpointFigures, type RnnFiguresOptions } from './figures';
import { trainMain } from './train';

const FLAGS = ['hidden', 'steps', 'snapshots', 'repeats'] as const;

/** Parses `--name value` pairs of the flags above; anything else is an error naming it. */
export function parseRnnArgs(args: readonly string[]): RnnFiguresOptions {
  const options: Record<string, number> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (!args[i].startsWith('--') || !(FLAGS as readonly string[]).includes(name)) {
      throw new Error(`unknown argument '${args[i]}'; allowed: ${FLAGS.map((f) => `--${f} N`).join(', ')}`);
    }
    const value = Number(args[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer, got ${args[i + 1] === undefined ? 'nothing' : `'${args[i + 1]}'`}`);
    options[name] = value;
  }
  return options;
}

export function main(args: readonly string[], say: (line: string) => void = console.log): number {
  if (args[0] === 'train') return trainMain(args.slice(1), say);
  let options: RnnFiguresOptions;
  try {
    options = parseRnnArgs(args);
  } catch (error) {
    say(`rnn: ${(error as Error).message}`);
    return 2;
  }
  const figures = rnnCheckpointFigures({ ...options, say });
  say(`RNN, hidden size ${figures.hidden}, ${figures.steps} steps; one plain step takes ${figures.plainStepMs.toFixed(3)} ms`);
  say(figuresTable(figures));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
