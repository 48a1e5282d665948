/**
 * The optimizer's progress bar (cli-progress on stderr, drawn only on a terminal).
 * The optimization runs synchronously, so the bar is redrawn from update() calls,
 * never from timers. Printing a line takes the bar down first (log()), and the next
 * update() draws a fresh one below the line, so bar and lines never overwrite
 * each other.
 */
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';

interface ProgressOptions {
  readonly enabled: boolean;
  /** Where lines go (default console.log). */
  readonly print?: (line: string) => void;
  readonly stream?: NodeJS.WriteStream;
}

const SCALE = 1000;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class ProgressBar {
  private readonly bar: SingleBar | undefined;
  private readonly print: (line: string) => void;
  private readonly began = performance.now();
  private shown = false;

  constructor(options: ProgressOptions) {
    const stream = options.stream ?? process.stderr;
    this.print = options.print ?? ((line) => console.log(line));
    this.bar =
      options.enabled && stream.isTTY
        ? new SingleBar({
            stream,
            format: 'optimize [{bar}] {percentage}% | evaluation {evaluation}/{evaluations} | elapsed {elapsed} | ETA {eta_text}',
            barsize: 30,
            hideCursor: false, // a Ctrl-C kills the synchronous run at once and must not leave the cursor hidden
            clearOnComplete: true,
            gracefulExit: false, // a SIGINT listener would defer Ctrl-C until the synchronous run ends
            etaBuffer: 1,
          })
        : undefined;
  }

  /** `done` evaluations (fractional within the current one) out of `total`. */
  update(done: number, total: number): void {
    if (this.bar === undefined) return;
    const elapsed = (performance.now() - this.began) / 1000;
    const payload = {
      evaluation: Math.min(total, Math.floor(done) + 1),
      evaluations: total,
      elapsed: duration(elapsed),
      eta_text: done > 0 ? duration((elapsed * (total - done)) / done) : '?',
    };
    const value = Math.round((SCALE * done) / total);
    if (!this.shown) {
      this.bar.start(SCALE, value, payload);
      this.shown = true;
    } else this.bar.update(value, payload);
  }

  /** Prints a line above (in place of) the bar. */
  log(line: string): void {
    this.hide();
    this.print(line);
  }

  hide(): void {
    if (this.shown) this.bar?.stop();
    this.shown = false;
  }
}
