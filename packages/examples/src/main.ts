/**
 * `npm start`: a short optimization of the single-mode soliton-fission example on a
 * reduced grid. Every loss evaluation is a forward and adjoint propagation through
 * the whole fiber under revolve checkpointing; the demo prints the loss per
 * evaluation, the memory lines, what checkpointing cost, and where the plots are.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { solitonFission } from './fiber/example-problems';
import type { FiberOptimizerConfig } from './fiber/optimizer';
import { runOptimization } from './fiber/workflow';

/** The demo's configuration: the soliton problem at 2048 points and 300 steps instead of 4096 and 1500. */
const DEMO = {
  grid: { points: 2048, windowPs: 6, steps: 300 },
  config: {
    // L-BFGS climbs this objective steadily; Adam (the seed's optimizer) overshoots at rates that finish in 8 evaluations.
    optimizer: 'lbfgs',
    iterations: 8,
    learningRate: 0.3,
    schedule: 'revolve',
    snapshots: 10,
    enableMemoryMonitoring: true,
    memoryMonitorBatches: 3,
  } satisfies FiberOptimizerConfig,
  out: path.join('out', 'fiber-demo'),
  problemFile: 'soliton-fission-demo.optimized.json',
};

async function main(): Promise<number> {
  const say = (line: string) => console.log(line);
  const problem = solitonFission(DEMO.grid);
  say('adjoint demo: optimizing a fiber laser pulse through the GMMNLSE with checkpointed reverse mode');
  say(
    `problem: soliton fission with Raman, 1550 nm, ${problem.fiber.lengthM} m of fiber in ${problem.fiber.steps} RK4IP steps, ` +
      `${problem.grid.points} points over ${problem.grid.windowPs} ps; maximize the output energy in ${problem.objective.kind === 'bandEnergyFraction' ? problem.objective.bandNm.join('-') : '?'} nm`,
  );
  say(`each loss evaluation differentiates all ${problem.fiber.steps} steps with revolve holding ${DEMO.config.snapshots} states`);
  const began = performance.now();
  try {
    await runOptimization(problem, { config: DEMO.config, out: DEMO.out, problemFile: DEMO.problemFile, progress: true, say });
  } catch (error) {
    console.error(`demo failed: ${(error as Error).message}`);
    return 1;
  }
  say(`done in ${((performance.now() - began) / 1000).toFixed(1)} s. Open ${path.resolve(DEMO.out, 'spectra.png')} and the other plots there.`);
  say('full resolution (4096 points, 1500 steps: about 10x the work per loss evaluation): npx gmmnlse optimize packages/examples/problems/soliton-fission.json --snapshots 20');
  return 0;
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
