import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeHeapSnapshot } from '@adjoint/runtime/memory/heap';

test('writes a V8 heap snapshot where asked and reports it', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adjoint-heap-'));
  try {
    const lines: string[] = [];
    const file = path.join(dir, 'run.heapsnapshot');
    t.is(writeHeapSnapshot(file, (l) => lines.push(l)), file);
    const head = Buffer.alloc(32);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 32, 0);
    fs.closeSync(fd);
    t.true(head.toString('utf8').startsWith('{"snapshot":'));
    t.regex(lines[0], new RegExp(`^\\[Memory\\] heap snapshot: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\.\\d MB\\)$`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing directory is named in the error', (t) => {
  t.throws(() => writeHeapSnapshot('/nonexistent-adjoint/dir/x.heapsnapshot', () => undefined), {
    message: /directory '\/nonexistent-adjoint\/dir' .* does not exist/,
  });
});
