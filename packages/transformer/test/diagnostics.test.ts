/**
 * Every diagnostic of the catalog (src/diagnostics.ts): the construct it names, its
 * message, and its file:line:column. In each snippet `⟦` marks where the diagnostic must
 * point; the marker is removed before compiling.
 */
import test from 'ava';
import { AdjointCompileError, formatDiagnostic, rules, type RuleName } from '../src/diagnostics';
import { diagnosticsOf, transpile } from './harness';

const H = "import { grad, customVjp } from '@adjoint/runtime';\n";
const MARK = '⟦';

/** Snippets that must produce exactly the given diagnostic (first reported) at the marker. */
const cases: Record<RuleName, { source: string; message: RegExp }> = {
  breakInCheckpointedLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < 3; i++) {\n    s = s * 2;\n    if (s > 5) ⟦break;\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /break inside a @checkpoint loop.*move the exit test into the loop condition/,
  },
  continueInCheckpointedLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < 3; i++) {\n    if (s > 5) ⟦continue;\n    s = s * 2;\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /continue inside a @checkpoint loop.*wrap the rest of the body in an if/,
  },
  returnInCheckpointedLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < 3; i++) {\n    s = s * 2;\n    if (s > 5) ⟦return s;\n  }\n  return s;\n}\n`,
    message: /return inside a @checkpoint loop.*return after the loop/,
  },
  breakInLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  for (let i = 0; i < 3; i++) {\n    s = s * 2;\n    if (s > 5) ⟦break;\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /break in a differentiated loop/,
  },
  continueInLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  while (s < 9) {\n    s = s * 2;\n    ⟦continue;\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /continue in a differentiated loop/,
  },
  returnInLoop: {
    source: `${H}export function f(x: number) {\n  for (let i = 0; i < 3; i++) {\n    ⟦return x * i;\n  }\n  return x;\n}\nexport const d = grad(f);\n`,
    message: /return inside a loop of a differentiated function/,
  },
  outerWrite: {
    source: `${H}let calls = 0;\nexport function f(x: number) {\n  ⟦calls = calls + 1;\n  return x * x;\n}\nexport const d = grad(f);\n`,
    message: /assignment to `calls`, which is declared outside the differentiated function/,
  },
  closureInLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  for (let i = 0; i < 3; i++) {\n    const g = ⟦(y: number) => y * 2;\n    s = g(s);\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /function created inside a loop of a differentiated function: move it to a top-level function/,
  },
  nestedFunction: {
    source: `${H}export function f(x: number) {\n  const g = ⟦function (y: number) { return y * 2; };\n  return g(x);\n}\nexport const d = grad(f);\n`,
    message: /function created inside a differentiated function/,
  },
  tryCatch: {
    source: `${H}export function f(x: number) {\n  ⟦try {\n    return x * 2;\n  } catch {\n    return 0;\n  }\n}\nexport const d = grad(f);\n`,
    message: /try\/catch in a differentiated function/,
  },
  classDeclaration: {
    source: `${H}export function f(x: number) {\n  ⟦class Box { v = 1; }\n  return x * new Box().v;\n}\nexport const d = grad(f);\n`,
    message: /class in a differentiated function/,
  },
  accessor: {
    source: `${H}export function f(x: number) {\n  const o = { ⟦get v() { return 2; } };\n  return x * o.v;\n}\nexport const d = grad(f);\n`,
    message: /getter or setter in a differentiated function: use a plain property/,
  },
  asyncCode: {
    source: `${H}⟦export async function f(x: number) {\n  return x * 2;\n}\nexport const d = grad(f);\n`,
    message: /async code .* cannot be differentiated/,
  },
  generator: {
    source: `${H}⟦export function* f(x: number) {\n  yield x;\n}\nexport const d = grad(f as never);\n`,
    message: /generator .* cannot be differentiated/,
  },
  elementWrite: {
    source: `${H}export function f(x: Float64Array) {\n  ⟦x[0] = 2;\n  return x[0] * x[1];\n}\nexport const d = grad(f);\n`,
    message: /mutation of `x` .* build a new array/,
  },
  unknownCall: {
    source: `${H}import { smooth } from './elsewhere';\nexport function f(x: number) {\n  return 2 * ⟦smooth(x);\n}\nexport const d = grad(f);\n`,
    message: /call to `smooth` with differentiated arguments: the compiler cannot see its body/,
  },
  unsupportedMath: {
    source: `${H}export function f(x: number) {\n  return ⟦Math.sinc(x);\n}\nexport const d = grad(f);\n`,
    message: /Math\.sinc has no derivative here/,
  },
  randomness: {
    source: `${H}export function f(x: number) {\n  return x * ⟦Math.random();\n}\nexport const d = grad(f);\n`,
    message: /Math\.random in a differentiated function/,
  },
  unsupportedOperator: {
    source: `${H}export function f(x: number) {\n  return x ⟦% 2;\n}\nexport const d = grad(f);\n`,
    message: /operator `%` on a differentiated value/,
  },
  activeIndex: {
    source: `${H}const table = [1, 2, 3];\nexport function f(x: number) {\n  return x * table[⟦x];\n}\nexport const d = grad(f);\n`,
    message: /index computed from a differentiated value/,
  },
  shadowing: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  for (let i = 0; i < 2; i++) {\n    const ⟦s = i;\n    x = x + s;\n  }\n  return s * x;\n}\nexport const d = grad(f);\n`,
    message: /`s` shadows a variable of an enclosing scope/,
  },
  unsupportedStatement: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  ⟦switch (s) {\n    case 1: s = 2;\n  }\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /switch statement in a differentiated function/,
  },
  unsupportedExpression: {
    source: `${H}export function f(this: { k: number }, x: number) {\n  return x * ⟦this.k;\n}\nexport const d = grad(f);\n`,
    message: /`this`/,
  },
  misplacedMarker: {
    source: `${H}export function f(x: number) {\n  // @checkpoint snapshots=2\n  ⟦const y = x * 2;\n  return y;\n}\n`,
    message: /@checkpoint must be on the line directly before a for or while loop/,
  },
  badOption: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint ⟦snapshots=0\n  for (let i = 0; i < 3; i++) s = s * 2;\n  return s;\n}\n`,
    message: /snapshots= needs an integer >= 1, got `0`; options are snapshots=<n>/,
  },
  noState: {
    source: `${H}export function f(x: number) {\n  // @checkpoint snapshots=2\n  ⟦for (let i = 0; i < 3; i++) {\n    const y = x * i;\n  }\n  return x;\n}\n`,
    message: /@checkpoint loop carries no state/,
  },
  scheduleNeedsLength: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2 schedule=revolve\n  ⟦while (s < 10) s = s * 2;\n  return s;\n}\n`,
    message: /schedule=revolve needs the trip count at loop entry.*use schedule=online/,
  },
  argnums: {
    source: `${H}export function f(x: number, y: number) {\n  return x * y;\n}\nconst which = 1;\nexport const d = grad(f, ⟦which);\n`,
    message: /argument numbers of grad\(\) must be a number literal/,
  },
  argnumRange: {
    source: `${H}export function f(x: number, y: number) {\n  return x * y;\n}\nexport const d = grad(f, ⟦[0, 2]);\n`,
    message: /argument number out of range: f takes 2 parameters, got index 2/,
  },
  invisibleTarget: {
    source: `${H}export function make(g: (x: number) => number) {\n  return grad(⟦g);\n}\n`,
    message: /grad\(g\): the compiler cannot see `g`'s body, so this call falls back to the runtime tape/,
  },
  parameterForm: {
    source: `${H}export function f(⟦{ x }: { x: number }) {\n  return x * x;\n}\nexport const d = grad(f);\n`,
    message: /destructured, default or rest parameter/,
  },
  earlyReturn: {
    source: `${H}export function f(x: number) {\n  {\n    ⟦return x * 2;\n  }\n}\nexport const d = grad(f);\n`,
    message: /return in the middle of a differentiated function/,
  },
  doWhile: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  ⟦do {\n    s = s * 2;\n  } while (s < 5);\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /do\/while loop in a differentiated function: write it as a while loop/,
  },
  forInOf: {
    source: `${H}export function f(xs: number[]) {\n  let s = 0;\n  ⟦for (const x of xs) s = s + x;\n  return s;\n}\nexport const d = grad(f);\n`,
    message: /for-of\/for-in loop .* write an index loop/,
  },
  activeCondition: {
    source: `${H}export function f(x: number) {\n  return (x ⟦|| 1) * 2;\n}\nexport const d = grad(f);\n`,
    message: /`\|\|` used as a value on differentiated operands/,
  },
  spread: {
    source: `${H}export function f(x: number) {\n  const a = [x, x];\n  const b = [⟦...a];\n  return b[0];\n}\nexport const d = grad(f);\n`,
    message: /spread or computed key on a differentiated value/,
  },
  discardedCall: {
    source: `${H}export function f(x: number) {\n  ⟦console.log(x);\n  return x * 2;\n}\nexport const d = grad(f);\n`,
    message: /call whose result is discarded receives differentiated values/,
  },
  customForm: {
    source: `${H}const cube = ⟦customVjp((x: number) => [x * x * x, x] as const);\nexport function f(x: number) {\n  return cube(x);\n}\nexport const d = grad(f);\n`,
    message: /customVjp needs a forward and a backward function/,
  },
  misplacedTape: {
    source: `${H}export function f(x: number) {\n  ⟦// @tape compares schedules\n  const y = x * 2;\n  return y;\n}\n`,
    message: /\/\/ @tape must be on the line directly before a statement that calls grad or valueAndGrad/,
  },
  methodCall: {
    source: `${H}export function f(x: Float64Array) {\n  const y = ⟦x.slice(1);\n  return y[0] * y[1];\n}\nexport const d = grad(f);\n`,
    message: /method call `x\.slice\(\.\.\.\)` on a differentiated value: .* read the elements by index/,
  },
  assignmentInExpression: {
    source: `${H}export function f(x: number) {\n  let y = 0;\n  if ((⟦y = x * 2) > 1) {\n    y = y * 3;\n  }\n  return y;\n}\nexport const d = grad(f);\n`,
    message: /assignment to `y` inside an expression of a differentiated function: write the assignment as a statement of its own/,
  },
  conditionWrite: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  let t = 0;\n  // @checkpoint snapshots=3\n  while ((⟦t = t + 1) < 10) {\n    s = s * 1.1 + x;\n  }\n  return s;\n}\n`,
    message: /assignment to `t` in the condition of a @checkpoint loop: .* update `t` at the end of the loop body/,
  },
  varInCheckpointedLoop: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < 3; i++) {\n    ⟦var last = s;\n    s = s * 2;\n  }\n  return s + last;\n}\n`,
    message: /var inside a @checkpoint loop: .* declare the variable with let before the loop/,
  },
  suspendInCheckpointedLoop: {
    source: `${H}export async function f(x: number) {\n  let s = x;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < 3; i++) {\n    s = s + (⟦await Promise.resolve(i));\n  }\n  return s;\n}\n`,
    message: /await inside a @checkpoint loop: the loop body becomes a synchronous step function; await the values before the loop/,
  },
  closureWrite: {
    source: `${H}export function f(xs: number[][]) {\n  let total = 0;\n  let s = 1;\n  // @checkpoint snapshots=2\n  for (let i = 0; i < xs.length; i++) {\n    xs[i].forEach((v) => {\n      ⟦total += v;\n    });\n    s = s * 2;\n  }\n  return s + total;\n}\n`,
    message: /assignment to `total` inside a function created in a @checkpoint loop: .* return the value from the function/,
  },
  onlineNeedsSnapshots: {
    source: `${H}export function f(x: number) {\n  let s = x;\n  // @checkpoint\n  ⟦while (s < 10) s = s * 2;\n  return s;\n}\n`,
    message: /runs under the online schedule, which needs a snapshot budget: write snapshots=<n>/,
  },
};

function located(marked: string): { source: string; line: number; column: number } {
  const at = marked.indexOf(MARK);
  const before = marked.slice(0, at).split('\n');
  return { source: marked.replace(MARK, ''), line: before.length, column: before[before.length - 1].length + 1 };
}

test('every rule of the catalog has a case here', (t) => {
  t.deepEqual(Object.keys(cases).sort(), Object.keys(rules).sort());
});

for (const [name, c] of Object.entries(cases) as [RuleName, (typeof cases)[RuleName]][]) {
  test(`${rules[name].code} ${name}: message and location`, (t) => {
    const { source, line, column } = located(c.source);
    const found = diagnosticsOf(source, 'src/model.ts');
    const d = found.find((x) => x.code === rules[name].code);
    if (!d) return t.fail(`expected ${rules[name].code}, got: ${found.map(formatDiagnostic).join('\n') || 'nothing'}`);
    t.regex(d.message, c.message);
    t.deepEqual({ file: d.file, line: d.line, column: d.column }, { file: 'src/model.ts', line, column });
    t.is(d.severity, rules[name].severity);
  });
}

test('errors fail the compilation, listing every diagnostic at file:line:column', (t) => {
  const source = `${H}let seen = 0;\nexport function f(x: number) {\n  let s = x;\n  for (let i = 0; i < 3; i++) {\n    if (s > 5) break;\n    seen = i;\n  }\n  return s;\n}\nexport const d = grad(f);\n`;
  const error = t.throws(() => transpile(source, 'src/model.ts'), { instanceOf: AdjointCompileError });
  t.is(error!.diagnostics.length, 2);
  t.regex(error!.message, /^src\/model\.ts:6:16 - error ADJ104: break in a differentiated loop/m);
  t.regex(error!.message, /^src\/model\.ts:7:5 - error ADJ107: assignment to `seen`/m);
});

test('warnings do not fail the compilation and leave the call to the runtime', (t) => {
  const source = located(cases.invisibleTarget.source).source;
  const js = transpile(source, 'src/model.ts', () => undefined);
  t.regex(js, /\(0, runtime_1\.grad\)\(g\)/);
});

const FACTORY = `import { grad, valueAndGrad, sum, mul, type Tensor } from '@adjoint/runtime';
const loss = (scale: number) => (x: Tensor) => sum(mul(x, scale));
export function square(x: number): number {
  return x * x;
}
`;

test('// @tape leaves the grad calls of its statement to the runtime tape, with no warning', (t) => {
  const source = `${FACTORY}export function compare(x: Tensor, scales: number[]) {
  const out: unknown[] = [];
  // @tape: each schedule on the runtime tape
  for (const s of scales) out.push(valueAndGrad(loss(s))(x));
  try {
    // @tape
    out.push(grad(loss(2))(x));
  } finally {
    out.push(0);
  }
  // @tape even where the compiler could see the target
  const d = grad(square);
  return [out, d, grad(loss(3))];
}
`;
  const found = diagnosticsOf(source, 'src/model.ts');
  t.deepEqual(found.map((d) => [d.code, d.line]), [['ADJ130', 18]], 'only the unmarked call warns');
  const js = transpile(source, 'src/model.ts', () => undefined);
  t.regex(js, /\(0, runtime_1\.valueAndGrad\)\(loss\(s\)\)\(x\)/);
  t.regex(js, /\(0, runtime_1\.grad\)\(loss\(2\)\)\(x\)/);
  t.regex(js, /const d = \(0, runtime_1\.grad\)\(square\);/);
  t.notRegex(js, /square_vjp/);
});

test('// @tape on no statement (the end of a block) is misplaced, reported at the comment', (t) => {
  const { source, line, column } = located(`${FACTORY}export function f(x: Tensor) {\n  const g = grad(loss(2));\n  return g(x);\n  ⟦// @tape\n}\n`);
  const found = diagnosticsOf(source, 'src/model.ts');
  t.deepEqual(
    found.map((d) => [d.code, d.severity, d.line, d.column, d.length]),
    [
      ['ADJ140', 'error', line, column, '// @tape'.length],
      ['ADJ130', 'warning', line - 2, 18, 'loss(2)'.length],
    ],
  );
});

test('methods of a differentiated array: mutating ones are mutations, others cannot be seen into, on inactive arrays both are plain code', (t) => {
  const { source, line, column } = located(`${H}export function f(x: Float64Array, n: number) {\n  const scratch = new Float64Array(2);\n  scratch.fill(n);\n  const k = scratch.slice(1)[0];\n  const a = x[0] * x[1] * k;\n  ⟦x.set([a, a]);\n  return a + x[0];\n}\nexport const d = grad(f);\n`);
  t.deepEqual(
    diagnosticsOf(source, 'src/model.ts').map((d) => [d.code, d.line, d.column]),
    [['ADJ115', line, column]],
  );
  const discarded = located(`${H}export function f(x: Float64Array) {\n  ⟦x.toString();\n  return x[0] * x.length;\n}\nexport const d = grad(f);\n`);
  t.deepEqual(
    diagnosticsOf(discarded.source, 'src/model.ts').map((d) => [d.code, d.line, d.column]),
    [['ADJ137', discarded.line, discarded.column]],
  );
});

test('an index updated inside a loop condition is refused too: the reverse sweep reads the index', (t) => {
  const { source, line, column } = located(`${H}export function f(x: Float64Array) {\n  let i = 0;\n  let s = 0;\n  while (⟦i++ < x.length) {\n    s = s + x[i - 1] * x[i - 1];\n  }\n  return s;\n}\nexport const d = grad(f);\n`);
  const found = diagnosticsOf(source, 'src/model.ts');
  t.deepEqual(found.map((d) => [d.code, d.line, d.column]), [['ADJ142', line, column]]);
  t.regex(found[0].message, /assignment to `i` inside an expression/);
});

test('a differentiated value copied with new is refused rather than taken as a constant', (t) => {
  const { source, line, column } = located(`${H}export function f(x: Float64Array) {\n  const y = ⟦new Float64Array(x);\n  return y[0] * y[1];\n}\nexport const d = grad(f);\n`);
  const found = diagnosticsOf(source, 'src/model.ts');
  t.deepEqual(found.map((d) => [d.code, d.line, d.column]), [['ADJ123', line, column]]);
  t.regex(found[0].message, /^new expression on a differentiated value/);
});

test('arguments is refused: arguments[i] aliases a parameter without its adjoint', (t) => {
  const { source, line, column } = located(`${H}export function f(x: number) {\n  return ⟦arguments[0] * x;\n}\nexport const d = grad(f);\n`);
  const found = diagnosticsOf(source, 'src/model.ts');
  t.deepEqual(found.map((d) => [d.code, d.line, d.column]), [['ADJ123', line, column]]);
  t.regex(found[0].message, /^`arguments` on a differentiated value/);
});
