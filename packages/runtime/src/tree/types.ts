import type { Tensor } from '../tensor/tensor';

/** A leaf of a value tree: the things states, parameters and adjoints are made of. */
export type Leaf = number | Float64Array | Float32Array | Tensor;

/** States, parameters and their adjoints are value trees: leaves inside arrays and plain objects. */
export type Tree = Leaf | readonly Tree[] | { readonly [key: string]: Tree };
