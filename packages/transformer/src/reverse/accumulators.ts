/**
 * Which adjoints generated code only ever adds into: those of active variables that are
 * never assigned (parameters and captured values the function only reads), whose
 * adjoint no statement reads back until the pullback returns it. They become runtime
 * accumulators, which sum in place (one buffer for a whole loop of steps, not one per
 * step). Values read by element or property keep the plain form: their adjoints are
 * built by addAt.
 */
import type { Op, Stmt, Unit } from '../anf/ir';

export function accumulatedOnly(unit: Unit, numbers: ReadonlySet<string>): Set<string> {
  const candidates = new Set<string>();
  const excluded = new Set<string>();
  const visitUnit = (u: Unit): void => {
    for (const v of u.active) candidates.add(v);
    if (u.result.kind === 'var') excluded.add(u.result.name);
    visit(u.body);
  };
  const visitOp = (op: Op): void => {
    if (op.kind === 'get' && op.from.kind === 'var') excluded.add(op.from.name);
    if (op.kind === 'region' && op.unit) visitUnit(op.unit);
  };
  const visit = (stmts: readonly Stmt[]): void => {
    for (const st of stmts) {
      switch (st.kind) {
        case 'assign':
          excluded.add(st.target);
          visitOp(st.op);
          break;
        case 'if':
          visit(st.then);
          visit(st.else);
          break;
        case 'for':
        case 'while':
          visit(st.body);
          break;
        case 'checkpointed':
          for (const s of st.info.state) excluded.add(s);
          visitUnit(st.step);
          break;
        default:
          break;
      }
    }
  };
  visitUnit(unit);
  return new Set([...candidates].filter((v) => !excluded.has(v) && !numbers.has(v)));
}
