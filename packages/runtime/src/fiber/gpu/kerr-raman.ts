import { Destination, DeviceData, DeviceKernel, GpuDevice } from './device';
import { Op } from '../../drive/index';
import { checkShape, DeviceField, fieldShape } from './field';
import { SparseRows } from './couplings';

/*
 * Time-domain Kerr/Raman kernels. gpu.js hoists every local of a kernel to
 * one scope, so names (loop counters included) are unique per kernel. With T_pair = A_m·conj(A_n) and
 * Q_pair = (1 − fR)·T_pair + fR·(h ⊛ T_pair), the nonlinear polarization is
 *   NL_p = Σ_terms S·A_l·Q_pair.
 * Its adjoints follow the Wirtinger rule for a real loss L with cotangents
 * x̄ = ∂L/∂Re x + i·∂L/∂Im x: a map x ↦ J·x + K·conj(x) pulls ȳ back to
 * conj(J)·ȳ + K·conj(ȳ).
 */

const PAIR_PRODUCTS = `function (a, pairs) {
  const q = this.thread.y;
  const j = this.thread.x;
  const m = pairs[2 * q];
  const n = pairs[2 * q + 1];
  const mr = a[0][m][j];
  const mi = a[1][m][j];
  const nr = a[0][n][j];
  const ni = a[1][n][j];
  if (this.thread.z === 0) {
    return mr * nr + mi * ni;
  }
  return mi * nr - mr * ni;
}`;

/** NL_p = Σ_(l, pair, S) in row p: S·A_l·Q_pair. */
const COUPLED_SUM = `function (a, q, table, base) {
  const p = this.thread.y;
  const j = this.thread.x;
  const start = table[p];
  const count = table[p + 1] - start;
  let re = 0;
  let im = 0;
  for (let k = 0; k < count; k++) {
    const at = base + 3 * (start + k);
    const l = table[at];
    const pair = table[at + 1];
    const s = table[at + 2];
    const lr = a[0][l][j];
    const li = a[1][l][j];
    const qr = q[0][pair][j];
    const qi = q[1][pair][j];
    re += s * (lr * qr - li * qi);
    im += s * (lr * qi + li * qr);
  }
  if (this.thread.z === 0) {
    return re;
  }
  return im;
}`;

/** Q̄_pair = Σ_(p, l, S) in row pair: S·conj(A_l)·NL̄_p (NL_p is linear in Q with coefficient S·A_l). */
const PAIR_COTANGENT = `function (a, g, table, base) {
  const q = this.thread.y;
  const j = this.thread.x;
  const start = table[q];
  const count = table[q + 1] - start;
  let re = 0;
  let im = 0;
  for (let k = 0; k < count; k++) {
    const at = base + 3 * (start + k);
    const p = table[at];
    const l = table[at + 1];
    const s = table[at + 2];
    const lr = a[0][l][j];
    const li = a[1][l][j];
    const gr = g[0][p][j];
    const gi = g[1][p][j];
    re += s * (lr * gr + li * gi);
    im += s * (lr * gi - li * gr);
  }
  if (this.thread.z === 0) {
    return re;
  }
  return im;
}`;

/**
 * Ā_q = Σ_(p, pair, S) in factor row q: S·conj(Q_pair)·NL̄_p          (A_q as the factor A_l)
 *     + Σ_(pair, other, c) in pair row q: A_other·(T̄r + i·c·T̄i)     (A_q inside T = A_m·conj(A_n):
 *       c = +1 when q = m, coefficient conj(A_n)ᴴ = A_n; c = −1 when q = n, the conj(dA_n) part).
 */
const MODE_COTANGENT = `function (a, g, q, tBar, factors, factorBase, pairs, pairBase) {
  const mode = this.thread.y;
  const j = this.thread.x;
  let re = 0;
  let im = 0;
  const fStart = factors[mode];
  const fCount = factors[mode + 1] - fStart;
  for (let k = 0; k < fCount; k++) {
    const at = factorBase + 3 * (fStart + k);
    const p = factors[at];
    const pair = factors[at + 1];
    const s = factors[at + 2];
    const qr = q[0][pair][j];
    const qi = q[1][pair][j];
    const gr = g[0][p][j];
    const gi = g[1][p][j];
    re += s * (qr * gr + qi * gi);
    im += s * (qr * gi - qi * gr);
  }
  const pStart = pairs[mode];
  const pCount = pairs[mode + 1] - pStart;
  for (let r = 0; r < pCount; r++) {
    const pAt = pairBase + 3 * (pStart + r);
    const tPair = pairs[pAt];
    const other = pairs[pAt + 1];
    const c = pairs[pAt + 2];
    const tr = tBar[0][tPair][j];
    const ti = c * tBar[1][tPair][j];
    const orr = a[0][other][j];
    const oi = a[1][other][j];
    re += orr * tr - oi * ti;
    im += orr * ti + oi * tr;
  }
  if (this.thread.z === 0) {
    return re;
  }
  return im;
}`;

function loopBound(...rows: SparseRows[]): number {
  return Math.max(1, ...rows.map((r) => r.maxCount));
}

function result(data: DeviceData, n: number, batch: number, owner: DeviceKernel): DeviceField {
  return { data, n, batch, owner };
}

/** T_pair = A_m·conj(A_n) for the listed pairs. */
export class PairProducts {
  private readonly own: DeviceKernel;

  constructor(device: GpuDevice, readonly n: number, readonly modes: number, private readonly pairTable: DeviceData, readonly pairs: number) {
    this.own = device.kernel('kerr.pairs', PAIR_PRODUCTS, fieldShape(n, pairs));
  }

  *run(a: DeviceField, into?: Destination): Op<DeviceField> {
    checkShape(a, this.n, this.modes, this.own.name);
    const kernel = into ? into.kernel(this.own.name, PAIR_PRODUCTS, fieldShape(this.n, this.pairs)) : this.own;
    return result(yield* kernel.run(a.data, this.pairTable), this.n, this.pairs, kernel);
  }
}

/** The coupled Kerr/Raman sum NL_p = Σ S·A_l·Q_pair. */
export class CoupledSum {
  private readonly kernel: DeviceKernel;

  constructor(device: GpuDevice, readonly n: number, readonly pairs: number, private readonly table: DeviceData, private readonly rows: SparseRows) {
    this.kernel = device.kernel('kerr.sum', COUPLED_SUM, fieldShape(n, rows.rows), { loopMaxIterations: loopBound(rows) });
  }

  *run(a: DeviceField, q: DeviceField): Op<DeviceField> {
    checkShape(a, this.n, this.rows.rows, this.kernel.name);
    checkShape(q, this.n, this.pairs, this.kernel.name);
    return result(yield* this.kernel.run(a.data, q.data, this.table, this.rows.base), this.n, this.rows.rows, this.kernel);
  }
}

/** Q̄ from NL̄. */
export class PairCotangent {
  private readonly kernel: DeviceKernel;

  constructor(device: GpuDevice, readonly n: number, readonly modes: number, private readonly table: DeviceData, private readonly rows: SparseRows) {
    this.kernel = device.kernel('kerr.pairCotangent', PAIR_COTANGENT, fieldShape(n, rows.rows), { loopMaxIterations: loopBound(rows) });
  }

  *run(a: DeviceField, nlBar: DeviceField): Op<DeviceField> {
    checkShape(a, this.n, this.modes, this.kernel.name);
    checkShape(nlBar, this.n, this.modes, this.kernel.name);
    return result(yield* this.kernel.run(a.data, nlBar.data, this.table, this.rows.base), this.n, this.rows.rows, this.kernel);
  }
}

/** Ā from NL̄ (through the factor A_l) and T̄ (through the pair products). */
export class ModeCotangent {
  private readonly kernel: DeviceKernel;

  constructor(
    device: GpuDevice,
    readonly n: number,
    readonly pairs: number,
    private readonly factorTable: DeviceData,
    private readonly factorRows: SparseRows,
    private readonly pairTable: DeviceData,
    private readonly pairRows: SparseRows,
  ) {
    this.kernel = device.kernel('kerr.modeCotangent', MODE_COTANGENT, fieldShape(n, factorRows.rows), {
      loopMaxIterations: loopBound(factorRows, pairRows),
    });
  }

  *run(a: DeviceField, nlBar: DeviceField, q: DeviceField, tBar: DeviceField): Op<DeviceField> {
    const modes = this.factorRows.rows;
    checkShape(a, this.n, modes, this.kernel.name);
    checkShape(nlBar, this.n, modes, this.kernel.name);
    checkShape(q, this.n, this.pairs, this.kernel.name);
    checkShape(tBar, this.n, this.pairs, this.kernel.name);
    const data = yield* this.kernel.run(
      a.data,
      nlBar.data,
      q.data,
      tBar.data,
      this.factorTable,
      this.factorRows.base,
      this.pairTable,
      this.pairRows.base,
    );
    return result(data, this.n, modes, this.kernel);
  }
}
