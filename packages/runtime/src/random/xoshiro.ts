/**
 * xoshiro128** (Blackman & Vigna): a small, fast generator with 128 bits of state,
 * seeded through splitmix32. The whole state is four uint32 words, so it can be
 * captured and restored exactly: checkpoint recomputation replays random draws.
 */

export type RngState = readonly [number, number, number, number];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32: spreads a seed over the state words (an all-zero state would be stuck). */
function splitmix(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new TypeError(`${where}: seed must be a safe integer, got ${String(seed)}`);
  return seed;
}

export class Xoshiro128 {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number) {
    checkSeed(seed, 'Xoshiro128');
    // Both halves of a 53-bit seed matter.
    const next = splitmix(seed ^ Math.imul(Math.floor(seed / 0x100000000), 0x27d4eb2d));
    this.setState([next(), next(), next(), next()]);
  }

  /** The next uint32. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }

  /** Fills `out` with standard normal values (Box-Muller, both values of each pair used). */
  fillNormal(out: { length: number; [i: number]: number }): void {
    for (let i = 0; i < out.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
      const angle = 2 * Math.PI * this.uniform();
      out[i] = r * Math.cos(angle);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(angle);
    }
  }

  getState(): RngState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  setState(state: ArrayLike<number>): void {
    const words = Array.from(state ?? []);
    if (words.length !== 4 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) || words.every((w) => w === 0)) {
      throw new RangeError(`RNG state must be 4 uint32 words, not all zero (as returned by getRngState()), got ${JSON.stringify(words)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w | 0);
  }
}
