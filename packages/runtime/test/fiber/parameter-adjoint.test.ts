import test from 'ava';
import { readControls, withControls } from '@adjoint/runtime/fiber/controls';
import { Float64Backend } from '@adjoint/runtime/fiber/float64';
import type { StepBackend } from '@adjoint/runtime/fiber/backend';
import { gpuJsBackend, GpuJsStepBackend } from '@adjoint/runtime/fiber/gpu/step-backend';
import { FiberStepHooks } from '@adjoint/runtime/fiber/hooks';
import { fiberModel } from '@adjoint/runtime/fiber/model';
import { parseProblem, type FiberProblem } from '@adjoint/runtime/fiber/problem';
import { problemGradient, problemValue } from '@adjoint/runtime/fiber/simulate';
import { ledger } from '@adjoint/runtime/memory/ledger';
import { random, randomArray, threeCoupledModes } from './helpers';

const singleMode = parseProblem({
  version: 1,
  grid: { points: 128, windowPs: 2, centerWavelengthNm: 1550 },
  fiber: { lengthM: 0.05, steps: 20, modes: [{ betas: [0, 0, -0.02, 1e-4] }], gamma: 0.01, raman: { model: 'blow-wood' }, selfSteepening: true },
  pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 6000, modeCoefficients: [1], gddFs2: 200, todFs3: 0 },
  controls: ['fiber.gamma', 'fiber.lengthM', 'fiber.modes.0.betas.2', 'fiber.modes.0.betas.3', 'fiber.raman.fR'],
  objective: { kind: 'bandEnergyFraction', bandNm: [1570, 1700] },
});

test('parameter sums cost fields only when asked for: 5 for the stage record, 2 work fields and 1 per sum, exactly', (t) => {
  const model = fiberModel(singleMode.grid, threeCoupledModes(4));
  const field = 16 * model.modes * model.grid.points;
  const before = ledger.current('buffers');
  const plain = new FiberStepHooks(new Float64Backend(model));
  const none = new FiberStepHooks(new Float64Backend(model), { dispersion: false, nonlinear: false, ramanFraction: false });
  const two = new FiberStepHooks(new Float64Backend(model), { dispersion: true, nonlinear: true, ramanFraction: false });
  try {
    t.is(none.backend.bytesHeld, plain.backend.bytesHeld);
    t.is(two.backend.bytesHeld - plain.backend.bytesHeld, (5 + 2 + 2) * field);
  } finally {
    for (const hooks of [plain, none, two]) hooks.dispose();
  }
  t.is(ledger.current('buffers'), before, 'everything is released');
});

test('a parameter the model switches off has an exactly zero gradient, as its central difference', (t) => {
  for (const [switches, control] of [
    [{ dispersion: false }, 'fiber.modes.0.betas.2'],
    [{ raman: false }, 'fiber.raman.fR'],
    [{ kerr: false }, 'fiber.gamma'],
  ] as const) {
    const problem: FiberProblem = { ...singleMode, controls: [control, 'fiber.lengthM'] };
    const options = { model: { switches } };
    const { gradient } = problemGradient(problem, options);
    const [x, length] = readControls(problem);
    const shifted = (d: number) => problemValue(withControls(problem, [x + d, length]), options);
    t.is(gradient[0], 0, control);
    t.is(shifted(1e-3 * Math.abs(x)) - shifted(-1e-3 * Math.abs(x)), 0, `${control} has no effect with ${JSON.stringify(switches)}`);
    t.not(gradient[1], 0, 'the length still matters');
  }
});

test('the gradient at gamma = 0 is refused, naming the key', (t) => {
  const atZero = withControls(singleMode, [0, 0.05, -0.02, 1e-4, 0.18]);
  t.throws(() => problemGradient(atZero), { message: /^fiber\.gamma: the gradient at gamma_0 = 0 is not available/ });
});

test('gpu.js (cpu mode, float32) gives the fiber gradients of the float64 backend to float32 accuracy; fR is refused there before any step runs', (t) => {
  const backend = gpuJsBackend({ mode: 'cpu' });
  const problem: FiberProblem = { ...singleMode, controls: ['fiber.gamma', 'fiber.lengthM', 'fiber.modes.0.betas.2', 'fiber.modes.0.betas.3'] };
  const want = problemGradient(problem);
  const got = problemGradient(problem, { backend });
  got.gradient.forEach((g, i) => {
    const rel = Math.abs(g - want.gradient[i]) / Math.abs(want.gradient[i]);
    t.log(`${got.controls[i]}: gpu.js ${g.toExponential(6)}, float64 ${want.gradient[i].toExponential(6)}, rel ${rel.toExponential(2)}`);
    t.true(rel < 1e-4, got.controls[i]);
  });
  const before = ledger.current('gpu');
  let steps = 0;
  t.throws(() => problemGradient(singleMode, { backend, checkpoint: { onProgress: () => steps++ } }), {
    message: /^fiber\.raman\.fR: this step backend \(GpuJsStepBackend\) cannot differentiate w\.r\.t\. the Raman fraction; use the js \(float64\) backend/,
  });
  t.is(steps, 0);
  t.is(ledger.current('gpu'), before, 'the refused backend was released');
});

test('gpu.js accumulateProduct adds conj(adjoint)·primal into its accumulator, in place, as the float64 backend does', (t) => {
  const model = fiberModel(singleMode.grid, singleMode.fiber);
  const rand = random(4);
  const data = [0, 1, 2, 3, 4].map(() => randomArray(2 * model.grid.points, rand));
  const results = [new Float64Backend(model), GpuJsStepBackend.openSync(model)].map((b: StepBackend<unknown, unknown>) => {
    try {
      const [acc, a1, p1, a2, p2] = data.map((d) => {
        const f = b.field();
        b.uploadInto(f, d);
        return f;
      });
      b.accumulateProduct(acc, a1, p1);
      b.accumulateProduct(acc, a2, p2);
      return [b.download(acc), b.download(a1)] as Float64Array[];
    } finally {
      b.dispose();
    }
  });
  const [[want, a1], [got, gpuA1]] = results;
  want.forEach((w, i) => {
    const k = i - (i % 2);
    const expected = data[0][i] + conjugateProduct(data[1], data[2], k, i % 2) + conjugateProduct(data[3], data[4], k, i % 2);
    t.true(Math.abs(w - expected) < 1e-12, `float64 entry ${i}`);
    t.true(Math.abs(got[i] - w) < 1e-5 * Math.max(1, Math.abs(w)), `gpu.js entry ${i}: ${got[i]} vs ${w}`);
  });
  t.deepEqual(a1, data[1]);
  t.deepEqual(gpuA1, Float64Array.from(data[1], Math.fround), 'the adjoint operand is left alone');
});

/** The real (part 0) or imaginary (part 1) part of conj(a_k)·b_k, k the index of the real part. */
function conjugateProduct(a: Float64Array, b: Float64Array, k: number, part: number): number {
  return part === 0 ? a[k] * b[k] + a[k + 1] * b[k + 1] : a[k] * b[k + 1] - a[k + 1] * b[k];
}

/**
 * Two exact symmetries of the discrete equation give identities between gradients.
 * A → s·A with gamma_0 → gamma_0/s² leaves |A|²-normalised objectives unchanged, so
 * gamma_0·∂J/∂gamma_0 = P·∂J/∂P: the nonlinear sums against the input spectrum's adjoint,
 * two independent routes. z → s·z with D, gamma_0 → D/s, gamma_0/s leaves the output
 * unchanged, so L·∂J/∂L = Σ beta·∂J/∂beta + gamma_0·∂J/∂gamma_0: both sides use the same
 * dispersion sums, but L weighs them by phi from dispersion.ts and the betas by the
 * hand-written ∂phi/∂beta (reference-mode terms included), which this holds to account.
 */
test('scaling symmetries: gamma·dJ/dgamma = P·dJ/dP and L·dJ/dL = Σ beta·dJ/dbeta + gamma·dJ/dgamma', (t) => {
  const three = threeCoupledModes(20);
  for (const problem of [
    { ...singleMode, controls: ['fiber.gamma', 'pulse.peakPowerW', 'fiber.lengthM', 'fiber.modes.0.betas'] },
    parseProblem({
      ...singleMode,
      fiber: three,
      pulse: { ...singleMode.pulse, peakPowerW: 2e4, modeCoefficients: [1, 0.5, 0.5] },
      objective: { kind: 'targetSpectrum', centerNm: 1560, fwhmNm: 40 },
      controls: ['fiber.n2', 'pulse.peakPowerW', 'fiber.lengthM', 'fiber.modes.0.betas', 'fiber.modes.1.betas', 'fiber.modes.2.betas'],
    }),
  ]) {
    const { gradient, controls } = problemGradient(problem);
    const values = readControls(problem);
    const moment = (i: number) => values[i] * gradient[i];
    const betas = controls.map((c, i) => (c.includes('.betas.') ? moment(i) : 0)).reduce((a, b) => a + b);
    const power = Math.abs(moment(0) - moment(1)) / Math.abs(moment(1));
    const length = Math.abs(moment(2) - (betas + moment(0))) / Math.abs(moment(2));
    t.log(`${controls[0]}: gamma·dJ/dgamma vs P·dJ/dP rel ${power.toExponential(2)}; L·dJ/dL vs Σ rel ${length.toExponential(2)}`);
    t.true(power < 1e-9 && length < 1e-9);
  }
});
