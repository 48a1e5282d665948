import * as gpujs from 'gpu.js';
import { GPU, IKernelRunShortcut, KernelVariable } from 'gpu.js';
import { ledger } from '../../memory/ledger';
import { Op, settle } from '../../drive/index';
import { checkGpuJsMode, GpuJsMode } from './modes';
import { installWebGpu, WebGpuInstallation } from './webgpu-node';

/**
 * A raw gpu.js value living on the device: nested Float32Arrays in cpu mode,
 * a Texture in the GL modes, a WebGPUBufferResult in webgpu mode.
 */
export type DeviceData = unknown;

export interface KernelOptions {
  /** Upper bound on any loop in the kernel (gpu.js unrolls to a guarded loop of this length). */
  loopMaxIterations?: number;
}

/**
 * Chooses the kernel that writes an operation's result. Operations write into
 * their own kernels by default; a destination lets a caller own the buffer
 * instead (e.g. one per field of a StepBackend). It must hand out a kernel
 * whose buffer is none of the operation's inputs.
 */
export interface Destination {
  kernel(name: string, source: string, output: readonly number[], options?: KernelOptions): DeviceKernel;
}

/**
 * A pipeline kernel that owns one output buffer on the device: every run
 * overwrites it, so a result stays valid until the same kernel runs again.
 * Its device bytes are reported to ledger('gpu').
 */
export class DeviceKernel {
  private accounted = 0;
  /** webgpu wraps the same buffer in a new refcounted handle per run; the stale one is released. */
  private lastHandle: { delete(): void } | null = null;

  constructor(
    readonly device: GpuDevice,
    readonly name: string,
    readonly output: readonly number[],
    private readonly shortcut: IKernelRunShortcut,
  ) {}

  *run(...args: unknown[]): Op<DeviceData> {
    const result = yield* settle(this.shortcut(...(args as KernelVariable[])) as unknown);
    if (this.device.mode === 'webgpu') {
      this.lastHandle?.delete();
      this.lastHandle = result as { delete(): void };
    }
    this.reconcile();
    return result;
  }

  /** Copies a result of this kernel back to the host, shaped [z][y] Float32Array(x). */
  *read(data: DeviceData): Op<Float32Array[][]> {
    const readable = data as { toArray?: () => unknown };
    const values = typeof readable.toArray === 'function' ? yield* settle(readable.toArray()) : data;
    this.reconcile(); // webgpu readback may have grown a staging pool
    return values as Float32Array[][];
  }

  /** Device bytes this kernel holds now. */
  get heldBytes(): number {
    return this.accounted;
  }

  /** Brings ledger('gpu') in line with what this kernel holds on the device now. */
  private reconcile(): void {
    const held = measureHeldBytes(this.device.mode, this.shortcut.kernel, this.output);
    if (held > this.accounted) ledger.add('gpu', held - this.accounted);
    else if (held < this.accounted) ledger.sub('gpu', this.accounted - held);
    this.accounted = held;
  }

  /** Frees the kernel's device memory. */
  destroy(): void {
    if (this.accounted > 0) ledger.sub('gpu', this.accounted);
    this.accounted = 0;
    this.lastHandle?.delete();
    this.lastHandle = null;
    this.shortcut.destroy();
  }
}

/** The WebGPU globals stay installed while any webgpu device is open. */
let webGpuUsers = 0;
let webGpuInstallation: Promise<WebGpuInstallation | null> | null = null;

/** One gpu.js instance in one mode, and every kernel made on it. */
export class GpuDevice {
  private readonly kernels: DeviceKernel[] = [];
  private disposed = false;

  private constructor(
    readonly mode: GpuJsMode,
    private readonly gpu: GPU,
  ) {}

  /** webgpu answers every kernel call with a Promise; the other modes answer synchronously. */
  get asynchronous(): boolean {
    return this.mode === 'webgpu';
  }

  /** `webgpuFlags`: Dawn instance flags for the first webgpu device of the process (e.g. 'backend=vulkan'). */
  static async open(mode: GpuJsMode, options: { webgpuFlags?: readonly string[] } = {}): Promise<GpuDevice> {
    checkGpuJsMode(mode, 'mode');
    if (mode !== 'webgpu') return GpuDevice.openSync(mode);
    webGpuUsers++;
    webGpuInstallation ??= installWebGpu(options.webgpuFlags);
    try {
      if (!(await webGpuInstallation)) throw new Error('mode: webgpu needs the webgpu package, which does not load here');
      const available = await GPU.isWebGPUAvailable();
      if (!available) throw new Error('mode: webgpu has no adapter here');
      return new GpuDevice(mode, new GPU({ mode }));
    } catch (e) {
      await releaseWebGpu();
      throw e;
    }
  }

  /** For the synchronous modes, which need no adapter handshake. */
  static openSync(mode: GpuJsMode): GpuDevice {
    checkGpuJsMode(mode, 'mode');
    if (mode === 'webgpu') throw new Error('mode: webgpu must be opened with GpuDevice.open (it is asynchronous)');
    try {
      return new GpuDevice(mode, new GPU({ mode }));
    } catch (e) {
      throw new Error(`mode: gpu.js mode ${mode} is not available here (${(e as Error).message})`);
    }
  }

  /**
   * A pipeline kernel from source text (source, not a function, so that no
   * transpiler helper can leak into what gpu.js parses).
   */
  kernel(name: string, source: string, output: readonly number[], options: KernelOptions = {}): DeviceKernel {
    if (this.disposed) throw new Error(`kernel ${name}: the gpu.js device was disposed`);
    const shortcut = this.gpu.createKernel(source, {
      output: [...output],
      pipeline: true,
      immutable: false,
      precision: 'single',
      tactic: 'precision',
    });
    shortcut.setLoopMaxIterations(options.loopMaxIterations ?? 1);
    const kernel = new DeviceKernel(this, name, output, shortcut);
    this.kernels.push(kernel);
    return kernel;
  }

  /** Device bytes held by every kernel made on this device. */
  get heldBytes(): number {
    return this.kernels.reduce((sum, k) => sum + k.heldBytes, 0);
  }

  /** Frees every kernel's device memory and, for the last webgpu user, removes the WebGPU globals. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const kernel of this.kernels) kernel.destroy();
    this.kernels.length = 0;
    await this.gpu.destroy();
    if (this.mode === 'webgpu') await releaseWebGpu();
  }
}

/** gpu.js keeps one WebGPU device per process (not in its typings). */
const webGpuContext = (gpujs as unknown as { WebGPUContext: { destroy(): Promise<void> } }).WebGPUContext;

async function releaseWebGpu(): Promise<void> {
  if (--webGpuUsers > 0) return;
  const installation = webGpuInstallation;
  webGpuInstallation = null;
  await webGpuContext.destroy();
  (await installation)?.restore();
}

interface BufferLike {
  size?: number;
}

interface KernelInternals {
  texSize?: [number, number];
  kernelArguments?: { type?: string; textureSize?: [number, number] }[];
  outputBuffer?: BufferLike | null;
  paramsBuffer?: BufferLike | null;
  paramsLayout?: { arrayArgs?: { buffer?: BufferLike | null }[]; bufferConstants?: { buffer?: BufferLike | null }[] };
  stagingPool?: { size: number }[];
}

const FLOAT32 = 4;
const RGBA_FLOAT32 = 16;

/**
 * Bytes a built kernel holds on the device, read from gpu.js's own
 * allocations: float32 result arrays in cpu/webasm mode; RGBA32F output and
 * argument-upload textures in the GL modes; output, parameter, argument and
 * readback staging buffers in webgpu mode.
 */
function measureHeldBytes(mode: GpuJsMode, kernel: unknown, output: readonly number[]): number {
  const k = kernel as KernelInternals;
  switch (mode) {
    case 'cpu':
    case 'webasm':
      return output.reduce((a, b) => a * b, 1) * FLOAT32;
    case 'webgpu': {
      let bytes = (k.outputBuffer?.size ?? 0) + (k.paramsBuffer?.size ?? 0);
      for (const arg of k.paramsLayout?.arrayArgs ?? []) bytes += arg.buffer?.size ?? 0;
      for (const constant of k.paramsLayout?.bufferConstants ?? []) bytes += constant.buffer?.size ?? 0;
      for (const staging of k.stagingPool ?? []) bytes += staging.size;
      return bytes;
    }
    default: {
      let bytes = k.texSize ? k.texSize[0] * k.texSize[1] * RGBA_FLOAT32 : 0;
      for (const arg of k.kernelArguments ?? []) {
        // texture arguments reference another kernel's output; only uploads own a texture
        if (arg.textureSize && !/Texture/.test(arg.type ?? '')) bytes += arg.textureSize[0] * arg.textureSize[1] * RGBA_FLOAT32;
      }
      return bytes;
    }
  }
}
