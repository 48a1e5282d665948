import { matmulKernel } from '@adjoint/runtime/ops/kernels/matmul';
import { addKernel } from '@adjoint/runtime/ops/kernels/arith';
import { randn } from '@adjoint/runtime/random/index';
const H = 512;
const W = randn([H, H], { seed: 1 }), h = randn([1, H], { seed: 2 }), g = randn([1, H], { seed: 3 });
function time(name: string, f: () => void, reps = 200) { for (let i = 0; i < 20; i++) f(); const t0 = performance.now(); for (let i = 0; i < reps; i++) f(); console.log(name, ((performance.now() - t0) / reps).toFixed(3), 'ms'); }
time('NN h·W', () => matmulKernel('m', h, W));
time('NT g·Wᵀ', () => matmulKernel('m', g, W, false, true));
time('TN hᵀ·g', () => matmulKernel('m', h, g, true, false));
time('add W+W', () => addKernel(W, W));
time('alloc 2MB', () => new Float64Array(H * H));
