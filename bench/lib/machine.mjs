/** What the benchmarks ran on, for the report: the figures mean little without it. */
import os from 'node:os';

const GIB = 1024 ** 3;

export function describeMachine() {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => c.model.trim()))];
  return {
    cpus: cpus.length,
    cpuModel: models.join(' + ') || 'unknown',
    cpuMHz: cpus[0]?.speed ?? 0,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    // Other people's processes share the cores: the load says how much the wall times suffered.
    loadAverage: os.loadavg(),
  };
}

/** Markdown bullet lines; `loadAfter` is os.loadavg() taken when the run ended. */
export function machineLines(machine, loadAfter) {
  const load = (l) => l.map((x) => x.toFixed(2)).join(', ');
  return [
    `- CPU: ${machine.cpus} × ${machine.cpuModel}${machine.cpuMHz ? ` (${machine.cpuMHz} MHz)` : ''}`,
    `- memory: ${(machine.totalMemoryBytes / GIB).toFixed(1)} GiB`,
    `- Node ${machine.node} (V8 ${machine.v8}), ${machine.os}`,
    `- load average (1, 5, 15 min): ${load(machine.loadAverage)} at the start, ${load(loadAfter)} at the end` +
      ` (above ${machine.cpus} means other processes competed for the cores, which stretches wall times but not CPU times)`,
  ];
}
