import test from 'ava';
import { detectRealGpuMode, isSoftwareRenderer, probeGpuMode } from '@adjoint/runtime/fiber/gpu/detect';
import { resolveFiberBackend } from '@adjoint/runtime/fiber/gpu/select';

const globalNames = () => Object.getOwnPropertyNames(globalThis).sort();

test.serial('probing webgpu answers without hanging and leaves no globals behind', async (t) => {
  t.timeout(20_000);
  const before = globalNames();
  const probe = await probeGpuMode('webgpu', { timeoutMs: 2000 });
  t.deepEqual(globalNames(), before);
  t.false('navigator' in globalThis && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined);
  t.is(probe.mode, 'webgpu');
  if (!probe.answers) t.false(probe.real);
  t.log(probe.reason);
});

test.serial("'auto' picks gpu.js only when a real GPU mode answers (here: none, so 'js')", async (t) => {
  t.timeout(20_000);
  const real = await detectRealGpuMode({ timeoutMs: 2000 });
  const resolved = await resolveFiberBackend({ backend: 'auto', timeoutMs: 2000 });
  if (real === null) t.like(resolved, { backend: 'js' });
  else t.like(resolved, { backend: 'gpu.js', mode: real.mode });
  t.log(resolved.reason);
  // gpu.js's cpu mode is never a real GPU, even when asked for by name
  t.like(await resolveFiberBackend({ backend: 'auto', gpuMode: 'cpu' }), { backend: 'js' });
  t.like(await resolveFiberBackend(), { backend: resolved.backend });
});

test("explicit backends: 'js', and 'gpu.js' with or without a mode", async (t) => {
  t.deepEqual(await resolveFiberBackend({ backend: 'js' }), { backend: 'js', reason: 'requested' });
  t.like(await resolveFiberBackend({ backend: 'gpu.js', gpuMode: 'cpu' }), { backend: 'gpu.js', mode: 'cpu' });
  const any = await resolveFiberBackend({ backend: 'gpu.js', timeoutMs: 2000 });
  t.is(any.backend, 'gpu.js');
  await t.throwsAsync(resolveFiberBackend({ backend: 'gpu.js', gpuMode: 'webgl2' }), { message: /gpuMode: gpu.js mode webgl2 does not answer here/ });
});

test('synchronousOnly leaves webgpu out (the solver\'s StepBackend is synchronous)', async (t) => {
  const resolved = await resolveFiberBackend({ backend: 'auto', synchronousOnly: true, timeoutMs: 2000 });
  if (resolved.backend === 'js') t.regex(resolved.reason, /tried headlessgl, webgl2\)/);
  else t.not(resolved.mode, 'webgpu');
  await t.throwsAsync(resolveFiberBackend({ backend: 'gpu.js', gpuMode: 'webgpu', synchronousOnly: true }), {
    message: /gpuMode: webgpu answers asynchronously/,
  });
});

test('bad backend options name the key', async (t) => {
  await t.throwsAsync(resolveFiberBackend({ backend: 'cuda' as never }), { message: /backend: unknown fiber backend "cuda"/ });
  await t.throwsAsync(resolveFiberBackend({ backend: 'gpu.js', gpuMode: 'opencl' as never }), { message: /gpuMode: unknown gpu.js mode "opencl"/ });
});

test('software renderers are not real GPUs', (t) => {
  for (const name of ['Google SwiftShader', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'lavapipe', 'Microsoft Basic Render Driver']) t.true(isSoftwareRenderer(name), name);
  for (const name of ['NVIDIA H100 80GB HBM3', 'ANGLE (NVIDIA, Vulkan 1.3)', 'AMD Radeon RX 7900']) t.false(isSoftwareRenderer(name), name);
});
