/** Readable, collision-free names for generated variables (b_h for the adjoint of h). */
export class Namer {
  private readonly taken: Set<string>;
  private readonly counters = new Map<string, number>();
  private readonly adjoints = new Map<string, string>();

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  /** `base` itself if free, else base_1, base_2, ... */
  exact(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** A numbered temporary: mul1, mul2, ... */
  temp(base: string): string {
    for (;;) {
      const n = (this.counters.get(base) ?? 0) + 1;
      this.counters.set(base, n);
      const name = `${base}${n}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }

  /** The adjoint variable of a primal one, the same name wherever it is used. */
  adjoint(primal: string): string {
    let name = this.adjoints.get(primal);
    if (!name) {
      name = this.exact(`b_${primal}`);
      this.adjoints.set(primal, name);
    }
    return name;
  }
}
