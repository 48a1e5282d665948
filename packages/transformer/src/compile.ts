/**
 * One file through the compiler: find @checkpoint loops and grad calls, generate the VJP
 * functions they need (the functions they differentiate and every same-file function
 * those call, per pattern of active arguments), and rewrite the file.
 */
import ts from 'typescript';
import { analyzeActivity } from './analysis/activity';
import { analyzeLoop } from './analysis/loops';
import { findMarkers, type TapeMarker } from './analysis/markers';
import { exportedVjpName, foreignFunction, foreignRequests, importSpecifierOf } from './analysis/program';
import { readModule, skipParens, type FunctionNode, type ModuleScope, type TopLevelFunction } from './analysis/module';
import { declaredNames, readNames } from './analysis/references';
import { checkSubset } from './analysis/subset';
import { lowerUnit } from './anf/lower';
import { CompileError, diagnose, type AdjointDiagnostic } from './diagnostics';
import * as b from './emit/build';
import { Namer } from './emit/names';
import { generateVjpBody, type GenerateContext } from './reverse/generate';
import { accumulatedOnly } from './reverse/accumulators';
import { annotatedNumbers, inferNumbers } from './reverse/numbers';
import { isDslOperation } from './reverse/primitives';
import { containsGradCall, gradCallOf, gradientFunction, type GradCall } from './rewrite/grad';
import { customParts, type CustomParts } from './rewrite/custom';
import { loopParts, plainLoopCall } from './rewrite/loops';

const SUPPORT_MODULE = '@adjoint/runtime/compiled/support';

interface VjpJob {
  readonly fn: TopLevelFunction;
  readonly active: readonly boolean[];
  readonly name: string;
  /** Requested by another file: exported. */
  readonly exported: boolean;
  declaration?: ts.FunctionDeclaration;
}

export function compileFile(sf: ts.SourceFile, ctx: ts.TransformationContext, report: (d: AdjointDiagnostic) => void, program?: ts.Program): ts.SourceFile {
  const text = sf.text;
  const foreign = program ? foreignRequests(program, sf) : new Map<string, boolean[][]>();
  if (!text.includes('@checkpoint') && !text.includes('@tape') && !text.includes('@adjoint/runtime') && foreign.size === 0) return sf;
  // the same construct can be refused by two passes (the subset check and the loop rewrite): report it once
  const seen = new Set<string>();
  const once = (d: AdjointDiagnostic): void => {
    const key = `${d.code}@${d.start}`;
    if (!seen.has(key)) {
      seen.add(key);
      report(d);
    }
  };
  return new FileCompiler(sf, ctx, once, program, foreign).run();
}

class FileCompiler {
  private readonly scope: ModuleScope;
  private readonly namer: Namer;
  private readonly runtime: string;
  private readonly indexName: string;
  private readonly jobs = new Map<string, VjpJob>();
  private readonly queue: VjpJob[] = [];
  private readonly failed = new Set<TopLevelFunction>();
  private readonly customs = new Map<string, CustomParts>();
  /** Namespace imports of other files whose exported VJPs this file calls, by module specifier. */
  private readonly foreignImports = new Map<string, string>();
  private changed = false;
  /** Statements marked `// @tape`: their grad calls stay the runtime's. */
  private readonly tapes: ReadonlyMap<ts.Node, TapeMarker>;
  /** How many @tape statements enclose the node being visited. */
  private onTape = 0;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly ctx: ts.TransformationContext,
    private readonly report: (d: AdjointDiagnostic) => void,
    private readonly program: ts.Program | undefined,
    private readonly foreign: ReadonlyMap<string, boolean[][]>,
  ) {
    const { markers, tapes, errors } = findMarkers(sf);
    for (const e of errors) report(e.diagnostic);
    this.scope = readModule(sf, markers, isDslOperation);
    this.tapes = tapes;
    for (const tape of tapes.values()) if (!containsGradCall(tape.statement, this.scope.imports)) report(diagnose(tape.comment, 'misplacedTape'));
    this.namer = new Namer(this.scope.identifiers);
    this.runtime = this.namer.exact('adjoint');
    this.indexName = this.namer.exact('index');
  }

  run(): ts.SourceFile {
    this.exportRequested();
    const statements = ts.visitNodes(this.sf.statements, this.visit, ts.isStatement);
    this.drain();
    if (!this.changed) return this.sf;
    const out: ts.Statement[] = [];
    const byStatement = new Map<ts.Statement, VjpJob[]>();
    for (const job of this.jobs.values()) {
      if (!job.declaration) continue;
      byStatement.set(job.fn.statement, [...(byStatement.get(job.fn.statement) ?? []), job]);
    }
    const original = this.sf.statements;
    let lastImport = -1;
    original.forEach((st, i) => ts.isImportDeclaration(st) && (lastImport = i));
    statements.forEach((st, i) => {
      out.push(...this.withCustomParts(st));
      if (i === lastImport) out.push(...this.importDeclaration());
      for (const job of byStatement.get(original[i]) ?? []) out.push(job.declaration!);
    });
    if (lastImport < 0) out.unshift(...this.importDeclaration());
    return ts.factory.updateSourceFile(this.sf, out);
  }

  /** A top-level customVjp declaration with its forward and backward named (see rewrite/custom). */
  private withCustomParts(st: ts.Statement): ts.Statement[] {
    if (!ts.isVariableStatement(st) || !st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && this.customs.has(d.name.text))) return [st];
    const hoisted: ts.Statement[] = [];
    const declarations = st.declarationList.declarations.map((d) => {
      const parts = ts.isIdentifier(d.name) ? this.customs.get(d.name.text) : undefined;
      if (!parts) return d;
      hoisted.push(...parts.hoisted);
      return ts.factory.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, parts.initializer);
    });
    return [...hoisted, ts.factory.updateVariableStatement(st, st.modifiers, ts.factory.updateVariableDeclarationList(st.declarationList, declarations))];
  }

  private customPartsOf(name: string): CustomParts {
    let parts = this.customs.get(name);
    if (!parts) {
      parts = customParts(name, this.scope.customs.get(name)!, this.namer);
      this.customs.set(name, parts);
    }
    return parts;
  }

  private importDeclaration(): ts.Statement[] {
    const f = ts.factory;
    const namespace = (name: string, specifier: string): ts.ImportDeclaration =>
      f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(b.id(name))), b.str(specifier));
    return [namespace(this.runtime, SUPPORT_MODULE), ...[...this.foreignImports].map(([specifier, name]) => namespace(name, specifier))];
  }

  /** VJPs other files of the program ask for (see analysis/program): generated first, under their agreed names. */
  private exportRequested(): void {
    for (const [name, masks] of this.foreign) {
      const fn = this.scope.functions.get(name);
      if (!fn) continue;
      for (const mask of [...masks].sort((x, y) => x.join().localeCompare(y.join()))) {
        this.request(fn, mask, exportedVjpName({ file: this.sf, name }, mask));
        this.changed = true;
      }
    }
  }

  private readonly visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (!this.tapes.has(node)) return this.rewrite(node);
    this.onTape++;
    try {
      return this.rewrite(node);
    } finally {
      this.onTape--;
    }
  };

  private rewrite(node: ts.Node): ts.VisitResult<ts.Node> {
    const marker = this.scope.markers.get(node);
    if (marker) {
      const rewritten = this.guard(() => {
        const container = enclosingContainer(node);
        const info = analyzeLoop(marker.loop, marker.options, container.body, container.names);
        return plainLoopCall(info, this.runtime, this.indexName, this.parts);
      });
      if (rewritten) {
        this.changed = true;
        return rewritten;
      }
    }
    const grad = this.onTape ? undefined : this.guard(() => gradCallOf(node, this.scope.imports));
    if (grad) {
      const replaced = this.gradient(grad);
      if (replaced) {
        this.changed = true;
        return replaced;
      }
    }
    return ts.visitEachChild(node, this.visit, this.ctx);
  }

  private readonly parts = loopParts((st) => ts.visitNode(st, this.visit, ts.isStatement));

  private guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof CompileError) {
        this.report(e.diagnostic);
        return undefined;
      }
      throw e;
    }
  }

  // ---- grad calls -------------------------------------------------------

  private gradient(grad: GradCall): ts.Expression | undefined {
    const fn = this.targetOf(grad);
    if (!fn) {
      const foreign = this.foreignGradient(grad);
      if (foreign) return foreign;
      this.report(diagnose(grad.target, 'invisibleTarget', grad.target.getText()));
      return undefined;
    }
    const params = fn.node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
    const nums = typeof grad.argnums === 'number' ? [grad.argnums] : grad.argnums;
    for (const i of nums) {
      if (i < 0 || i >= params.length) {
        this.report(diagnose(grad.call.arguments[1] ?? grad.call, 'argnumRange', `${fn.name} takes ${params.length} parameter${params.length === 1 ? '' : 's'}, got index ${i}`));
        return undefined;
      }
    }
    const job = this.request(fn, params.map((_, i) => nums.includes(i)));
    this.drain();
    if (!job.declaration) return undefined;
    return gradientFunction(grad, params, job.name, this.runtime);
  }

  /** grad(f) with f imported from another file of the program: call the VJP that file exports. */
  private foreignGradient(grad: GradCall): ts.Expression | undefined {
    const checker = this.program?.getTypeChecker();
    const target = checker && foreignFunction(grad.target, checker, this.sf);
    const specifier = target && importSpecifierOf((skipParens(grad.target) as ts.Identifier).text, this.sf);
    if (!target || !specifier) return undefined;
    const decl = target.file.statements.flatMap((st) => (ts.isFunctionDeclaration(st) && st.name?.text === target.name ? [st.parameters] : []))[0];
    const arrow = target.file.statements.flatMap((st) =>
      ts.isVariableStatement(st) ? st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) && d.name.text === target.name && d.initializer ? [skipParens(d.initializer)] : [])) : [],
    )[0];
    const parameters = decl ?? (arrow && (ts.isArrowFunction(arrow) || ts.isFunctionExpression(arrow)) ? arrow.parameters : undefined);
    if (!parameters) return undefined;
    const params = parameters.map((p, i) => (ts.isIdentifier(p.name) ? p.name.text : `arg${i}`));
    const nums = typeof grad.argnums === 'number' ? [grad.argnums] : grad.argnums;
    if (nums.some((i) => i < 0 || i >= params.length)) {
      this.report(diagnose(grad.call.arguments[1] ?? grad.call, 'argnumRange', `${target.name} takes ${params.length} parameters`));
      return undefined;
    }
    let namespace = this.foreignImports.get(specifier);
    if (!namespace) {
      namespace = this.namer.exact(`${target.name}_module`);
      this.foreignImports.set(specifier, namespace);
    }
    const mask = params.map((_, i) => nums.includes(i));
    return gradientFunction(grad, params, `${namespace}.${exportedVjpName(target, mask)}`, this.runtime);
  }

  private targetOf(grad: GradCall): TopLevelFunction | undefined {
    const t = skipParens(grad.target);
    if (ts.isIdentifier(t)) return this.scope.functions.get(t.text);
    if (ts.isArrowFunction(t) || ts.isFunctionExpression(t)) {
      const statement = topLevelStatement(grad.call);
      const free = [...readNames(t)].filter((n) => !declaredNames(t).has(n) && !t.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === n));
      const moduleNames = declaredNames(this.sf);
      if (!statement || free.some((n) => !moduleNames.has(n) && !isGlobal(n))) return undefined;
      return { name: 'f', node: t, statement };
    }
    return undefined;
  }

  // ---- VJP generation ---------------------------------------------------

  private request(fn: TopLevelFunction, active: readonly boolean[], exportAs?: string): VjpJob {
    const key = `${fn.name}@${fn.node.pos}:${active.map((a) => (a ? 1 : 0)).join('')}`;
    let job = this.jobs.get(key);
    if (!job) {
      job = { fn, active, name: exportAs ? this.namer.exact(exportAs) : this.namer.exact(`${fn.name}_vjp`), exported: exportAs !== undefined };
      this.jobs.set(key, job);
      this.queue.push(job);
    }
    return job;
  }

  private drain(): void {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (this.failed.has(job.fn)) continue;
      const decl = this.guard(() => this.generate(job!));
      if (decl) job.declaration = decl;
      else this.failed.add(job.fn);
    }
  }

  private generate(job: VjpJob): ts.FunctionDeclaration | undefined {
    const { fn, active } = job;
    const node = fn.node;
    const errors = checkSubset(node, this.scope);
    if (errors.length) {
      for (const e of errors) this.report(e.diagnostic);
      return undefined;
    }
    const params = node.parameters.map((p) => (p.name as ts.Identifier).text);
    const activeParams = new Set(params.filter((_, i) => active[i]));
    const body = node.body!;
    const locals = new Set([...params, ...declaredNames(body)]);
    const activity = analyzeActivity(body, activeParams, this.scope, locals);
    const namer = new Namer([...this.scope.identifiers, ...this.generatedNames()]);
    const unit = lowerUnit(
      { scope: this.scope, namer, activity, locals, container: body, indexName: this.indexName },
      { params, activeParams, body: ts.isBlock(body) ? body.statements : body, bound: params, captured: new Set() },
    );
    const annotated = annotatedNumbers(node.parameters);
    const numbers = inferNumbers(unit, annotated.numbers, annotated.arrays);
    const gen: GenerateContext = {
      namer,
      runtime: this.runtime,
      numbers,
      accumulators: accumulatedOnly(unit, numbers),
      vjpName: (callee, mask) => this.request(callee, mask).name,
      custom: (name) => this.customPartsOf(name),
      loops: this.parts,
    };
    const statements = generateVjpBody(unit, gen, 'params');
    const decl = ts.factory.createFunctionDeclaration(
      job.exported ? [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined,
      undefined,
      job.name,
      undefined,
      params.map((p) => ts.factory.createParameterDeclaration(undefined, undefined, p)),
      undefined,
      b.block(statements),
    );
    const what = active.every(Boolean) ? 'all arguments' : params.filter((_, i) => active[i]).join(', ') || 'no arguments';
    return b.comment(b.mapTo(decl, fn.statement), `generated by @adjoint/transformer: ${fn.name} and its pullback with respect to ${what}`);
  }

  private generatedNames(): string[] {
    return [this.runtime, this.indexName, ...[...this.jobs.values()].map((j) => j.name)];
  }
}

/** The function (or file) a node is in, with the names declared there outside nested functions. */
function enclosingContainer(node: ts.Node): { body: ts.Node; names: ReadonlySet<string> } {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && (n as FunctionNode).body) {
      const fn = n as FunctionNode;
      const names = new Set(declaredNames(fn.body!));
      for (const p of fn.parameters) for (const x of declaredNames(p)) names.add(x);
      return { body: fn.body!, names };
    }
    if (ts.isSourceFile(n)) return { body: n, names: declaredNames(n) };
  }
  throw new Error('internal: node outside a source file');
}

function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n.parent && ts.isSourceFile(n.parent)) return n as ts.Statement;
  return undefined;
}

function isGlobal(name: string): boolean {
  return name === 'Math' || name === 'undefined' || name === 'Infinity' || name === 'NaN' || name === 'console';
}
