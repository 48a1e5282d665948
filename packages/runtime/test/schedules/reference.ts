/**
 * Independent references for the schedule tests: the recurrence for t(n, s) solved by
 * dynamic programming (no closed form, no code shared with src/schedules), and a few
 * helpers to run schedules.
 */
import type { Action, Schedule } from '@adjoint/runtime/schedules/actions';

/** t[n][s] for 0 <= n <= maxN, 1 <= s <= maxS, from t(1,s) = 0, t(n,1) = n(n−1)/2, t(n,s) = min_j [j + t(n−j,s−1) + t(j,s)]. */
export function advanceTable(maxN: number, maxS: number): number[][] {
  const t: number[][] = [];
  for (let n = 0; n <= maxN; n++) {
    const row = new Array<number>(maxS + 1).fill(0);
    for (let s = 1; s <= maxS; s++) {
      if (n <= 1) row[s] = 0;
      else if (s === 1) row[s] = (n * (n - 1)) / 2;
      else {
        let best = Infinity;
        for (let j = 1; j < n; j++) best = Math.min(best, j + t[n - j][s - 1] + t[j][s]);
        row[s] = best;
      }
    }
    t.push(row);
  }
  return t;
}

/**
 * All actions of an offline schedule, or of an online one whose loop turns out to have
 * `steps` steps: it is told whether the loop continues past x_0 and, with the answer to
 * each forward advance, past the state reached.
 */
export function collect(schedule: Schedule, steps?: number): Action[] {
  const actions: Action[] = [];
  let forward = schedule.steps === undefined && steps! > 0;
  const generator = schedule.steps === undefined ? schedule.actions(forward) : schedule.actions();
  let answer: boolean | undefined;
  for (let result = generator.next(); !result.done; result = generator.next(answer)) {
    const action = result.value;
    actions.push(action);
    answer = undefined;
    if (forward && action.type === 'advance') {
      answer = action.to < steps!;
      forward = answer;
    }
  }
  return actions;
}
