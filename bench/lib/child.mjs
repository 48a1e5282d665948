/**
 * Runs one benchmark script in a child Node process, so that each benchmark starts with a
 * fresh heap and its RSS and ledger peaks owe nothing to the one before. The child's
 * stdout (its Markdown section) is echoed as it arrives and also collected; its stderr
 * (progress) goes straight to ours.
 */
import { spawn } from 'node:child_process';

/**
 * Resolves with { code, signal, stdout, wallMs, timedOut }; never rejects for a failing
 * child (the caller reports it), only for one that cannot be started.
 */
export function runScript(script, args, { timeoutMs, echo = true } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--expose-gc', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => {
      chunks.push(chunk);
      if (echo) process.stdout.write(chunk);
    });
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ code, signal, stdout: Buffer.concat(chunks).toString('utf8'), wallMs, timedOut });
    });
  });
}
