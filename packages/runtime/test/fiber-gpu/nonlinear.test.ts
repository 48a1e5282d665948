import test from 'ava';
import { GpuDevice } from '@adjoint/runtime/fiber/gpu/device';
import { runSync } from '@adjoint/runtime/drive/index';
import { downloadField, FieldUpload } from '@adjoint/runtime/fiber/gpu/field';
import { GpuStepProblem, uploadStepOperators } from '@adjoint/runtime/fiber/gpu/step-problem';
import {
  axpy,
  maxAbs,
  norm,
  pulseSpectrum,
  randomPlanes,
  realDot,
  referenceNonlinear,
  relativeError,
  singleModeProblem,
  threeModeProblem,
} from './reference';

const device = GpuDevice.openSync('cpu');
test.after.always(() => device.dispose());

function operatorFor(problem: GpuStepProblem, name: string) {
  const { nonlinear } = runSync(uploadStepOperators(device, problem), name);
  const uploads = [0, 1].map((i) => new FieldUpload(device, `${name}.in${i}`, problem.n, problem.modes));
  return { nonlinear, uploads };
}

const cases: [string, GpuStepProblem][] = [
  ['one mode, Kerr + Raman + self-steepening', singleModeProblem(256)],
  ['one mode, Kerr only (no Raman, no self-steepening)', { ...singleModeProblem(256), ramanFraction: 0, ramanWeights: null, selfSteepening: false }],
  ['three modes with a sparse overlap, Raman and self-steepening', threeModeProblem(256)],
  ['three modes under the solver transform convention (sign +1, scale 1/n)', { ...threeModeProblem(256), transform: { sign: 1, scale: 1 / 256 } }],
];

for (const [name, problem] of cases) {
  test(`N(u) on gpu.js matches the float64 spec formula: ${name}`, (t) => {
    const { nonlinear, uploads } = operatorFor(problem, name);
    const u = pulseSpectrum(problem);
    const got = runSync(
      (function* () {
        return yield* downloadField(yield* nonlinear.apply(yield* uploads[0].upload(u)));
      })(),
      'apply',
    );
    const error = relativeError(got, referenceNonlinear(problem, u));
    t.true(error < 2e-6, `relative error ${error}`);
  });

  test(`vjp of N matches central differences of the float64 N: ${name}`, (t) => {
    const { nonlinear, uploads } = operatorFor(problem, `${name}.vjp`);
    const len = problem.n * problem.modes;
    const u = pulseSpectrum(problem);
    const yBar = randomPlanes(len, 5);
    const scale = 0.5;
    const g = runSync(
      (function* () {
        return yield* downloadField(yield* nonlinear.vjp(yield* uploads[0].upload(u), yield* uploads[1].upload(yBar), scale));
      })(),
      'vjp',
    );
    for (const seed of [21, 22]) {
      const d = randomPlanes(len, seed, maxAbs(u));
      const eps = 1e-6;
      const fd =
        (scale * (realDot(yBar, referenceNonlinear(problem, axpy(eps, d, u))) - realDot(yBar, referenceNonlinear(problem, axpy(-eps, d, u))))) /
        (2 * eps);
      const ad = realDot(g, d);
      t.true(Math.abs(fd - ad) <= 1e-6 * norm(g) * norm(d), `direction ${seed}: finite difference ${fd}, vjp ${ad}`);
    }
  });
}
