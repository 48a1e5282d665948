/** How a DSL call is differentiated: through the VJP table directly, or by taping that one call. */
import { DIRECT_RULES, DSL_OPERATIONS } from '@adjoint/runtime/compiled/primitives';

export function isDslOperation(name: string): boolean {
  return DSL_OPERATIONS.has(name);
}

export function hasDirectRule(name: string): boolean {
  return DIRECT_RULES.has(name);
}
