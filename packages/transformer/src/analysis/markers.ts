/**
 * `// @checkpoint snapshots=32 schedule=revolve` line comments on loops. Read with
 * getLeadingCommentRanges: JSDoc tags on statements are not parsed under tsc, line
 * comments are seen everywhere.
 */
import ts from 'typescript';
import { CompileError, diagnose, fail } from '../diagnostics';

export interface CheckpointOptions {
  snapshots?: number;
  schedule?: string;
  ram?: number;
  disk?: number;
  verbose?: boolean;
}

const SCHEDULE_NAMES = ['revolve', 'online', 'multistage', 'uniform', 'store-all'] as const;

export type CheckpointLoop = ts.ForStatement | ts.WhileStatement;

export interface Marker {
  readonly loop: CheckpointLoop;
  readonly options: CheckpointOptions;
}

const MARKER = /^\/\/\s*@checkpoint\b(.*)$/;

/** Markers in a file, keyed by loop, plus errors for markers that are misplaced or malformed. */
export function findMarkers(sf: ts.SourceFile): { markers: Map<ts.Node, Marker>; errors: CompileError[] } {
  const markers = new Map<ts.Node, Marker>();
  const errors: CompileError[] = [];
  const text = sf.getFullText();
  const visitList = (statements: readonly ts.Statement[]): void => {
    for (const st of statements) {
      for (const range of ts.getLeadingCommentRanges(text, st.pos) ?? []) {
        const m = range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? MARKER.exec(text.slice(range.pos, range.end)) : null;
        if (!m) continue;
        try {
          const options = parseOptions(m[1], sf, range.pos);
          if (!ts.isForStatement(st) && !ts.isWhileStatement(st)) fail(st, 'misplacedMarker');
          markers.set(st, { loop: st, options });
        } catch (e) {
          if (e instanceof CompileError) errors.push(e);
          else throw e;
        }
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) visitList(node.statements);
    else if (ts.isCaseClause(node) || ts.isDefaultClause(node)) visitList(node.statements);
    else if (isLoopOrIf(node)) for (const body of bodies(node)) if (!ts.isBlock(body)) visitList([body]);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { markers, errors };
}

function isLoopOrIf(node: ts.Node): node is ts.IterationStatement | ts.IfStatement | ts.LabeledStatement {
  return ts.isIterationStatement(node, false) || ts.isIfStatement(node) || ts.isLabeledStatement(node);
}

function bodies(node: ts.IterationStatement | ts.IfStatement | ts.LabeledStatement): ts.Statement[] {
  if (ts.isIfStatement(node)) return node.elseStatement ? [node.thenStatement, node.elseStatement] : [node.thenStatement];
  return [node.statement];
}

function parseOptions(text: string, sf: ts.SourceFile, commentPos: number): CheckpointOptions {
  const options: CheckpointOptions = {};
  const at = (token: string): ts.Node => pseudoNode(sf, commentPos + sf.getFullText().slice(commentPos).indexOf(token), token.length);
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value, extra] = token.split('=');
    const bad = (detail: string): never => {
      throw new CompileError(diagnose(at(token), 'badOption', detail));
    };
    if (extra !== undefined) bad(`malformed @checkpoint option \`${token}\``);
    if (key === 'verbose') {
      if (value !== undefined && value !== 'true' && value !== 'false') bad(`verbose takes no value or true/false, got \`${value}\``);
      options.verbose = value !== 'false';
    } else if (key === 'snapshots' || key === 'ram' || key === 'disk') {
      const n = value === undefined ? NaN : Number(value);
      const min = key === 'snapshots' ? 1 : 0;
      if (!Number.isInteger(n) || n < min) bad(`${key}= needs an integer >= ${min}, got \`${value ?? ''}\``);
      options[key] = n;
    } else if (key === 'schedule') {
      if (!SCHEDULE_NAMES.includes(value as (typeof SCHEDULE_NAMES)[number])) bad(`unknown schedule \`${value ?? ''}\` (known: ${SCHEDULE_NAMES.join(', ')})`);
      options.schedule = value;
    } else {
      bad(`unknown @checkpoint option \`${key}\``);
    }
  }
  return options;
}

/** A stand-in node spanning part of a comment, so option errors point at the option itself. */
function pseudoNode(sf: ts.SourceFile, pos: number, length: number): ts.Node {
  return { getSourceFile: () => sf, getStart: () => pos, getEnd: () => pos + length } as unknown as ts.Node;
}
