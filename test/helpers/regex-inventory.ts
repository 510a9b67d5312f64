/**
 * Every regular expression in `src/`, for the ReDoS check (test/unit/regex-safety.test.ts) and
 * the attack benches (bench/regex-*.ts). Literals (`/…/g`) are read from the TypeScript syntax
 * tree. Patterns built at run time (`new RegExp(…)`, `RegExp(…)`) cannot be read there, so
 * their call sites are found in the tree and their patterns are recorded while the modules
 * that hold them are imported (and, for sites that build a pattern only when called, while a
 * reviewed `exercise` calls them): the global `RegExp` is wrapped for that time, and each
 * construction is attributed to the call site whose lines hold the first `src/` frame of its
 * stack.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface Pattern {
  source: string;
  flags: string;
}

/** A regular expression literal in the source. */
export interface LiteralSite extends Pattern {
  /** Path relative to the repository, with `/`. */
  file: string;
  line: number;
}

/** A `new RegExp(…)` or `RegExp(…)` call in the source. */
export interface ConstructorSite {
  file: string;
  line: number;
  endLine: number;
  /** The text of the call's first argument, the site's name in the reviewed lists. */
  argument: string;
  /** Patterns built by this call while its module was imported or exercised. */
  built: Pattern[];
}

export interface Inventory {
  literals: LiteralSite[];
  constructors: ConstructorSite[];
  files: number;
}

export const repositoryRoot = join(import.meta.dirname, '..', '..');

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(?:ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

function relativePath(path: string): string {
  return relative(repositoryRoot, path).split(sep).join('/');
}

/** Splits the text of a literal (`/source/flags`) at its last slash. */
export function parseLiteral(text: string): Pattern {
  const end = text.lastIndexOf('/');
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

function isRegExpCall(node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  return (
    (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'RegExp'
  );
}

/** Literals and constructor calls of every TypeScript file under `src/`, from the syntax tree. */
export function scanSources(root = join(repositoryRoot, 'src')): Inventory {
  const literals: LiteralSite[] = [];
  const constructors: ConstructorSite[] = [];
  const files = sourceFiles(root);
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = relativePath(path);
    const tree = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lineOf = (position: number): number => tree.getLineAndCharacterOfPosition(position).line + 1;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        literals.push({ file, line: lineOf(node.getStart(tree)), ...parseLiteral(node.getText(tree)) });
      } else if (isRegExpCall(node)) {
        const first = node.arguments?.[0];
        constructors.push({
          file,
          line: lineOf(node.getStart(tree)),
          endLine: lineOf(node.getEnd()),
          argument: first === undefined ? '' : first.getText(tree).replace(/\s+/g, ' '),
          built: [],
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return { literals, constructors, files: files.length };
}

const sourcePrefix = `${join(repositoryRoot, 'src')}${sep}`;

/** The first stack frame in `src/`: file and line, source-mapped by the TypeScript loader. */
function callerInSource(stack: string): { file: string; line: number } | null {
  for (const frame of stack.split('\n').slice(1)) {
    const at = frame.indexOf(sourcePrefix);
    if (at < 0) continue;
    const location = /^(.*?):(\d+):\d+\)?$/.exec(frame.slice(at));
    if (location) return { file: relativePath(location[1]!), line: Number(location[2]) };
  }
  return null;
}

/**
 * Imports every file that holds a constructor site, then runs `exercise`, recording each
 * pattern built meanwhile under its site. Returns the constructions no site claims (a pattern
 * built in `src/` outside any `RegExp(…)` call found in the tree, which should not happen).
 */
export async function recordConstructed(
  inventory: Inventory,
  exercise: () => void | Promise<void> = () => {},
): Promise<{ file: string; line: number; pattern: Pattern }[]> {
  const unclaimed: { file: string; line: number; pattern: Pattern }[] = [];
  const record = (args: unknown[]): void => {
    const caller = callerInSource(new Error().stack ?? '');
    if (caller === null) return;
    const [pattern, flags] = args;
    const built: Pattern =
      pattern instanceof original
        ? { source: pattern.source, flags: typeof flags === 'string' ? flags : pattern.flags }
        : {
            source: pattern === undefined ? '(?:)' : String(pattern),
            flags: flags === undefined ? '' : String(flags),
          };
    const site = inventory.constructors.find(
      (candidate) =>
        candidate.file === caller.file && caller.line >= candidate.line && caller.line <= candidate.endLine,
    );
    if (site === undefined) unclaimed.push({ ...caller, pattern: built });
    else if (!site.built.some((known) => known.source === built.source && known.flags === built.flags)) {
      site.built.push(built);
    }
  };
  const original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args, newTarget) {
      record(args);
      return Reflect.construct(target, args, newTarget === globalThis.RegExp ? target : newTarget);
    },
    apply(target, self, args) {
      record(args);
      return Reflect.apply(target, self, args);
    },
  });
  try {
    const files = [...new Set(inventory.constructors.map((site) => site.file))];
    for (const file of files) await import(pathToFileURL(join(repositoryRoot, file)).href);
    await exercise();
  } finally {
    globalThis.RegExp = original;
  }
  return unclaimed;
}
