/**
 * A sequential colour map for the density maps, built here rather than copied: a path
 * through OKLab (Ottosson's perceptual colour space) from near-black violet through
 * magenta, red and orange to pale yellow, like inferno. Lightness rises monotonically
 * along it, chroma is cut to what sRGB can show, and the path is resampled at equal
 * OKLab distances, so equal steps in level look like equal steps in colour.
 */

type Triple = [number, number, number];

/** Table entries; the 8-bit channels cannot resolve finer steps along this path anyway. */
export const COLORMAP_SIZE = 256;

const LIGHTNESS: [number, number] = [0.15, 0.97];
/** Hue angle (degrees) at both ends: violet, then increasing through red (~30 + 360) to yellow. */
const HUE: [number, number] = [285, 460];
/** Chroma before the sRGB cut: greyish at the dark end, saturated in the middle, pale yellow at the top. */
const chromaWanted = (s: number) => 0.03 + 0.16 * Math.sin(Math.PI * Math.min(1, 0.85 * s + 0.05));

function oklabToLinearSrgb([l, a, b]: Triple): Triple {
  const lc = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const mc = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const sc = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * lc - 3.3077115913 * mc + 0.2309699292 * sc,
    -1.2684380046 * lc + 2.6097574011 * mc - 0.3413193965 * sc,
    -0.0041960863 * lc - 0.7034186147 * mc + 1.707614701 * sc,
  ];
}

/** The sRGB transfer function: linear light in [0, 1] to an encoded value in [0, 1]. */
function encodeSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

function oklch(l: number, c: number, hueDegrees: number): Triple {
  const h = (hueDegrees * Math.PI) / 180;
  return [l, c * Math.cos(h), c * Math.sin(h)];
}

const inGamut = (lab: Triple) => oklabToLinearSrgb(lab).every((v) => v >= 0 && v <= 1);

/** The colour at path parameter s in [0, 1], in OKLab, with chroma cut (by bisection) to sRGB's gamut. */
function pathPoint(s: number): Triple {
  const l = LIGHTNESS[0] + (LIGHTNESS[1] - LIGHTNESS[0]) * s;
  const hue = HUE[0] + (HUE[1] - HUE[0]) * s;
  let c = chromaWanted(s);
  if (!inGamut(oklch(l, c, hue))) {
    let [lo, hi] = [0, c];
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (inGamut(oklch(l, mid, hue))) lo = mid;
      else hi = mid;
    }
    c = lo;
  }
  return oklch(l, c, hue);
}

/** COLORMAP_SIZE colours, 3 bytes each, equally spaced in OKLab distance along the path. */
function buildTable(): Uint8Array {
  const fine = 4096;
  const points = Array.from({ length: fine + 1 }, (_, i) => pathPoint(i / fine));
  const arc = new Float64Array(fine + 1);
  for (let i = 1; i <= fine; i++) arc[i] = arc[i - 1] + Math.hypot(...points[i].map((v, k) => v - points[i - 1][k]));
  const table = new Uint8Array(COLORMAP_SIZE * 3);
  let segment = 0;
  for (let entry = 0; entry < COLORMAP_SIZE; entry++) {
    const target = (arc[fine] * entry) / (COLORMAP_SIZE - 1);
    while (segment < fine - 1 && arc[segment + 1] < target) segment++;
    const f = (target - arc[segment]) / (arc[segment + 1] - arc[segment]);
    const lab = points[segment].map((v, k) => v + f * (points[segment + 1][k] - v)) as Triple;
    oklabToLinearSrgb(lab).forEach((v, k) => (table[3 * entry + k] = Math.round(255 * encodeSrgb(Math.min(1, Math.max(0, v))))));
  }
  return table;
}

/** (r, g, b) bytes of entry i (0 = the lowest level) at 3i..3i+2. */
export const COLORMAP: Uint8Array = buildTable();

/** The table entry for a level u in [0, 1] (clamped; NaN counts as the lowest level). */
export function colormapIndex(u: number): number {
  if (!(u > 0)) return 0;
  return Math.min(COLORMAP_SIZE - 1, Math.round(u * (COLORMAP_SIZE - 1)));
}
