export { Tensor, formatShape } from './tensor';
export type { DType, Storage } from './tensor';
export { tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace } from './create';
export type { ArrayData } from './create';
export { broadcastShapes, sizeOf } from './shape';
