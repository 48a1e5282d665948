/**
 * Line-comment markers on statements, read with getLeadingCommentRanges (JSDoc tags on
 * statements are not parsed under tsc; line comments are seen everywhere):
 * - `// @checkpoint snapshots=32 schedule=revolve` on a loop checkpoints it;
 * - `// @tape <reason>` on a statement leaves the grad/valueAndGrad calls in it to the
 *   runtime tape, on purpose and without the ADJ130 warning (e.g. a gradient of a
 *   closure a factory makes, taken to compare schedules on the tape).
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

/** A `// @tape` comment and the statement it is on. */
export interface TapeMarker {
  readonly statement: ts.Statement;
  /** Stands for the comment itself: a misplaced marker is reported there. */
  readonly comment: ts.Node;
}

interface FileMarkers {
  /** @checkpoint markers by loop. */
  readonly markers: Map<ts.Node, Marker>;
  /** @tape markers by statement. */
  readonly tapes: Map<ts.Node, TapeMarker>;
  /** Malformed or misplaced @checkpoint markers, and @tape markers on no statement (one on a statement without a grad call is found by the compiler, which knows the runtime's imports). */
  readonly errors: CompileError[];
}

const MARKER = /^\/\/\s*@checkpoint\b(.*)$/;
const TAPE = /^\/\/\s*@tape\b/;

export function findMarkers(sf: ts.SourceFile): FileMarkers {
  const markers = new Map<ts.Node, Marker>();
  const tapes = new Map<ts.Node, TapeMarker>();
  const errors: CompileError[] = [];
  const text = sf.getFullText();
  const visitList = (statements: readonly ts.Statement[]): void => {
    for (const st of statements) {
      for (const range of ts.getLeadingCommentRanges(text, st.pos) ?? []) {
        if (range.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
        const comment = text.slice(range.pos, range.end);
        if (TAPE.test(comment)) tapes.set(st, { statement: st, comment: pseudoNode(sf, range.pos, comment.length) });
        const m = MARKER.exec(comment);
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
  if (text.includes('@tape')) {
    // a @tape comment that no statement carries (end of a block, inside an expression) applies to nothing
    const attached = new Set([...tapes.values()].map((t) => t.comment.getStart()));
    for (const range of tapeComments(sf)) {
      if (!attached.has(range.pos)) errors.push(new CompileError(diagnose(pseudoNode(sf, range.pos, range.end - range.pos), 'misplacedTape')));
    }
  }
  return { markers, tapes, errors };
}

/** Every `// @tape` line comment in the file, wherever it stands, in source order. */
function tapeComments(sf: ts.SourceFile): ts.CommentRange[] {
  const text = sf.getFullText();
  const found = new Map<number, ts.CommentRange>();
  const scan = (pos: number): void => {
    for (const range of ts.getLeadingCommentRanges(text, pos) ?? []) {
      if (range.kind === ts.SyntaxKind.SingleLineCommentTrivia && TAPE.test(text.slice(range.pos, range.end))) found.set(range.pos, range);
    }
  };
  const visit = (node: ts.Node): void => {
    scan(node.pos);
    ts.forEachChild(node, visit);
    scan(node.end);
  };
  visit(sf);
  return [...found.values()].sort((a, b) => a.pos - b.pos);
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

/** A stand-in node spanning part of a comment, so errors point at the comment or the option itself. */
function pseudoNode(sf: ts.SourceFile, pos: number, length: number): ts.Node {
  return { getSourceFile: () => sf, getStart: () => pos, getEnd: () => pos + length } as unknown as ts.Node;
}
