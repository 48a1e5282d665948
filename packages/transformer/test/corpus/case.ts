/** One corpus function: its compiled gradient is checked against finite differences (and the tape). */
export interface Case {
  readonly name: string;
  readonly f: (...args: never[]) => unknown;
  /** grad(f, argnums) as written in the corpus file (compiled, or the tape when loaded untransformed). */
  readonly df: (...args: never[]) => unknown;
  readonly args: () => readonly unknown[];
  readonly argnums: number | readonly number[];
  /** The runtime tape can follow f (DSL operations only): its gradient must match too. */
  readonly tape?: boolean;
  /** df is valueAndGrad: it returns [value, gradient]. */
  readonly withValue?: boolean;
  /** Steps (n) and snapshots (s) of the function's annotated loop, when the step-call count is checked. */
  readonly sweep?: { readonly n: number; readonly s: number };
}

export function def(c: Case): Case {
  return c;
}
