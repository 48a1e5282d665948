/** Human-readable summaries shared by the CLI and the demo. */
import { markdownTable, toMB } from '@adjoint/runtime/memory/index';
import type { SweepCounters } from './engine';

/** What one gradient cost under checkpointing, from the sweep's exact counters. */
export function checkpointCost(counters: SweepCounters, steps: number, schedule: string | undefined): string {
  const disk = counters.peakDiskStates > 0 ? ` + ${counters.peakDiskStates} on disk` : '';
  return (
    `checkpointing (${schedule ?? 'revolve'}): ${counters.stepCalls} step evaluations per gradient for ${steps} steps ` +
    `(${counters.advances} plain + ${counters.reverses} taped, ${(counters.stepCalls / steps).toFixed(2)}x a forward run), ` +
    `at most ${counters.peakRamStates} states in RAM${disk} (${toMB(counters.peakSnapshotBytes).toFixed(1)} MB of snapshots)`
  );
}

/** Controls with their values and the gradient, as a Markdown table. */
export function controlTable(controls: readonly string[], values: ArrayLike<number>, grad: ArrayLike<number>): string {
  return markdownTable(
    ['control', 'value', 'd(objective)/d(control)'],
    controls.map((c, i) => [c, values[i].toPrecision(8), grad[i].toExponential(6)]),
    ['left', 'right', 'right'],
  );
}

/** The process's peak resident set size so far, in MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}
