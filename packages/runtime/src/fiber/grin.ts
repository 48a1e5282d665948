/**
 * An ideal graded-index fiber: n²(r) = n1²·(1 - 2Δ·r²/a²) without a cladding cut-off.
 * Its scalar modes are Hermite–Gaussian, ψ_mx,my(x, y) = u_mx(x)·u_my(y) with
 * u_m(x) = H_m(x/w)·exp(-x²/(2w²)) normalised, w² = a/(k·n1·sqrt(2Δ)), and
 * β² = k²n1² - 2·k·n1·sqrt(2Δ)·(mx + my + 1)/a (harmonic oscillator). The profiles
 * are evaluated on a grid by the stable three-term recurrence and the overlap tensor
 * S_plmn = ∫ψpψlψmψn / sqrt(Π∫ψ²) by quadrature; S separates into x and y factors,
 * so only 1-D integrals are needed.
 */
import type { FiberSpec, RamanSpec } from './problem';
import { C_M_PER_PS, centerOmega } from './grid';
import { ConfigError, readObject, readPositive, readPositiveInteger, readFiniteArray, requireKey, show } from './validate';

export interface GrinOptions {
  readonly coreRadiusUm: number;
  /** Numerical aperture sqrt(n1² - n_clad²); give this or deltaN. */
  readonly na?: number;
  /** n1 - n_clad; give this or na. */
  readonly deltaN?: number;
  /** Default 1.45. */
  readonly claddingIndex?: number;
  readonly wavelengthNm: number;
  /** Number of modes, lowest order first. */
  readonly modes: number;
  /** m²/W, default 2.3e-20. */
  readonly n2?: number;
  /** Bulk material [beta2, beta3, ...] (ps^n/m), added to every mode's beta_2, beta_3, .... */
  readonly materialBetas?: readonly number[];
  /** Quadrature points per axis (default 2048). */
  readonly quadraturePoints?: number;
}

export interface GrinMode {
  /** Hermite orders along x and y. */
  readonly mx: number;
  readonly my: number;
  readonly label: string;
  /** beta_0..beta_3 (ps^n/m) at the center wavelength. */
  readonly betas: readonly number[];
}

export interface GrinFiber {
  readonly coreIndex: number;
  readonly claddingIndex: number;
  /** Δ = (n1² - n_clad²)/(2·n1²). */
  readonly delta: number;
  /** w, the 1/e field radius of the fundamental mode (µm). */
  readonly modeRadiusUm: number;
  readonly n2: number;
  readonly modes: readonly GrinMode[];
  /** M^4 numbers, row-major S[p][l][m][n], 1/m². */
  readonly overlap: Float64Array;
  /** The mode's normalised field (1/m) at (x, y) in µm. */
  field(mode: number, xUm: number, yUm: number): number;
  /** A problem-file fiber section for this fiber. */
  fiberSpec(lengthM: number, steps: number, raman: RamanSpec, selfSteepening: boolean): FiberSpec;
}

const OPTION_KEYS = ['coreRadiusUm', 'na', 'deltaN', 'claddingIndex', 'wavelengthNm', 'modes', 'n2', 'materialBetas', 'quadraturePoints'];

/** Normalised Hermite functions u_0..u_order at ξ (∫u² dξ = 1). */
export function hermiteFunctions(order: number, xi: number): Float64Array {
  const u = new Float64Array(order + 1);
  u[0] = Math.PI ** -0.25 * Math.exp(-0.5 * xi * xi);
  if (order >= 1) u[1] = Math.SQRT2 * xi * u[0];
  for (let n = 1; n < order; n++) u[n + 1] = Math.sqrt(2 / (n + 1)) * xi * u[n] - Math.sqrt(n / (n + 1)) * u[n - 1];
  return u;
}

/** beta, beta', beta'', beta''' of beta(ω) = sqrt(f(ω)) for a quadratic f, from β² = f. */
function sqrtTaylor(f: number, f1: number, f2: number): number[] {
  const b0 = Math.sqrt(f);
  const b1 = f1 / (2 * b0);
  const b2 = (f2 - 2 * b1 * b1) / (2 * b0);
  const b3 = (-3 * b1 * b2) / b0;
  return [b0, b1, b2, b3];
}

export function grinFiber(options: GrinOptions): GrinFiber {
  const o = readObject(options, 'grin', OPTION_KEYS);
  const a = readPositive(requireKey(o, 'grin', 'coreRadiusUm'), 'grin.coreRadiusUm') * 1e-6;
  const claddingIndex = o.claddingIndex === undefined ? 1.45 : readPositive(o.claddingIndex, 'grin.claddingIndex');
  if (claddingIndex < 1) throw new ConfigError('grin.claddingIndex', `must be at least 1, got ${claddingIndex}`);
  if ((o.na === undefined) === (o.deltaN === undefined)) throw new ConfigError('grin.na', `give exactly one of na and deltaN, got na = ${show(o.na)}, deltaN = ${show(o.deltaN)}`);
  const coreIndex =
    o.na !== undefined ? Math.sqrt(claddingIndex ** 2 + readPositive(o.na, 'grin.na') ** 2) : claddingIndex + readPositive(o.deltaN, 'grin.deltaN');
  const delta = (coreIndex ** 2 - claddingIndex ** 2) / (2 * coreIndex ** 2);
  const wavelengthNm = readPositive(requireKey(o, 'grin', 'wavelengthNm'), 'grin.wavelengthNm');
  const count = readPositiveInteger(requireKey(o, 'grin', 'modes'), 'grin.modes');
  const n2 = o.n2 === undefined ? 2.3e-20 : readPositive(o.n2, 'grin.n2');
  const material = o.materialBetas === undefined ? [] : readFiniteArray(o.materialBetas, 'grin.materialBetas');
  const points = o.quadraturePoints === undefined ? 2048 : readPositiveInteger(o.quadraturePoints, 'grin.quadraturePoints');

  const omega0 = centerOmega(wavelengthNm);
  const k0 = omega0 / C_M_PER_PS;
  const w = Math.sqrt(a / (k0 * coreIndex * Math.sqrt(2 * delta)));

  const orders: [number, number][] = [];
  for (let g = 0; orders.length < count; g++) for (let mx = g; mx >= 0; mx--) orders.push([mx, g - mx]);
  const modes = orders.slice(0, count).map(([mx, my]) => {
    const g = mx + my + 1;
    // f(ω) = (n1·ω/c)² - 2·(n1·ω/c)·sqrt(2Δ)·g/a
    const slope = (2 * coreIndex * Math.sqrt(2 * delta) * g) / (a * C_M_PER_PS);
    const f = (coreIndex * omega0 / C_M_PER_PS) ** 2 - slope * omega0;
    const f1 = (2 * coreIndex ** 2 * omega0) / C_M_PER_PS ** 2 - slope;
    const f2 = (2 * coreIndex ** 2) / C_M_PER_PS ** 2;
    const betas = sqrtTaylor(f, f1, f2).map((b, n) => b + (n >= 2 ? (material[n - 2] ?? 0) : 0));
    for (let n = 4; n < material.length + 2; n++) betas.push(material[n - 2]);
    return { mx, my, label: `HG${mx}${my}`, betas };
  });
  const guided = modes.filter((m) => m.betas[0] > k0 * claddingIndex).length;
  if (guided < count) throw new ConfigError('grin.modes', `${count} requested but only ${guided} of them are guided at ${wavelengthNm} nm`);

  // 1-D quadrature in ξ = x/w over ±(turning point of the highest order + 12)
  const highest = Math.max(...orders.slice(0, count).flat());
  const half = Math.sqrt(2 * highest + 1) + 12;
  const dxi = (2 * half) / (points - 1);
  const samples = Array.from({ length: points }, (_, i) => hermiteFunctions(highest, -half + i * dxi));
  const integral = (p: number, l: number, m: number, n: number): number => {
    if ((p + l + m + n) % 2 === 1) return 0; // odd integrand on a symmetric grid
    let sum = 0;
    for (const u of samples) sum += u[p] * u[l] * u[m] * u[n];
    return sum * dxi; // the ends contribute nothing at ±(turning point + 12)
  };
  const M = count;
  const overlap = new Float64Array(M ** 4);
  const cache = new Map<string, number>();
  const cached = (p: number, l: number, m: number, n: number): number => {
    const key = [p, l, m, n].sort((x, y) => x - y).join(',');
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = integral(p, l, m, n)));
    return value;
  };
  for (let p = 0; p < M; p++)
    for (let l = 0; l < M; l++)
      for (let m = 0; m < M; m++)
        for (let n = 0; n < M; n++) {
          const [P, L, Mm, Nn] = [modes[p], modes[l], modes[m], modes[n]];
          const x = cached(P.mx, L.mx, Mm.mx, Nn.mx);
          const y = cached(P.my, L.my, Mm.my, Nn.my);
          overlap[((p * M + l) * M + m) * M + n] = x === 0 || y === 0 ? 0 : (x * y) / (w * w);
        }

  return {
    coreIndex,
    claddingIndex,
    delta,
    modeRadiusUm: w * 1e6,
    n2,
    modes,
    overlap,
    field(mode, xUm, yUm) {
      const { mx, my } = modes[mode];
      return (hermiteFunctions(mx, (xUm * 1e-6) / w)[mx] * hermiteFunctions(my, (yUm * 1e-6) / w)[my]) / w;
    },
    fiberSpec(lengthM, steps, raman, selfSteepening) {
      return { lengthM, steps, modes: modes.map((m) => ({ betas: m.betas })), n2, overlap: Array.from(overlap), raman, selfSteepening };
    },
  };
}
