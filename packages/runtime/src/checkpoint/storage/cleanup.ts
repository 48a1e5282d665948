/**
 * Removes snapshot directories when the process is interrupted (SIGINT, SIGTERM) or
 * exits while a disk store is open. The handlers are installed only while at least
 * one directory is open, so they change nothing for programs that never touch disk.
 *
 * A sweep is synchronous, so a signal that arrives during it is only delivered to
 * JavaScript once the sweep returns to the event loop. Removing the handlers at
 * once would make Node drop that pending signal (Ctrl-C would be lost), so removal
 * waits until the event loop has polled for signals once; a pending signal then
 * reaches onSignal, which finds the directories already gone and re-raises it.
 */
import { rmSync } from 'fs';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const openDirs = new Set<string>();
let installed = false;
let uninstallTimer: NodeJS.Immediate | undefined;

export function registerTempDir(dir: string): void {
  openDirs.add(dir);
  if (uninstallTimer) {
    clearImmediate(uninstallTimer);
    uninstallTimer = undefined;
  }
  if (!installed) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('exit', removeAll);
    installed = true;
  }
}

/** Deletes `dir` and everything in it, and stops guarding it. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  openDirs.delete(dir);
  if (openDirs.size === 0 && installed && !uninstallTimer) {
    // Two check phases away: whatever phase we are in now, a poll phase (where pending signals are read) lies between.
    uninstallTimer = setImmediate(() => {
      uninstallTimer = setImmediate(() => {
        uninstallTimer = undefined;
        if (openDirs.size === 0) uninstall();
      });
    });
  }
}

/** Directories guarded now (tests use it to check that nothing is left). */
export function openTempDirs(): string[] {
  return [...openDirs];
}

function removeAll(): void {
  for (const dir of openDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort while the process dies: there is no one left to report to.
    }
  }
  openDirs.clear();
}

function uninstall(): void {
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener('exit', removeAll);
  installed = false;
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  uninstall();
  // With nobody else listening, the default action (terminate) is what the user asked for.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
