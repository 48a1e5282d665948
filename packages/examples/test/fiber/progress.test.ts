import { PassThrough } from 'node:stream';
import test from 'ava';
import { ProgressBar } from '../../src/fiber/progress';

function fakeTerminal(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 200;
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, written: () => text };
}

test('on a terminal the bar shows evaluations done of the budget, and a logged line takes it down first', async (t) => {
  const { stream, written } = fakeTerminal(true);
  const lines: string[] = [];
  const bar = new ProgressBar({ enabled: true, stream, print: (line) => lines.push(`${written().length}:${line}`) });
  bar.update(1.5, 5);
  await new Promise((resolve) => setImmediate(resolve));
  t.regex(written(), /optimize \[=+-+\] 30% \| evaluation 2\/5 \|/);
  const before = written().length;
  bar.log('evaluation 1: loss 0.5');
  await new Promise((resolve) => setImmediate(resolve));
  t.true(written().length > before, 'stopping the bar clears its line');
  t.deepEqual(lines, [`${written().length}:evaluation 1: loss 0.5`]);
  bar.hide();
});

test('off a terminal, or with --no-progress, nothing is drawn but lines still print', async (t) => {
  for (const [isTTY, enabled] of [
    [false, true],
    [true, false],
  ]) {
    const { stream, written } = fakeTerminal(isTTY);
    const lines: string[] = [];
    const bar = new ProgressBar({ enabled, stream, print: (line) => lines.push(line) });
    bar.update(2, 4);
    bar.log('a line');
    bar.hide();
    await new Promise((resolve) => setImmediate(resolve));
    t.is(written(), '');
    t.deepEqual(lines, ['a line']);
  }
});
