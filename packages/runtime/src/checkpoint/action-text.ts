/** Actions in words: the dolfin-adjoint style lines `verbose` prints, and the short form errors quote. */
import type { Action, Tier } from '../schedules/actions';

const WHERE: Record<Tier, { in: string; from: string }> = {
  ram: { in: 'in memory', from: 'from memory' },
  disk: { in: 'on disk', from: 'from disk' },
};

export function verboseLine(action: Action): string {
  switch (action.type) {
    case 'advance':
      return `Advance from step ${action.from} to step ${action.to}`;
    case 'save':
      return `Checkpoint step ${action.step} ${WHERE[action.tier].in}`;
    case 'restore':
      return `Restore step ${action.step} ${WHERE[action.tier].from}`;
    case 'drop':
      return `Delete checkpoint step ${action.step}`;
    case 'reverse':
      return `Reverse step ${action.step}`;
    case 'end':
      return 'End of reverse sweep';
  }
}

/** "advance(0 -> 3)", "save(5, disk)", "reverse(7)", "end". */
export function actionText(action: Action): string {
  switch (action.type) {
    case 'advance':
      return `advance(${action.from} -> ${action.to})`;
    case 'save':
    case 'restore':
    case 'drop':
      return `${action.type}(${action.step}, ${action.tier})`;
    case 'reverse':
      return `reverse(${action.step})`;
    case 'end':
      return 'end';
  }
}
