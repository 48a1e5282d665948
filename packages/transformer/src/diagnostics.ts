/**
 * Every construct the compiler refuses, in one catalog: a stable code, the name of the
 * construct and what to write instead. A refusal is a diagnostic at file:line:column,
 * never silently different code.
 */
import ts from 'typescript';

export type Severity = 'error' | 'warning';

export interface AdjointDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly start: number;
  readonly length: number;
  readonly message: string;
}

interface Rule {
  readonly code: string;
  readonly severity: Severity;
  readonly message: (detail: string) => string;
}

const rule = (code: string, message: (detail: string) => string, severity: Severity = 'error'): Rule => ({ code, severity, message });

export const rules = {
  breakInCheckpointedLoop: rule('ADJ101', () => 'break inside a @checkpoint loop: a checkpointed loop cannot exit early; move the exit test into the loop condition (the loop then runs under the online schedule)'),
  continueInCheckpointedLoop: rule('ADJ102', () => 'continue inside a @checkpoint loop: wrap the rest of the body in an if statement instead'),
  returnInCheckpointedLoop: rule('ADJ103', () => 'return inside a @checkpoint loop: assign the result to a variable and return after the loop'),
  breakInLoop: rule('ADJ104', () => 'break in a differentiated loop: put the exit test in the loop condition'),
  continueInLoop: rule('ADJ105', () => 'continue in a differentiated loop: wrap the rest of the body in an if statement instead'),
  returnInLoop: rule('ADJ106', () => 'return inside a loop of a differentiated function: assign the result to a variable and return after the loop'),
  outerWrite: rule('ADJ107', (name) => `assignment to \`${name}\`, which is declared outside the differentiated function: use a local variable and return it`),
  closureInLoop: rule('ADJ108', () => 'function created inside a loop of a differentiated function: move it to a top-level function in this file and call it'),
  nestedFunction: rule('ADJ109', () => 'function created inside a differentiated function: move it to a top-level function in this file and call it (or pass it to checkpoint())'),
  tryCatch: rule('ADJ110', () => 'try/catch in a differentiated function: move the error handling to the caller'),
  classDeclaration: rule('ADJ111', () => 'class in a differentiated function: move it outside and pass plain values, arrays or objects in and out'),
  accessor: rule('ADJ112', () => 'getter or setter in a differentiated function: use a plain property'),
  asyncCode: rule('ADJ113', () => 'async code (async function or await) cannot be differentiated: await the inputs first and differentiate a synchronous function'),
  generator: rule('ADJ114', () => 'generator (function* or yield) cannot be differentiated: collect the values into an array first'),
  elementWrite: rule('ADJ115', (name) => `mutation of \`${name}\` (element or property assignment, or a mutating method such as fill, set or sort) in a differentiated function: build a new array or object literal instead, or use DSL operations`),
  unknownCall: rule('ADJ116', (name) => `call to \`${name}\` with differentiated arguments: the compiler cannot see its body; define it in this file, use a DSL primitive, or wrap it with customVjp`),
  unsupportedMath: rule('ADJ117', (name) => `Math.${name} has no derivative here: use one of exp log sin cos tan tanh sinh cosh sqrt pow abs max min atan2 hypot (Math.floor, ceil, round, trunc and sign are taken as constants)`),
  randomness: rule('ADJ118', () => 'Math.random in a differentiated function: recomputation during the reverse sweep would see different numbers; draw the random values outside and pass them in'),
  unsupportedOperator: rule('ADJ119', (op) => `operator \`${op}\` on a differentiated value: it has no derivative in the subset; use + - * / ** or a Math function (write conditions in if/else or ?:)`),
  activeIndex: rule('ADJ120', () => 'index computed from a differentiated value: indices must be integers that do not depend on the differentiated inputs'),
  shadowing: rule('ADJ121', (name) => `\`${name}\` shadows a variable of an enclosing scope in a differentiated function: rename one of them`),
  unsupportedStatement: rule('ADJ122', (kind) => `${kind} in a differentiated function: not in the differentiable subset; use const/let, assignments, if/else, for and while loops`),
  unsupportedExpression: rule('ADJ123', (kind) => `${kind} on a differentiated value: not in the differentiable subset; use arithmetic, Math functions, DSL primitives, array or object literals and calls to functions in this file`),
  misplacedMarker: rule('ADJ124', () => '@checkpoint must be on the line directly before a for or while loop'),
  badOption: rule('ADJ125', (detail) => `${detail}; options are snapshots=<n> schedule=<name> ram=<n> disk=<n> verbose`),
  noState: rule('ADJ126', () => '@checkpoint loop carries no state: a checkpointed loop must update a variable declared before it (assign the result to it)'),
  scheduleNeedsLength: rule('ADJ127', (name) => `schedule=${name} needs the trip count at loop entry, but this loop's condition is not a fixed bound: use schedule=online or write for (let i = a; i < b; i++)`),
  argnums: rule('ADJ128', () => 'argument numbers of grad() must be a number literal or an array of number literals, e.g. grad(f, [0, 2])'),
  argnumRange: rule('ADJ129', (detail) => `argument number out of range: ${detail}`),
  invisibleTarget: rule(
    'ADJ130',
    (name) => `grad(${name}): the compiler cannot see \`${name}\`'s body, so this call falls back to the runtime tape; pass a function declared in this file (or imported, under tspc), or write \`// @tape\` on the line before the statement to use the tape on purpose`,
    'warning',
  ),
  parameterForm: rule('ADJ131', () => 'destructured, default or rest parameter in a differentiated function: take plain parameters and destructure them in the body'),
  earlyReturn: rule('ADJ132', () => 'return in the middle of a differentiated function: end the function with a single return (if/else branches may each end with one)'),
  doWhile: rule('ADJ133', () => 'do/while loop in a differentiated function: write it as a while loop'),
  forInOf: rule('ADJ134', () => 'for-of/for-in loop in a differentiated function: write an index loop for (let i = 0; i < xs.length; i++)'),
  activeCondition: rule('ADJ135', (op) => `\`${op}\` used as a value on differentiated operands: write the choice with if/else or ?:`),
  spread: rule('ADJ136', () => 'spread or computed key on a differentiated value: write every element or key out'),
  discardedCall: rule('ADJ137', () => 'call whose result is discarded receives differentiated values: a differentiated function must not have side effects; assign the result'),
  customForm: rule('ADJ138', () => 'customVjp needs a forward and a backward function: const name = customVjp(forward, backward)'),
  onlineNeedsSnapshots: rule('ADJ139', () => "this @checkpoint loop's length is unknown at loop entry, so it runs under the online schedule, which needs a snapshot budget: write snapshots=<n>"),
  misplacedTape: rule('ADJ140', () => '// @tape must be on the line directly before a statement that calls grad or valueAndGrad (it leaves those calls to the runtime tape)'),
  methodCall: rule('ADJ141', (name) => `method call \`${name}(...)\` on a differentiated value: the compiler cannot see what it computes; read the elements by index (x[i]), use DSL operations, or wrap the computation with customVjp`),
  assignmentInExpression: rule('ADJ142', (name) => `assignment to \`${name}\` inside an expression of a differentiated function: write the assignment as a statement of its own and use \`${name}\` in the expression (for a loop condition, update it at the end of the loop body)`),
  conditionWrite: rule('ADJ143', (name) => `assignment to \`${name}\` in the condition of a @checkpoint loop: the condition only reads the loop state; update \`${name}\` at the end of the loop body`),
  varInCheckpointedLoop: rule('ADJ144', () => 'var inside a @checkpoint loop: the loop body becomes a step function, out of which var would not reach; declare the variable with let before the loop (or with let/const in the body if only the body uses it)'),
  suspendInCheckpointedLoop: rule('ADJ145', (keyword) =>
    `${keyword} inside a @checkpoint loop: the loop body becomes a synchronous step function; ${keyword === 'yield' ? 'collect the values in the loop state and yield them after the loop' : 'await the values before the loop (e.g. into an array indexed by the loop variable)'}`,
  ),
  closureWrite: rule('ADJ146', (name) => `assignment to \`${name}\` inside a function created in a @checkpoint loop: a checkpointed step may run again while the gradient is computed, repeating that write; return the value from the function and assign it in the loop body`),
} as const;

export type RuleName = keyof typeof rules;

/** Thrown by compiler passes; the transformer turns it into a diagnostic. */
export class CompileError extends Error {
  constructor(readonly diagnostic: AdjointDiagnostic) {
    super(formatDiagnostic(diagnostic));
  }
}

export function diagnose(node: ts.Node, name: RuleName, detail = ''): AdjointDiagnostic {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  const r = rules[name];
  return { code: r.code, severity: r.severity, file: sf.fileName, line: line + 1, column: character + 1, start, length: node.getEnd() - start, message: r.message(detail) };
}

export function fail(node: ts.Node, name: RuleName, detail = ''): never {
  throw new CompileError(diagnose(node, name, detail));
}

export function formatDiagnostic(d: AdjointDiagnostic): string {
  return `${d.file}:${d.line}:${d.column} - ${d.severity} ${d.code}: ${d.message}`;
}

/** Thrown by the transformer when no reporter was given and errors were found. */
export class AdjointCompileError extends Error {
  constructor(readonly diagnostics: readonly AdjointDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'AdjointCompileError';
  }
}
