/**
 * Two-level (RAM + disk) binomial checkpointing after Stumm & Walther (SISC 31, 2009): run
 * the revolve schedule with s = ram + disk snapshots once, and give each snapshot slot (a
 * depth of revolve's stack of snapshots) a tier for the whole run: the `ram` slots that are
 * written and read most often stay in RAM, the others go to disk. The advances are those of
 * revolve(n, ram + disk), t(n, s); of all slot-to-tier assignments this one moves the fewest
 * states to and from disk (reads and writes counted alike).
 *
 * How often each slot is used is counted by walking the all-RAM schedule once (O(actions)
 * time, O(s) memory), when actions() is first called.
 */
import type { Schedule, Tier } from './actions';
import { checkCount, checkSteps } from './checks';
import { binomialPeak, binomialSchedule, revolve } from './revolve';

export interface Stages {
  /** Snapshot slots in RAM. */
  ram: number;
  /** Snapshot slots on disk. */
  disk: number;
}

export function multistage(steps: number, stages: Stages): Schedule {
  checkSteps('multistage', steps);
  if (typeof stages !== 'object' || stages === null) throw new TypeError(`multistage: stages must be { ram, disk } (snapshot slots per tier), got ${String(stages)}`);
  checkCount('multistage', 'ram', stages.ram, 0, 'snapshot slots in RAM');
  checkCount('multistage', 'disk', stages.disk, 0, 'snapshot slots on disk');
  const { ram, disk } = stages;
  const snapshots = ram + disk;
  checkCount('multistage', 'ram + disk', snapshots, 1, 'stored states, counting the initial one');
  const used = binomialPeak(steps, snapshots);
  let tiers: Tier[] | undefined;
  const tierAt = (depth: number): Tier => (tiers ??= slotTiers(steps, snapshots, ram))[depth];
  return binomialSchedule('multistage', steps, snapshots, tierAt, { ram: Math.min(ram, used), disk: used - Math.min(ram, used) });
}

/** Tier of each stack depth: RAM for the `ram` most used depths. */
function slotTiers(steps: number, snapshots: number, ram: number): Tier[] {
  const uses = slotUses(steps, snapshots);
  const byUse = uses.map((_, depth) => depth).sort((a, b) => uses[b] - uses[a] || a - b);
  const tiers: Tier[] = uses.map(() => 'disk');
  for (const depth of byUse.slice(0, ram)) tiers[depth] = 'ram';
  return tiers;
}

/** Saves plus restores at each stack depth of revolve(steps, snapshots). */
function slotUses(steps: number, snapshots: number): number[] {
  const uses = new Array<number>(binomialPeak(steps, snapshots)).fill(0);
  const depthOf = new Map<number, number>();
  for (const action of revolve(steps, snapshots).actions()) {
    if (action.type === 'save') {
      uses[depthOf.size]++;
      depthOf.set(action.step, depthOf.size);
    } else if (action.type === 'restore') {
      uses[depthOf.get(action.step)!]++;
    } else if (action.type === 'drop') {
      depthOf.delete(action.step);
    }
  }
  return uses;
}
