/**
 * Everything compiler-generated code calls, behind one import:
 *   import * as adjoint from '@adjoint/runtime/compiled/support';
 */
export { add, part, addAt, densify, zerosLike, accumulator } from './adjoints';
export { mathVjp as math } from './math';
export { rules, tapeVjp, addMatmulAdjoint } from './primitives';
export { loop, observeSweeps } from './loops';
export { region, replay } from './regions';
export { seed, gradients } from './gradients';
export { checkpointedLoop, checkpointedWhile } from '../checkpoint/loop';
