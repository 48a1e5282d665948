/**
 * @adjoint/runtime: the array DSL with its adjoint rules, tape reverse mode, optimal
 * checkpoint schedules and the engine that runs them, memory monitoring, and the
 * GMMNLSE fiber solver.
 */
export * from './tensor';
export * from './ops';
export * from './autodiff';
export * from './random';
export * from './schedules';
export * from './checkpoint';
export * from './memory';
export * from './remat';
export * from './verify';
export * from './profile';
export type { Leaf, Tree } from './tree/types';
export * as tree from './tree';
export * as fiber from './fiber';
