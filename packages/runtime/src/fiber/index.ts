/** The differentiable GMMNLSE fiber solver (shared/specs/gmmnlse-problem.md). */
export { ConfigError } from './validate';
export { parseProblem, type FiberProblem, type FiberSpec, type GridSpec, type ModeSpec, type ObjectiveSpec, type PulseShape, type PulseSpec, type RamanSpec } from './problem';
export { makeGrid, centerOmega, C_M_PER_PS, C_NM_PER_PS, type TimeGrid } from './grid';
export { taylorPhase, dispersionPhases, phaseOperator } from './dispersion';
export { ramanResponse, ramanTransfer, ramanDelay, blowWoodDelay, DEFAULT_RAMAN_FRACTION, type RamanModel } from './raman';
export { sparseOverlap, findAsymmetry, type SparseOverlap, type SparseOverlapOptions, type OverlapTerm, type Coupling } from './overlap';
export { ComplexFft, transformModes } from './fft';
export { KerrRamanKernel } from './nonlinear';
export { fiberModel, type FiberModel, type ModelOptions, type PhysicsSwitches } from './model';
export { toFrequencyAdjoint, toTimeAdjoint, type Answer, type StepBackend } from './backend';
export { runSync, runAsync, settle, type Op } from '../drive/index';
export { Float64Backend, type Float64Tape } from './float64';
export { Rk4ipStep, type StageRecord, type StepTapes } from './rk4ip';
export { Rk4ipAdjoint, type ParameterAccumulators } from './adjoint';
export { FiberStepHooks } from './hooks';
export { inputSpectrum, inputSpectrumVjp, FWHM_PER_T0, type PulseGradient } from './input';
export { evaluateObjective, bandEnergyFraction, targetSpectrum, gaussianTarget, type ObjectiveValue } from './objective';
export { controlError, expandControls, readControls, withControls, controlGradient, fiberParameters } from './controls';
export { parameterGradient, parameterNeeds, type FiberParameter, type ParameterAdjoints, type ParameterNeeds } from './parameters';
export {
  float64Backend,
  propagate,
  propagateGradient,
  simulateProblem,
  simulateProblemAsync,
  problemValue,
  problemGradient,
  problemGradientAsync,
  propagateAsync,
  propagateGradientAsync,
  type AsyncBackendFactory,
  type AsyncProblemOptions,
  type AsyncPropagateOptions,
  type AsyncSimulateOptions,
  type AsyncSpectrumGradientOptions,
  type BackendFactory,
  type GradientOptions,
  type ProblemOptions,
  type ProblemGradient,
  type Propagation,
  type PropagateOptions,
  type ProblemSimulation,
  type SimulateOptions,
  type SavedSpectrum,
  type SpectrumGradient,
  type SpectrumGradientOptions,
} from './simulate';
export { resolveBackend, describeBackend, type BackendChoice, type ReadyBackend } from './backend-choice';
export { grinFiber, hermiteFunctions, type GrinFiber, type GrinMode, type GrinOptions } from './grin';
export { SimConfig, Simulation, SimulationCheckpointed, type Boundary, type Domain, type SavedFields, type SimConfigOptions, type SimFiber, type SimulationGradient } from './simulation';
export { rk4ipStep, objectiveOp, rk4ipStepOps, type Rk4ipStepOp } from './dsl/index';
