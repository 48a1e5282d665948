#!/usr/bin/env node
/**
 * bench/rnn.mjs in the shape bench/run.mjs expects of every benchmark script: the
 * Markdown section on stdout, the results as JSON in the file named by the first
 * argument, progress on stderr.
 *
 *   node bench/lib/rnn-suite.mjs rows.json [--quick]
 *
 * A missed target is a finding for the report, not a failure of the run: the exit code
 * is 0 whenever the measurements completed.
 */
import { writeFileSync } from 'node:fs';
import { runRnnBench } from '../rnn.mjs';

/** Small enough for a smoke run; the full sizes are rnn.mjs's own defaults. */
const QUICK = { hidden: 64, steps: 200, snapshots: 8, repeats: 1 };

const [outPath, ...flags] = process.argv.slice(2);
if (!outPath || flags.some((f) => f !== '--quick')) {
  console.error('usage: node bench/lib/rnn-suite.mjs rows.json [--quick]');
  process.exit(2);
}
// rnnCheckpointFigures announces each measurement through the same `say` as the report lines.
const say = (line) => (line.startsWith('measuring ') ? console.error(line) : console.log(line));
const { figures, targets } = runRnnBench(flags.includes('--quick') ? QUICK : {}, say);
writeFileSync(outPath, JSON.stringify({ figures, targets }, null, 2) + '\n');
