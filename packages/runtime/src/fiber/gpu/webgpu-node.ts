/**
 * WebGPU in Node (Dawn, the `webgpu` package): gpu.js looks for
 * `navigator.gpu`, which Node 20 lacks, so it is installed on globalThis for
 * as long as a webgpu device is in use and removed afterwards (a live
 * `navigator.gpu` keeps the process from exiting).
 */
export interface WebGpuInstallation {
  /** Puts every global touched by install() back as it was. Idempotent. */
  restore(): void;
}

interface WebGpuModule {
  create(flags: string[]): unknown;
  globals: Record<string, unknown>;
}

let loaded: Promise<WebGpuModule | null> | null = null;

function loadWebGpu(): Promise<WebGpuModule | null> {
  // the package is ESM-only and needs a native binary; either may be missing
  loaded ??= import('webgpu').then(
    (m: unknown) => m as WebGpuModule,
    () => null,
  );
  return loaded;
}

/**
 * Installs navigator.gpu and the WebGPU constants; null when the package
 * cannot load. `flags` are Dawn instance flags (e.g. 'backend=vulkan').
 */
export async function installWebGpu(flags: readonly string[] = []): Promise<WebGpuInstallation | null> {
  const wg = await loadWebGpu();
  if (!wg) return null;
  const g = globalThis as Record<string, unknown>;
  const touched = ['navigator', ...Object.keys(wg.globals)];
  const saved = touched.map((key) => [key, Object.getOwnPropertyDescriptor(g, key)] as const);
  let gpu: unknown;
  try {
    gpu = wg.create([...flags]);
  } catch {
    return null;
  }
  for (const [key, value] of Object.entries(wg.globals)) if (!(key in g)) g[key] = value;
  Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true, enumerable: false });
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      for (const [key, descriptor] of saved) {
        if (descriptor) Object.defineProperty(g, key, descriptor);
        else delete g[key];
      }
    },
  };
}
