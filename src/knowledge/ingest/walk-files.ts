/**
 * Expands the paths given to ingest into files, in a stable order: each given path in turn;
 * a directory recursively, entries sorted by name (code-unit order, not locale). Hidden files
 * and directories (`.name`) are skipped while walking (a hidden path given explicitly is read).
 * Symlinks are followed, but a directory already visited (by real path) is not entered again,
 * so symlink loops end, and a file reached twice is listed once.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

export type WalkEntry =
  | { kind: 'file'; path: string; display: string; size: number; mtimeMs: number }
  | { kind: 'error'; display: string; message: string };

export type WalkFile = Extract<WalkEntry, { kind: 'file' }>;

/** Forward-slash path, without a leading `./`. */
export function displayPath(path: string): string {
  const forward = path.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  return forward.startsWith('./') ? forward.slice(2) : forward;
}

/** A readable reason for a file-system error. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function* walkFiles(paths: string[], baseDir: string | undefined): AsyncGenerator<WalkEntry> {
  const root = resolve(baseDir ?? '.');
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  const name = (absolute: string, given: string): string =>
    displayPath(baseDir === undefined ? given : relative(root, absolute) || given);

  async function* visit(absolute: string, given: string): AsyncGenerator<WalkEntry> {
    const display = name(absolute, given);
    let info: Awaited<ReturnType<typeof stat>>;
    let real: string;
    try {
      info = await stat(absolute);
      real = await realpath(absolute);
    } catch (error) {
      yield { kind: 'error', display, message: describeFileError(error) };
      return;
    }
    if (info.isFile()) {
      if (seenFiles.has(real)) return;
      seenFiles.add(real);
      yield { kind: 'file', path: absolute, display, size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
      return;
    }
    if (!info.isDirectory()) {
      yield { kind: 'error', display, message: 'not a regular file' };
      return;
    }
    if (visitedDirectories.has(real)) return;
    visitedDirectories.add(real);
    const names: string[] = [];
    try {
      for await (const entry of await opendir(absolute))
        if (!entry.name.startsWith('.')) names.push(entry.name);
    } catch (error) {
      yield { kind: 'error', display, message: describeFileError(error) };
      return;
    }
    names.sort(compareNames);
    for (const child of names) yield* visit(join(absolute, child), join(given, child));
  }

  for (const given of paths) yield* visit(resolve(root, given), given);
}
