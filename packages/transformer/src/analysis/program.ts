/**
 * grad calls across files, where a type checker exists (tspc, the CLI): a grad(f) whose f
 * is imported from another file of the program makes that file generate and export f's
 * VJP, and the calling file import it. Both files derive the exported name the same way.
 */
import ts from 'typescript';
import { allIdentifiers } from './references';
import { readRuntimeImports } from './imports';
import { findMarkers } from './markers';
import { skipParens } from './module';
import { gradCallOf } from '../rewrite/grad';
import { Namer } from '../emit/names';

/** A function of another file of the program, as a grad target. */
interface ForeignFunction {
  readonly file: ts.SourceFile;
  readonly name: string;
}

/** The function a grad target names when it is declared at the top level of another file. */
export function foreignFunction(target: ts.Expression, checker: ts.TypeChecker, from: ts.SourceFile): ForeignFunction | undefined {
  const id = skipParens(target);
  if (!ts.isIdentifier(id)) return undefined;
  let symbol = checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  const file = decl.getSourceFile();
  if (file === from || file.isDeclarationFile) return undefined;
  const isFunction =
    (ts.isFunctionDeclaration(decl) && decl.body && ts.isSourceFile(decl.parent)) ||
    (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(skipParens(decl.initializer)) || ts.isFunctionExpression(skipParens(decl.initializer))) && ts.isSourceFile(decl.parent.parent.parent));
  if (!isFunction || !decl.name || !ts.isIdentifier(decl.name)) return undefined;
  return { file, name: decl.name.text };
}

/** The exported name of f's VJP for an activity pattern, the same in the defining and the calling file. */
export function exportedVjpName(f: ForeignFunction, active: readonly boolean[]): string {
  return new Namer(allIdentifiers(f.file)).exact(`${f.name}_vjp_${active.map((a) => (a ? 1 : 0)).join('')}`);
}

const requests = new WeakMap<ts.Program, Map<string, Map<string, boolean[][]>>>();

/** For each file, the functions other files differentiate with grad (outside @tape statements), and with respect to which arguments. */
export function foreignRequests(program: ts.Program, file: ts.SourceFile): ReadonlyMap<string, boolean[][]> {
  let all = requests.get(program);
  if (!all) {
    all = new Map();
    const checker = program.getTypeChecker();
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || !sf.text.includes('@adjoint/runtime')) continue;
      const imports = readRuntimeImports(sf);
      const { tapes } = findMarkers(sf);
      const visit = (node: ts.Node): void => {
        if (tapes.has(node)) return; // left to the runtime tape on purpose
        let grad;
        try {
          grad = gradCallOf(node, imports);
        } catch {
          grad = undefined; // malformed argnums: reported when that file is compiled
        }
        const target = grad && foreignFunction(grad.target, checker, sf);
        if (grad && target) {
          const nums = typeof grad.argnums === 'number' ? [grad.argnums] : grad.argnums;
          const byName = all!.get(target.file.fileName) ?? new Map<string, boolean[][]>();
          const masks = byName.get(target.name) ?? [];
          const params = paramCount(target);
          const mask = Array.from({ length: params }, (_, i) => nums.includes(i));
          if (!masks.some((m) => m.join() === mask.join())) masks.push(mask);
          byName.set(target.name, masks);
          all!.set(target.file.fileName, byName);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    requests.set(program, all);
  }
  return all.get(file.fileName) ?? new Map();
}

function paramCount(f: ForeignFunction): number {
  for (const st of f.file.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === f.name) return st.parameters.length;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && skipParens(d.initializer);
        if (ts.isIdentifier(d.name) && d.name.text === f.name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init.parameters.length;
      }
    }
  }
  return 0;
}

/** The module specifier through which `file` imports `name`. */
export function importSpecifierOf(name: string, file: ts.SourceFile): string | undefined {
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name)) return st.moduleSpecifier.text;
  }
  return undefined;
}
