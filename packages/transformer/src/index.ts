/**
 * @adjoint/transformer: @checkpoint loops and grad() calls compiled into adjoint code.
 * The default export is the ts-patch plugin; adjointTransformer is the plain
 * TransformerFactory for ts.transpileModule and custom pipelines.
 */
import plugin from './plugin';

export { adjointTransformer, type AdjointTransformerOptions } from './transformer';
export { AdjointCompileError, formatDiagnostic, rules, type AdjointDiagnostic } from './diagnostics';
export default plugin;
