export { checkpoint } from './checkpoint';
export type { CheckpointOptions, CheckpointCounters } from './checkpoint';
export { adaptiveCheckpoint } from './adaptive';
export type { AdaptiveCheckpoint } from './adaptive';
export { checkpointSequential } from './sequential';
export type { ChainFn } from './sequential';
export { CheckpointGroup } from './group';
