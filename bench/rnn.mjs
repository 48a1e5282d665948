/**
 * The RNN benchmark (hidden size 512, 1000 steps): store-all, uniform and revolve with
 * s = 32 snapshots, plus reverse mode without checkpointing for reference. Runs on the
 * built packages (npm run build first). Prints a Markdown table and the two targets;
 * runRnnBench() returns the rows as JSON-ready objects.
 *
 *   node bench/rnn.mjs [--hidden 512] [--steps 1000] [--snapshots 32] [--repeats 3]
 *
 * Targets: revolve holds under 10 % of store-all's extra memory (snapshots + tapes, from
 * the memory ledger), and its gradient time relative to store-all is at most 15 % above
 * what its advance count predicts.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { rnnCheckpointFigures, figuresTable } = require('@adjoint/examples/rnn/figures');
const { parseRnnArgs } = require('@adjoint/examples/rnn/main');

const MEMORY_TARGET = 0.1;
const TIME_TARGET = 1.15;

/** Measures and returns { figures, rows, targets }; `say` receives the report lines (none when omitted). */
export function runRnnBench(options = {}, say = () => {}) {
  const figures = rnnCheckpointFigures({ hidden: 512, steps: 1000, snapshots: 32, repeats: 3, ...options, say });
  const revolve = figures.rows.find((r) => r.method.startsWith('revolve'));
  const timeRatio = revolve.timeVsStoreAll / revolve.predictedTimeVsStoreAll;
  const targets = {
    memory: { revolveVsStoreAll: revolve.memoryVsStoreAll, target: MEMORY_TARGET, met: revolve.memoryVsStoreAll < MEMORY_TARGET },
    time: { measured: revolve.timeVsStoreAll, predicted: revolve.predictedTimeVsStoreAll, ratio: timeRatio, target: TIME_TARGET, met: timeRatio <= TIME_TARGET },
  };
  say(`RNN, hidden size ${figures.hidden}, ${figures.steps} steps, s = ${figures.snapshots}; one plain step: ${figures.plainStepMs.toFixed(3)} ms of CPU time`);
  say('');
  say(figuresTable(figures));
  say(`revolve's peak extra memory: ${(100 * revolve.memoryVsStoreAll).toFixed(1)} % of store-all's (target < ${100 * MEMORY_TARGET} %): ${targets.memory.met ? 'met' : 'MISSED'}`);
  say(
    `revolve's gradient time: ${revolve.timeVsStoreAll.toFixed(3)}x store-all, ${revolve.predictedTimeVsStoreAll.toFixed(3)}x predicted by its advances; ` +
      `measured/predicted = ${timeRatio.toFixed(3)} (target <= ${TIME_TARGET}): ${targets.time.met ? 'met' : 'MISSED'}`,
  );
  return { figures, rows: figures.rows, targets };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { targets } = runRnnBench(parseRnnArgs(process.argv.slice(2)), (line) => console.log(line));
  process.exitCode = targets.memory.met && targets.time.met ? 0 : 1;
}
