#!/usr/bin/env node
/** The `adjoint` command: `emit` (this package) and `schedule` (the runtime's schedule tool). */
import { runEmitCommand, type Output } from './emit';

export async function main(argv: readonly string[], stdout: Output, stderr: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'emit') return runEmitCommand(rest, stdout, stderr);
  if (command === 'schedule') {
    // loaded only when asked for: it pulls in the schedules module
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runScheduleCommand } = require('@adjoint/runtime/cli/schedule') as typeof import('@adjoint/runtime/cli/schedule');
    return runScheduleCommand(
      [...rest],
      (line) => stdout.write(`${line}\n`),
      (line) => stderr.write(`${line}\n`),
    );
  }
  stderr.write(`${command ? `adjoint: unknown command ${command}\n` : ''}usage: adjoint emit <file.ts...> [--out <dir>] | adjoint emit --check <file.ts...> | adjoint schedule ...\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
