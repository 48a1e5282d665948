export { CheckpointProfiler, formatCheckpointReport } from './profiler';
export type { CheckpointReport } from './profiler';
