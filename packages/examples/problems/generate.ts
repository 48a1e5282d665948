/**
 * Rewrites the example problem files from their builders (src/fiber/example-problems.ts):
 *   node --import=tsx --conditions=adjoint-source packages/examples/problems/generate.ts
 * test/fiber/problems.test.ts fails when a file and its builder disagree.
 */
import { EXAMPLE_PROBLEMS, problemText } from '../src/fiber/example-problems';
import { writeOutputs } from '../src/fiber/output';

const files = Object.entries(EXAMPLE_PROBLEMS).map(([name, build]) => ({ name, data: problemText(build()) }));
for (const file of writeOutputs(__dirname, files)) console.log(`wrote ${file}`);
