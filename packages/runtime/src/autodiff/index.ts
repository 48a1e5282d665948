import './loop'; // registers reverse mode for checkpointedLoop / checkpointedWhile

export { grad, valueAndGrad, vjp } from './grad';
export type { Argnums, GradOf } from './grad';
export { customVjp } from './custom';
export { stopGradient } from './leaves';
export { tapeLoopDifferentiator } from './loop';
