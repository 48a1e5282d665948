import test from 'ava';
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const root = resolve(__dirname, '../../../..');
const fixture = join(__dirname, 'fixtures', 'interrupted-sweep.ts');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  snapshotDir: string;
  filesWhenReady: string[];
}

/** Starts the fixture, sends `signal` once it reports READY, and resolves when it exits. */
function interrupt(mode: 'idle' | 'busy', signal: NodeJS.Signals, parent: string): Promise<Outcome> {
  const flag = join(parent, '..', `${parent.split('/').pop()}.sent`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=adjoint-source', fixture, mode, parent, flag], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let snapshotDir = '';
    let filesWhenReady: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the child did not finish: ${stdout} ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const ready = /READY (\S+)\n/.exec(stdout);
      if (ready && !snapshotDir) {
        snapshotDir = ready[1];
        filesWhenReady = readdirSync(snapshotDir);
        child.kill(signal);
        writeFileSync(flag, '');
      }
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      rmSync(flag, { force: true });
      done({ code, signal: sig, stdout, snapshotDir, filesWhenReady });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} between forward and backward removes the snapshot directory, then the process dies of the signal`, async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'adjoint-signal-test-'));
    try {
      const out = await interrupt('idle', signal, parent);
      t.true(out.filesWhenReady.length > 0, 'snapshots were on disk when the signal came');
      t.is(out.signal, signal);
      t.false(existsSync(out.snapshotDir));
      t.deepEqual(readdirSync(parent), []);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
}

test('SIGINT during a synchronous sweep is not lost: the sweep cleans up, then the process dies of it', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'adjoint-signal-test-'));
  try {
    const out = await interrupt('busy', 'SIGINT', parent);
    t.true(out.filesWhenReady.length > 0);
    t.is(out.signal, 'SIGINT');
    t.false(out.stdout.includes('CONTINUED'));
    t.deepEqual(readdirSync(parent), []);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
