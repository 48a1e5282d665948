/** The fiber solver in the array DSL: its step and objective as primitives, and the step written in plain DSL operations. */
export { rk4ipStep, type Rk4ipStepOp } from './step';
export { objectiveOp } from './objective';
export { rk4ipStepOps } from './ops-step';
