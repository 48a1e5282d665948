import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { writeFileAtomic, writeOutputs } from '../../src/fiber/output';
import { listFiles, tempDir } from './helpers';
// The module object itself (not an import namespace copy), so a patched method reaches output.ts.
import nodeFs = require('node:fs');

test('writeOutputs writes every file, creating the directory, and returns their paths', (t) => {
  const dir = path.join(tempDir(t), 'a', 'b');
  const paths = writeOutputs(dir, [
    { name: 'one.txt', data: 'first' },
    { name: 'two.bin', data: Uint8Array.of(1, 2, 3) },
  ]);
  t.deepEqual(paths, [path.join(dir, 'one.txt'), path.join(dir, 'two.bin')]);
  t.deepEqual(listFiles(dir), ['one.txt', 'two.bin']);
  t.is(fs.readFileSync(path.join(dir, 'one.txt'), 'utf8'), 'first');
  t.deepEqual([...fs.readFileSync(path.join(dir, 'two.bin'))], [1, 2, 3]);
});

test('when one file cannot be placed, none is: replaced files come back and no temporary is left', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'keep.txt'), 'old');
  // The third rename (the new keep.txt is placed by the second) fails, as a full disk or a vanished directory would make it.
  const realRename = nodeFs.renameSync;
  let renames = 0;
  nodeFs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
    if (++renames === 3) throw new Error('injected rename failure');
    realRename(from, to);
  }) as typeof fs.renameSync;
  try {
    t.throws(
      () =>
        writeOutputs(dir, [
          { name: 'keep.txt', data: 'new' },
          { name: 'fresh.txt', data: 'fresh' },
        ]),
      { message: 'injected rename failure' },
    );
  } finally {
    nodeFs.renameSync = realRename;
  }
  t.deepEqual(listFiles(dir), ['keep.txt']);
  t.is(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'old');
});

test('a target that exists but is not a file is refused before anything is written', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'blocked.txt'));
  t.throws(() => writeOutputs(dir, [{ name: 'a.txt', data: 'a' }, { name: 'blocked.txt', data: 'x' }]), { message: /blocked\.txt exists and is not a file/ });
  t.deepEqual(listFiles(dir), ['blocked.txt']);
});

test('a directory created for a failed set is removed again', (t) => {
  const root = tempDir(t);
  const dir = path.join(root, 'new', 'deeper');
  const notData = { toString: () => 'x' } as unknown as string; // writeFileSync rejects it
  t.throws(() => writeOutputs(dir, [{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: notData }]));
  t.deepEqual(listFiles(root), []);
});

test('on success, replaced files hold the new data and no backup or temporary remains', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'plot.svg'), 'old');
  writeFileAtomic(path.join(dir, 'plot.svg'), 'new');
  t.deepEqual(listFiles(dir), ['plot.svg']);
  t.is(fs.readFileSync(path.join(dir, 'plot.svg'), 'utf8'), 'new');
});

test('names that are not plain file names, or repeat, are refused before anything is written', (t) => {
  const dir = path.join(tempDir(t), 'out');
  for (const name of ['', '../escape.txt', 'sub/file.txt', '.gmmnlse-tmp-new-x']) {
    t.throws(() => writeOutputs(dir, [{ name, data: 'x' }]), { message: /is not a plain file name/ });
  }
  t.throws(() => writeOutputs(dir, [{ name: 'a', data: '1' }, { name: 'a', data: '2' }]), { message: /"a" is given twice/ });
  t.false(fs.existsSync(dir));
});
