/**
 * Online checkpointing: the loop length n is unknown until the loop condition fails. The
 * forward sweep advances one step at a time; at every state x_m it reaches it is first told
 * whether the loop continues past x_m (actions.ts), and only if it does, decides whether to
 * store x_m and which stored state to give up for it. Once n is known the reverse sweep is
 * offline: each stretch between two stored states is reversed by binomial checkpointing with
 * the slots left to it.
 *
 * What optimal means here. An online schedule advances plainly through x_n before it learns
 * n, i.e. exactly like the offline schedule for n + 1 steps, which could then reverse step
 * n + 1 for free; so no online schedule makes fewer than t(n + 1, s) = t(n, s) + r(n + 1, s)
 * advances. This one makes exactly t(n + 1, s) for every n <= C(s + 2, 2). (It needs to be
 * told about x_m before deciding there: a schedule that must decide to store x_m before it
 * learns whether m = n sometimes gives up a useful state for x_n, and then no placement
 * avoids t(n + 1, s) + 1 at some n <= s + 2.)
 *
 * Placement, n <= C(s + 2, 2): the repetition-2 scheme of Heuveline & Walther (2006) and
 * Stumm & Walther (SISC 2010, Algorithm I). Phase 0 stores x_0..x_{s-1}. Phase k (1 <= k < s)
 * turns the state just after the previous phase into a fixed "pillar" (giving up the newest
 * non-pillar state), then stores the next s − k − 1 states, each giving up the oldest
 * non-pillar one. The pillars end up s + 1, s, s − 1, ... steps apart: each stretch is then
 * short enough to be reversed with every step advanced at most twice.
 *
 * Beyond C(s + 2, 2): Wang, Moin & Iaccarino's dynamic checkpointing (SISC 31(4), 2009), which
 * has no cap on n. Every state is stored; each stored state has a level, and one is
 * dispensable when a later one has a higher level. The newest dispensable state is given up
 * (the new one gets level 0); when none is, the newest state is given up and the new one gets
 * its level + 1. Its cost is not optimal. Measured against the lower bound t(n + 1, s) for
 * s <= 31 and C(s + 2, 2) < n <= min(20·C(s + 2, 2), 20000), the worst ratio lies just past
 * C(s + 2, 2), where the bound is about 2n advances and this scheme makes about 3n, so it grows
 * with s toward 1.5: 1.15× at s = 2, 1.33× at s = 10, 1.42× at s = 31 (and 1.47× at s = 100,
 * measured just past C(s + 2, 2)). The median over those n is about 1.1×, and far beyond
 * C(s + 2, 2) the ratio falls (1.02× at n = 1e5, s = 20). The tests check 1.5×. Deciding takes
 * O(s) time per step.
 */
import type { Action, Schedule } from './actions';
import { beta } from './binomial';
import { checkCount, MAX_STEPS } from './checks';
import { allInRam, binomialReversal } from './revolve';

export function online(snapshots: number): Schedule {
  checkCount('online', 'snapshots', snapshots, 1, 'stored states, counting the initial one');
  if (snapshots > MAX_STEPS) throw new RangeError(`online: snapshots must be at most ${MAX_STEPS} (no loop has more steps), got ${snapshots}`);
  return {
    name: 'online',
    steps: undefined,
    limits: { ram: snapshots, disk: 0 },
    *actions(continues?: boolean): Generator<Action, void, boolean | undefined> {
      const placement = new Placement(snapshots);
      let m = 0;
      let more = loopContinues(continues, 0);
      while (more) {
        const evicted = placement.decide(m);
        if (evicted > 0) yield { type: 'drop', step: evicted, tier: 'ram' };
        if (placement.newest() === m) yield { type: 'save', step: m, tier: 'ram' };
        more = loopContinues(yield { type: 'advance', from: m, to: m + 1 }, m + 1);
        m++;
      }
      if (m > 0) {
        const stored = placement.positions();
        let at = m;
        for (let i = stored.length - 1; i >= 0; i--) {
          yield* binomialReversal(stored[i], i + 1 < stored.length ? stored[i + 1] : m, snapshots - i, at, allInRam, i);
          yield { type: 'drop', step: stored[i], tier: 'ram' };
          at = stored[i];
        }
      }
      yield { type: 'end' };
    },
  };
}

/** The driver's answer about x_m, checked: the schedule cannot go on without it. */
function loopContinues(answer: boolean | undefined, m: number): boolean {
  if (typeof answer !== 'boolean') throw new TypeError(`online: the driver must tell whether the loop continues past x_${m} (a boolean), got ${String(answer)}`);
  return answer;
}

/** The forward placement: which states are stored after deciding at each x_m. */
class Placement {
  /** Stored steps other than 0, oldest first, with their Wang–Moin levels. */
  private readonly steps: number[] = [];
  private readonly levels: number[] = [];
  /** Stumm–Walther state: the current phase k and the step that ends it. Pillars 1..k−1 lead `steps`. */
  private phase = 0;
  private phaseEnd: number;
  /** Last step of the repetition-2 placement and first step of Wang–Moin's; the two steps between store nothing (the pillars serve those stops optimally). */
  private readonly lastRepetition2: number;
  private readonly firstDynamic: number;

  constructor(private readonly slots: number) {
    this.phaseEnd = slots;
    const capacity = beta(2, slots); // C(s + 2, 2)
    this.lastRepetition2 = capacity - 2;
    this.firstDynamic = capacity + 1;
  }

  /** Stored steps, x_0 first. */
  positions(): number[] {
    return [0, ...this.steps];
  }

  newest(): number {
    return this.steps.length > 0 ? this.steps[this.steps.length - 1] : 0;
  }

  /** Decides at x_m: stores m (newest() === m afterwards) or not; returns the step given up, or -1. */
  decide(m: number): number {
    if (m === 0) return -1;
    if (m < this.slots) return this.store(m, -1, 0);
    if (m <= this.lastRepetition2) return this.repetition2(m);
    if (m < this.firstDynamic || this.slots === 1) return -1;
    return this.dynamic(m);
  }

  private repetition2(m: number): number {
    if (m === this.phaseEnd) {
      this.phase++;
      this.phaseEnd += this.slots - this.phase + 1;
      return -1;
    }
    const phaseStart = this.phaseEnd - (this.slots - this.phase + 1);
    if (m === phaseStart + 1) {
      // The newest non-pillar state gives way to the next pillar.
      return this.store(m, this.remove(this.steps.length - 1), 0);
    }
    // The oldest non-pillar state: one left from the previous phase, right after the leading pillars.
    return this.store(m, this.remove(this.phase - 1), 0);
  }

  private dynamic(m: number): number {
    if (this.steps.length < this.slots - 1) return this.store(m, -1, 0);
    let dispensable = -1;
    for (let i = this.steps.length - 1, highestLater = -1; i >= 0; i--) {
      if (this.levels[i] < highestLater) {
        dispensable = i;
        break;
      }
      highestLater = Math.max(highestLater, this.levels[i]);
    }
    if (dispensable >= 0) return this.store(m, this.remove(dispensable), 0);
    const level = this.levels[this.levels.length - 1] + 1;
    return this.store(m, this.remove(this.steps.length - 1), level);
  }

  private remove(index: number): number {
    this.levels.splice(index, 1);
    return this.steps.splice(index, 1)[0];
  }

  private store(m: number, evicted: number, level: number): number {
    this.steps.push(m);
    this.levels.push(level);
    return evicted;
  }
}
