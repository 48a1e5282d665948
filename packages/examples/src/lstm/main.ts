/**
 * `node packages/examples/dist/lstm/main.js`: the LSTM's gradient with respect to all its
 * weights through 500 steps under revolve, checked against store-all and by the Taylor test.
 */
import { demoLines } from '../shared/demo';
import { lstmLoss, lstmProblem } from './model';

const LSTM_DEMO = { hidden: 64, steps: 500, snapshots: 20 };

export function main(say: (line: string) => void = console.log, size = LSTM_DEMO): number {
  const problem = lstmProblem(size);
  say(`LSTM, hidden size ${size.hidden}, state (h, c), ${size.steps} steps, revolve with ${size.snapshots} snapshots`);
  for (const line of demoLines((mode) => lstmLoss(problem, mode), problem.params, { schedule: 'revolve', snapshots: size.snapshots })) say(line);
  return 0;
}

if (require.main === module) process.exitCode = main();
