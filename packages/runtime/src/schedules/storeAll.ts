/**
 * The baseline: every state the reverse sweep needs (x_0..x_{n-1}, the last one current at
 * the turn) is kept from the forward sweep, so nothing is recomputed: n − 1 advances and
 * n − 1 stored states.
 */
import type { Schedule } from './actions';
import { checkSteps } from './checks';

export function storeAll(steps: number): Schedule {
  checkSteps('storeAll', steps);
  return {
    name: 'store-all',
    steps,
    limits: { ram: Math.max(steps - 1, 0), disk: 0 },
    *actions() {
      for (let i = 0; i < steps - 1; i++) {
        yield { type: 'save', step: i, tier: 'ram' };
        yield { type: 'advance', from: i, to: i + 1 };
      }
      for (let step = steps; step >= 1; step--) {
        if (step < steps) yield { type: 'restore', step: step - 1, tier: 'ram' };
        yield { type: 'reverse', step };
        if (step < steps) yield { type: 'drop', step: step - 1, tier: 'ram' };
      }
      yield { type: 'end' };
    },
  };
}
