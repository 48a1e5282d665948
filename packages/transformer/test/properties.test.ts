/**
 * Property-based tests: random straight-line and loop programs of the differentiable
 * subset (arithmetic, Math functions, compound assignment, reassignment, if/else,
 * tuple destructuring, plain and @checkpoint for/while loops). Every compiled gradient
 * must equal central finite differences, and every checkpointed for loop must call its
 * step n + t(n, s) times. Templates keep values bounded (|v| <= ~2 for |inputs| <= 2)
 * so that finite differences stay accurate.
 */
import test from 'ava';
import fc from 'fast-check';
import { observeSweeps } from '@adjoint/runtime/compiled/support';
import { load } from './harness';
import { finiteDifferences, firstMismatch } from './support/trees';

const SEED = Number(process.env.FC_SEED ?? 20261122);

const TEMPLATES: readonly ((a: string, b: string) => string)[] = [
  (a, b) => `Math.tanh(${a} + ${b})`,
  (a, b) => `Math.sin(${a} * ${b})`,
  (a, b) => `${a} * ${b} * 0.5`,
  (a, b) => `${a} / (1 + ${b} * ${b})`,
  (a, b) => `Math.exp(-${a} * ${a}) + 0.5 * ${b}`,
  (a) => `Math.sqrt(1 + ${a} * ${a}) - 1`,
  (a, b) => `0.5 * Math.log(1 + ${a} * ${a}) - 0.25 * ${b}`,
  (a, b) => `Math.atan2(${a}, 1 + ${b} * ${b})`,
  (a, b) => `Math.cos(${a}) * ${b}`,
  (a, b) => `(${a} - ${b}) * 0.5`,
  (a) => `${a} ** 2 * 0.25`,
  (a, b) => `Math.pow(1 + 0.25 * ${a} * ${a}, 0.5 * ${b})`,
  (a) => `-${a}`,
  (a, b) => `Math.hypot(${a}, ${b}, 1) - 1`,
  (a) => `Math.tan(0.5 * ${a})`,
  (a, b) => `Math.sinh(0.5 * ${a}) * 0.5 + Math.cosh(0.5 * ${b}) - 1`,
  (a) => `Math.expm1(0.3 * ${a})`,
  (a, b) => `(${a} > 0.1 ? ${a} * 0.5 : ${b} * 0.25)`,
];

const COMPOUND: readonly ((w: string, e: string) => string)[] = [
  (w, e) => `${w} += 0.5 * (${e} - ${w});`,
  (w, e) => `${w} -= 0.5 * (${w} - ${e});`,
  (w, e) => `${w} *= Math.tanh(${e});`,
  (w, e) => `${w} /= 1 + (${e}) * (${e});`,
];

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];
const expr = (t: number, a: string, b: string): string => pick(TEMPLATES, t)(a, b);

const HEADER = "import { grad } from '@adjoint/runtime';\n";
const FOOTER = 'export const df = grad(f, [0, 1, 2]);\n';

// ---- straight-line programs ---------------------------------------------------

const step = fc.record({ kind: fc.constantFrom('declare', 'reassign', 'compound'), t: fc.nat(), a: fc.nat(), b: fc.nat(), c: fc.nat() });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function straightLine(steps: readonly Step[]): string {
  const vars = ['x', 'y', 'z'];
  const lines: string[] = [];
  steps.forEach((s, k) => {
    const a = pick(vars, s.a);
    const b = pick(vars, s.b);
    if (s.kind === 'declare' || vars.length === 3) {
      lines.push(`  let v${k} = ${expr(s.t, a, b)};`);
      vars.push(`v${k}`);
    } else if (s.kind === 'reassign') {
      lines.push(`  ${pick(vars, s.c)} = ${expr(s.t, a, b)};`);
    } else {
      lines.push(`  ${pick(COMPOUND, s.t)(pick(vars, s.c), expr(s.t + 1, a, b))}`);
    }
  });
  const [p, q] = vars.slice(-2);
  return `${HEADER}export function f(x: number, y: number, z: number): number {\n${lines.join('\n')}\n  return ${p} * ${q} + x * y * z;\n}\n${FOOTER}`;
}

// ---- loop programs --------------------------------------------------------------

const loopStatement = fc.record({ kind: fc.nat(5), t: fc.nat(), u: fc.nat(), a: fc.nat(), b: fc.nat() });
const loopProgram = fc.record({
  annotated: fc.boolean(),
  form: fc.constantFrom('for', 'while'),
  n: fc.integer({ min: 1, max: 7 }),
  snapshots: fc.integer({ min: 1, max: 4 }),
  body: fc.array(loopStatement, { minLength: 1, maxLength: 4 }),
  inner: fc.option(fc.record({ m: fc.integer({ min: 1, max: 3 }), t: fc.nat(), a: fc.nat() }), { nil: undefined }),
});

type LoopProgram = typeof loopProgram extends fc.Arbitrary<infer T> ? T : never;

function loopSource(p: LoopProgram): string {
  const operands = ['s', 'u', 'x', 'y', 'z', '(0.1 * (i + 1))'];
  const body: string[] = [];
  p.body.forEach((st, k) => {
    const a = pick(operands, st.a);
    const b = pick(operands, st.b);
    switch (st.kind) {
      case 0:
        body.push(`const w${k} = ${expr(st.t, a, b)};`, `s = 0.5 * s + 0.5 * w${k};`);
        break;
      case 1:
        body.push(`u = ${expr(st.t, a, b)};`);
        break;
      case 2:
        body.push(`if (i % 2 === 0) {`, `  s = ${expr(st.t, a, b)};`, `} else {`, `  u = ${expr(st.u, b, a)};`, `}`);
        break;
      case 3:
        body.push(`[s, u] = [${expr(st.t, 'u', a)}, ${expr(st.u, 's', b)}];`);
        break;
      case 4:
        body.push(pick(COMPOUND, st.t)('s', expr(st.u, a, b)));
        break;
      default:
        body.push(`u = 0.5 * u + 0.5 * ${expr(st.t, a, b)};`);
    }
  });
  if (p.inner) body.push(`for (let j = 0; j < ${p.inner.m}; j++) {`, `  s = 0.5 * s + 0.5 * ${expr(p.inner.t, 'u', pick(operands, p.inner.a))};`, `}`);
  const marker = p.annotated ? [`// @checkpoint snapshots=${p.snapshots}`] : [];
  const loop =
    p.form === 'for'
      ? [...marker, `for (let i = 0; i < ${p.n}; i++) {`, ...body.map((l) => `  ${l}`), `}`]
      : [`let i = 0;`, ...marker, `while (i < ${p.n}) {`, ...body.map((l) => `  ${l}`), `  i++;`, `}`];
  return `${HEADER}export function f(x: number, y: number, z: number): number {\n  let s = x;\n  let u = y;\n${loop.map((l) => `  ${l}`).join('\n')}\n  return s * u + s;\n}\n${FOOTER}`;
}

const point = fc.tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }));

function binomialAdvances(n: number, s: number): number {
  const choose = (a: number, b: number): number => {
    let r = 1;
    for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
    return Math.round(r);
  };
  let r = 0;
  while (choose(s + r, s) < n) r++;
  return r * n - choose(s + r, s + 1);
}

function agreesWithFiniteDifferences(source: string, args: readonly number[]): void {
  const m = load(source);
  const mismatch = firstMismatch(m.df(...args), finiteDifferences(m.f, args, [0, 1, 2]));
  if (mismatch) throw new Error(`${mismatch}\n${source}`);
}

test('random straight-line programs: compiled gradients equal finite differences', (t) => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), point, (steps, args) => agreesWithFiniteDifferences(straightLine(steps), args)),
    { numRuns: 60, seed: SEED },
  );
  t.pass();
});

test('random loop programs (plain and @checkpoint, for and while): compiled gradients equal finite differences', (t) => {
  fc.assert(
    fc.property(loopProgram, point, (p, args) => {
      const source = loopSource(p);
      const sweeps: { stepCalls: number }[] = [];
      const stop = observeSweeps((s) => sweeps.push(s.counters));
      try {
        agreesWithFiniteDifferences(source, args);
      } finally {
        stop();
      }
      if (p.annotated && p.form === 'for' && sweeps[0].stepCalls !== p.n + binomialAdvances(p.n, p.snapshots)) {
        throw new Error(`step calls ${sweeps[0].stepCalls} != n + t(n, s) for n = ${p.n}, s = ${p.snapshots}\n${source}`);
      }
    }),
    { numRuns: 60, seed: SEED },
  );
  t.pass();
});
