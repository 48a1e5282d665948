import test from 'ava';
import type { Action } from '@adjoint/runtime/schedules/actions';
import { multistage, optimalAdvances, replay, revolve } from '@adjoint/runtime/schedules/index';
import { advanceTable, collect } from './reference';

const t = advanceTable(300, 20);

test('multistage over all n <= 300, s <= 20 with varied RAM/disk mixes: valid, t(n, s) advances, exact limits', (t2) => {
  let schedules = 0;
  for (let n = 0; n <= 300; n++) {
    for (let s = 1; s <= 20; s++) {
      // Rotate through the mixes so the grid covers ram = 0..s without replaying each (n, s) s + 1 times.
      const ram = (7 * n + 3 * s) % (s + 1);
      const schedule = multistage(n, { ram, disk: s - ram });
      const counts = replay(schedule);
      const overBudget = counts.peakRam > ram || counts.peakDisk > s - ram;
      if (counts.advances !== t[n][s] || counts.reverses !== n || overBudget || counts.peakRam !== schedule.limits.ram || counts.peakDisk !== schedule.limits.disk) {
        t2.fail(`multistage(${n}, ram ${ram}, disk ${s - ram}): ${JSON.stringify(counts)}, limits ${JSON.stringify(schedule.limits)}, t = ${t[n][s]}`);
      }
      schedules++;
    }
  }
  t2.is(schedules, 301 * 20);
});

test('multistage is revolve(n, ram + disk) with tiers assigned: the same steps in the same order', (t2) => {
  const strip = (actions: Action[]) => actions.map((action) => ('tier' in action ? { ...action, tier: 'ram' } : action));
  for (const [n, ram, disk] of [
    [100, 3, 7],
    [57, 0, 6],
    [300, 10, 10],
  ]) {
    t2.deepEqual(strip(collect(multistage(n, { ram, disk }))), collect(revolve(n, ram + disk)));
  }
});

/** Saves + restores at each depth of revolve's stack of snapshots, seen from outside by replaying it. */
function usesByDepth(n: number, s: number): number[] {
  const uses: number[] = [];
  const depthOf = new Map<number, number>();
  replay(revolve(n, s), {
    onAction(action) {
      if (action.type === 'save') {
        const depth = depthOf.size;
        depthOf.set(action.step, depth);
        uses[depth] = (uses[depth] ?? 0) + 1;
      } else if (action.type === 'restore') {
        uses[depthOf.get(action.step)!]++;
      } else if (action.type === 'drop') {
        depthOf.delete(action.step);
      }
    },
  });
  return uses;
}

test('multistage moves the fewest states to and from disk of all slot-to-tier assignments (brute force, n <= 60, s <= 7)', (t2) => {
  let cases = 0;
  for (let n = 2; n <= 60; n++) {
    for (let s = 1; s <= 7; s++) {
      const uses = usesByDepth(n, s);
      for (let ram = 0; ram <= s; ram++) {
        const disk = s - ram;
        let best = Infinity;
        for (let mask = 0; mask < 1 << uses.length; mask++) {
          // Bit d set: depth d on disk.
          let onDisk = 0;
          let io = 0;
          for (let d = 0; d < uses.length; d++) {
            if (mask & (1 << d)) {
              onDisk++;
              io += uses[d];
            }
          }
          if (onDisk <= disk && uses.length - onDisk <= ram) best = Math.min(best, io);
        }
        const counts = replay(multistage(n, { ram, disk }));
        if (counts.saves.disk + counts.restores.disk !== best) t2.fail(`n ${n}, ram ${ram}, disk ${disk}: disk I/O ${counts.saves.disk + counts.restores.disk}, best ${best}`);
        cases++;
      }
    }
  }
  t2.true(cases > 1500);
});

test('n = 4000 on 5 RAM + 15 disk slots: optimal advances, far less disk traffic than all on disk', (t2) => {
  const mixed = replay(multistage(4000, { ram: 5, disk: 15 }));
  const allDisk = replay(multistage(4000, { ram: 0, disk: 20 }));
  t2.is(mixed.advances, optimalAdvances(4000, 20));
  t2.is(mixed.advances, 13976);
  t2.like(mixed, { peakRam: 5, peakDisk: 15 });
  const io = (c: typeof mixed) => c.saves.disk + c.restores.disk;
  t2.true(io(mixed) < 0.5 * io(allDisk), `${io(mixed)} vs ${io(allDisk)}`);
});

test('large n: 1e5 steps replayed, t(n, s) advances within each tier', (t2) => {
  for (const [n, ram, disk] of [
    [100000, 4, 16],
    [100000, 0, 3],
    [65536, 8, 0],
  ]) {
    const counts = replay(multistage(n, { ram, disk }));
    t2.is(counts.advances, optimalAdvances(n, ram + disk), `t(${n}, ${ram} + ${disk})`);
    t2.is(counts.reverses, n);
    t2.deepEqual([counts.peakRam, counts.peakDisk], [ram, disk]);
  }
});

test('bad arguments', (t2) => {
  t2.throws(() => multistage(10, { ram: 0, disk: 0 }), { message: /multistage: ram \+ disk must be an integer >= 1/ });
  t2.throws(() => multistage(10, { ram: -1, disk: 2 }), { message: /multistage: ram must be an integer >= 0 \(snapshot slots in RAM\), got -1/ });
  t2.throws(() => multistage(10, undefined as never), { message: /stages must be \{ ram, disk \}/ });
});
