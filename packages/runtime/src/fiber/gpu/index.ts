/** The gpu.js backend of the GMMNLSE fiber step: public surface. */
export { GPU_JS_MODES, GPU_DEVICE_MODES, SYNCHRONOUS_GPU_JS_MODES, isGpuJsMode, type GpuJsMode } from './modes';
export { probeGpuMode, detectRealGpuMode, isSoftwareRenderer, type GpuModeProbe, type ProbeOptions } from './detect';
export { resolveFiberBackend, type FiberBackendName, type FiberBackendOptions, type ResolvedFiberBackend } from './select';
export { GpuDevice, DeviceKernel, type Destination, type DeviceData, type KernelOptions } from './device';
export { runSync, runAsync, type Op } from '../../drive/index';
export { type ComplexPlanes, type DeviceField, FieldUpload, downloadField, downloadInterleaved } from './field';
export { FftPlan, uploadTwiddles, twiddlePlanes } from './fft';
export { LinearCombination, DiagonalMultiplyAdd } from './elementwise';
export { couplingTables, type CouplingTables } from './couplings';
export { NonlinearOperator, type NonlinearPoint, type TransformConvention } from './nonlinear';
export { type GpuStepProblem, uploadStepOperators } from './step-problem';
export { GpuJsStepBackend, GpuField, GpuTape, gpuJsBackend, type GpuJsBackendOptions } from './step-backend';
