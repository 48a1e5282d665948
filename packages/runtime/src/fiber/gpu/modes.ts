/**
 * The gpu.js modes a fiber step can run in. 'cpu' is gpu.js's own JavaScript
 * backend (float32 storage, no device); the others drive a GPU (or a software
 * rasterizer standing in for one).
 */
export const GPU_JS_MODES = ['cpu', 'webasm', 'webgpu', 'headlessgl', 'webgl2', 'webgl'] as const;
export type GpuJsMode = (typeof GPU_JS_MODES)[number];

/** Modes whose kernels answer at once (webgpu answers with Promises): those the synchronous solvers can drive. */
export const SYNCHRONOUS_GPU_JS_MODES: readonly Exclude<GpuJsMode, 'webgpu'>[] = ['cpu', 'webasm', 'headlessgl', 'webgl2', 'webgl'];

/** Modes that can be backed by real GPU hardware, in the order 'auto' tries them. */
export const GPU_DEVICE_MODES: readonly GpuJsMode[] = ['webgpu', 'headlessgl', 'webgl2'];

export function isGpuJsMode(value: unknown): value is GpuJsMode {
  return typeof value === 'string' && (GPU_JS_MODES as readonly string[]).includes(value);
}

export function checkGpuJsMode(value: unknown, key: string): GpuJsMode {
  if (!isGpuJsMode(value)) {
    throw new Error(`${key}: unknown gpu.js mode ${JSON.stringify(value)} (expected one of ${GPU_JS_MODES.join(', ')})`);
  }
  return value;
}
