/**
 * The example problems shipped in packages/examples/problems/ (the files are these
 * builders' output, and a test keeps them equal), plus smaller versions of them for
 * the quick demo and the tests.
 */
import { FWHM_PER_T0, grinFiber, parseProblem, type FiberProblem } from './engine';

interface GridSize {
  /** Time/frequency points (a power of two). */
  readonly points: number;
  readonly windowPs: number;
  /** RK4IP steps over the fiber. */
  readonly steps: number;
  /** Fiber length in m; the example's own when absent. */
  readonly lengthM?: number;
}

/**
 * Single-mode soliton fission with Raman at 1550 nm: a 100 fs sech at 10 kW is a
 * soliton of order N ≈ 4 in this fiber (γ = 0.01 /W/m, β2 = -0.02 ps²/m). It splits
 * within a few cm, sheds a dispersive wave near 1000 nm (β3 > 0), and the strongest
 * fundamental soliton shifts to longer wavelengths by Raman scattering. The controls
 * are the input chirp and power; the objective is the output energy in 1700–1800 nm.
 * The default grid (3 fs resolution) spans 830 nm to beyond 10 µm, so the
 * dispersive wave stays inside it.
 */
export function solitonFission(size: GridSize = { points: 4096, windowPs: 12, steps: 1500 }): FiberProblem {
  return parseProblem({
    version: 1,
    grid: { points: size.points, windowPs: size.windowPs, centerWavelengthNm: 1550 },
    fiber: {
      lengthM: size.lengthM ?? 0.15,
      steps: size.steps,
      modes: [{ betas: [0, 0, -0.02, 0.0001] }],
      gamma: 0.01,
      raman: { model: 'blow-wood' },
      selfSteepening: true,
    },
    pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 10000, modeCoefficients: [1], gddFs2: 0, todFs3: 0 },
    controls: ['pulse.gddFs2', 'pulse.todFs3', 'pulse.peakPowerW'],
    objective: { kind: 'bandEnergyFraction', bandNm: [1700, 1800] },
  });
}

/** The seed's pulse energy and width, as the peak power of a gaussian: E = P0·T0·√π. */
function gaussianPeakPower(energyNJ: number, fwhmFs: number): number {
  const t0Ps = (fwhmFs * 1e-3) / FWHM_PER_T0.gaussian;
  return (energyNJ * 1000) / (t0Ps * Math.sqrt(Math.PI)); // 1 nJ = 1000 W·ps
}

/**
 * The seed's graded-index multimode case: the lowest 10 modes of a 62.5 µm-core GRIN
 * fiber (NA 0.275, silica: β2 = 18.9 fs²/mm, β3 = 41 fs³/mm at 1030 nm), 0.1 m in
 * 2000 steps of 50 µm, 2^14 points over 30 ps, a 200 fs gaussian of 600 nJ. The
 * controls are the 10 mode coefficients of the input; the objective is the output
 * energy near 1300 nm. The overlap tensor and mode betas come from the runtime's
 * GRIN builder (Hermite–Gaussian modes of an ideal parabolic profile).
 */
export function grinMultimode(size: GridSize = { points: 2 ** 14, windowPs: 30, steps: 2000 }): FiberProblem {
  const fiber = grinFiber({ coreRadiusUm: 31.25, na: 0.275, wavelengthNm: 1030, modes: 10, materialBetas: [0.0189, 4.1e-5] });
  return parseProblem({
    version: 1,
    grid: { points: size.points, windowPs: size.windowPs, centerWavelengthNm: 1030 },
    fiber: fiber.fiberSpec(size.lengthM ?? 0.1, size.steps, { model: 'blow-wood' }, true),
    pulse: {
      shape: 'gaussian',
      fwhmFs: 200,
      peakPowerW: Number(gaussianPeakPower(600, 200).toPrecision(6)),
      // An arbitrary start, mostly fundamental, with every mode present so each has a gradient.
      modeCoefficients: [1, 0.5, 0.5, 0.35, 0.3, 0.35, 0.25, 0.2, 0.2, 0.25],
      gddFs2: 0,
      todFs3: 0,
    },
    controls: ['pulse.modeCoefficients'],
    objective: { kind: 'bandEnergyFraction', bandNm: [1250, 1350] },
  });
}

/**
 * Target-spectrum shaping: choose the power, width and chirp of a 1550 nm sech so
 * that the output spectrum (normalised to its maximum) matches a 40 nm wide gaussian
 * at 1620 nm, which needs a Raman self-frequency shift of about 70 nm.
 */
export function targetShaping(size: GridSize = { points: 2048, windowPs: 6, steps: 600 }): FiberProblem {
  return parseProblem({
    version: 1,
    grid: { points: size.points, windowPs: size.windowPs, centerWavelengthNm: 1550 },
    fiber: {
      lengthM: size.lengthM ?? 0.15,
      steps: size.steps,
      modes: [{ betas: [0, 0, -0.02, 0.0001] }],
      gamma: 0.01,
      raman: { model: 'blow-wood' },
      selfSteepening: true,
    },
    pulse: { shape: 'sech', fwhmFs: 100, peakPowerW: 3000, modeCoefficients: [1], gddFs2: 0, todFs3: 0 },
    controls: ['pulse.peakPowerW', 'pulse.fwhmFs', 'pulse.gddFs2'],
    objective: { kind: 'targetSpectrum', centerNm: 1620, fwhmNm: 40 },
  });
}

/** File name in packages/examples/problems/ → builder of its content. */
export const EXAMPLE_PROBLEMS: Readonly<Record<string, () => FiberProblem>> = {
  'soliton-fission.json': () => solitonFission(),
  'grin-multimode-1300.json': () => grinMultimode(),
  'target-spectrum.json': () => targetShaping(),
};

/** A problem as the text of a problem file: indented, with each list of numbers on one line. */
export function problemText(problem: FiberProblem): string {
  const indented = JSON.stringify(problem, null, 2);
  return indented.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, numbers: string) => `[${numbers.split(/,\s*/).join(', ')}]`) + '\n';
}
