/** The `adjoint` command: emit (print, --out, --check) and the schedule dispatch. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../src/cli/main';

function capture(): { write(text: string): void; text(): string } {
  const chunks: string[] = [];
  return { write: (s) => void chunks.push(s), text: () => chunks.join('') };
}

const GOOD = `import { grad } from '@adjoint/runtime';
export function energy(x: number, v: number): number {
  let e = 0;
  // @checkpoint snapshots=2
  for (let i = 0; i < 8; i++) {
    [x, v] = [x + 0.1 * v, v - 0.1 * x];
    e += x * x + v * v;
  }
  return e;
}
export const dEnergy = grad(energy, [0, 1]);
`;

const BAD = `import { grad } from '@adjoint/runtime';
export function f(x: number): number {
  let s = x;
  // @checkpoint snapshots=2
  for (let i = 0; i < 8; i++) {
    if (s > 4) break;
    s = s * 2;
  }
  return s;
}
export const d = grad(f);
`;

async function withFiles(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  // inside the package (git-ignored), like every temporary directory of these tests
  const dir = mkdtempSync(join(__dirname, '..', '.adjoint-tmp-cli-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('emit prints the file with its generated gradient code', (t) =>
  withFiles({ 'energy.ts': GOOD }, async (dir) => {
    const out = capture();
    const err = capture();
    t.is(await main(['emit', join(dir, 'energy.ts')], out, err), 0);
    const code = out.text();
    t.is(err.text(), '');
    t.regex(code, /^export function energy\(x: number, v: number\): number \{$/m, 'the user code keeps its types');
    t.regex(code, /^ {2}\[x, v, e\] = adjoint\.checkpointedLoop\(\(\[x, v, e\], index\) => \{$/m, '2-space indentation');
    t.regex(code, /^function energy_vjp\(x, v\) \{$/m);
    t.regex(code, /\/\/ grad of: e \+= x \* x \+ v \* v/);
    t.regex(code, /export const dEnergy = \(x, v\) => \{/);
  }));

test('emit --out writes each file into the directory', (t) =>
  withFiles({ 'energy.ts': GOOD }, async (dir) => {
    const out = capture();
    t.is(await main(['emit', join(dir, 'energy.ts'), '--out', join(dir, 'out')], out, capture()), 0);
    t.regex(out.text(), /wrote .*out[\\/]energy\.ts/);
    t.regex(readFileSync(join(dir, 'out', 'energy.ts'), 'utf8'), /function energy_vjp/);
  }));

test('emit --check passes when every loop and grad call compiles', (t) =>
  withFiles({ 'energy.ts': GOOD }, async (dir) => {
    const out = capture();
    t.is(await main(['emit', '--check', join(dir, 'energy.ts')], out, capture()), 0);
    t.regex(out.text(), /1 file compiled/);
  }));

test('emit --check fails with the diagnostics at file:line:column', (t) =>
  withFiles({ 'energy.ts': GOOD, 'bad.ts': BAD }, async (dir) => {
    const err = capture();
    t.is(await main(['emit', '--check', join(dir, 'energy.ts'), join(dir, 'bad.ts')], capture(), err), 1);
    t.regex(err.text(), /bad\.ts:6:16 - error ADJ101: break inside a @checkpoint loop/);
  }));

test('emit --check also fails on a grad call that falls back to the tape', (t) =>
  withFiles({ 'opaque.ts': "import { grad } from '@adjoint/runtime';\nexport const make = (f: (x: number) => number) => grad(f);\n" }, async (dir) => {
    const err = capture();
    t.is(await main(['emit', '--check', join(dir, 'opaque.ts')], capture(), err), 1);
    t.regex(err.text(), /opaque\.ts:2:56 - warning ADJ130: grad\(f\)/);
  }));

test('emit resolves grad of a function imported from another given file', (t) =>
  withFiles(
    {
      'model.ts': 'export function energy(x: number, k: number): number {\n  return k * x * x + Math.sin(x);\n}\n',
      'main.ts': "import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, 0);\n",
    },
    async (dir) => {
      const out = capture();
      const err = capture();
      t.is(await main(['emit', join(dir, 'main.ts'), join(dir, 'model.ts')], out, err), 0, err.text());
      const code = out.text();
      t.regex(code, /import \* as energy_module from '\.\/model';/);
      t.regex(code, /export const dEnergy = \(x, k\) => \{\n\s+const \[value, pullback\] = energy_module\.energy_vjp_10\(x, k\);/);
      t.regex(code, /export function energy_vjp_10\(x, k\) \{/);
    },
  ));

test('emit leaves grad of a function from a file it was not given to the tape, with a warning', (t) =>
  withFiles(
    {
      'model.ts': 'export function energy(x: number, k: number): number {\n  return k * x * x;\n}\n',
      'main.ts': "import { grad } from '@adjoint/runtime';\nimport { energy } from './model';\nexport const dEnergy = grad(energy, 0);\n",
    },
    async (dir) => {
      const out = capture();
      const err = capture();
      t.is(await main(['emit', join(dir, 'main.ts')], out, err), 0);
      t.regex(err.text(), /main\.ts:3:29 - warning ADJ130: grad\(energy\)/);
      t.regex(out.text(), /export const dEnergy = grad\(energy, 0\);/);
    },
  ));

test('bad command lines are refused with usage', async (t) => {
  const err = capture();
  t.is(await main(['emit'], capture(), err), 2);
  t.regex(err.text(), /no input files\nusage: adjoint emit/);
  const err2 = capture();
  t.is(await main(['emit', 'x.ts', '--frobnicate'], capture(), err2), 2);
  t.regex(err2.text(), /unknown option --frobnicate/);
  const err3 = capture();
  t.is(await main(['emit', 'no/such/file.ts'], capture(), err3), 2);
  t.regex(err3.text(), /no such file: no\/such\/file\.ts/);
  const err4 = capture();
  t.is(await main(['launch'], capture(), err4), 2);
  t.regex(err4.text(), /unknown command launch/);
});

test('schedule is dispatched to the runtime schedule tool', async (t) => {
  const out = capture();
  t.is(await main(['schedule', '--steps', '10', '--snapshots', '3'], out, capture()), 0);
  t.regex(out.text(), /10/);
  const [badOut, badErr] = [capture(), capture()];
  t.is(await main(['schedule'], badOut, badErr), 2);
  t.regex(badErr.text(), /--steps is required/);
  t.is(badOut.text(), '', 'errors go to stderr, so --json output stays parseable');
});
