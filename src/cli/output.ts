/**
 * Human output for the client commands: aligned tables, unified diffs coloured only on a
 * terminal, and short renderings of times, durations, costs and JSON values. Every function
 * here is pure and returns a string, except `createOutput`, the one writer to the streams.
 */

export type Alignment = 'left' | 'right';

export interface TableOptions {
  /** One entry per column; missing entries are left-aligned. */
  align?: Alignment[];
}

const ESCAPE = String.fromCharCode(27);
const ANSI = new RegExp(`${ESCAPE}\\[[0-9;]*m`, 'g');

/** Visible width: ANSI colour codes take no room, and one code point is one column. */
const visibleWidth = (text: string): number => [...text.replace(ANSI, '')].length;

/**
 * Columns separated by two spaces, each as wide as its widest cell. The last column is not
 * padded so that no line ends in spaces. `headers` null prints the rows alone.
 */
export function formatTable(headers: string[] | null, rows: string[][], options: TableOptions = {}): string {
  const all = headers ? [headers, ...rows] : rows;
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...all.map((row) => visibleWidth(row[column] ?? ''))),
  );
  const lines = all.map((row) =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        const padding = ' '.repeat(width - visibleWidth(cell));
        if (options.align?.[column] === 'right') return padding + cell;
        return column === columns - 1 ? cell : cell + padding;
      })
      .join('  ')
      .trimEnd(),
  );
  return lines.join('\n');
}

const COLORS = { red: '31', green: '32', cyan: '36', bold: '1' } as const;
const paint = (code: string, text: string): string => `${ESCAPE}[${code}m${text}${ESCAPE}[0m`;

/** A unified diff, with `+` lines green, `-` red, hunk headers cyan and file headers bold. */
export function colorizeDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  return diff
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      if (
        line.startsWith('+++') ||
        line.startsWith('---') ||
        line.startsWith('Index:') ||
        line.startsWith('===')
      )
        return paint(COLORS.bold, line);
      if (line.startsWith('@@')) return paint(COLORS.cyan, line);
      if (line.startsWith('+')) return paint(COLORS.green, line);
      if (line.startsWith('-')) return paint(COLORS.red, line);
      return line;
    })
    .join('\n');
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** `2026-11-29 10:29:42` in UTC (server logs and traces are UTC too), or `-`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`
  );
}

/** `340ms`, `1.25s`, `2m05s`, or `-`. */
export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined || !Number.isFinite(milliseconds)) return '-';
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  // Below 59.995s, two decimals never round up to "60.00s".
  if (milliseconds < 59_995) return `${(milliseconds / 1000).toFixed(2)}s`;
  const seconds = Math.round(milliseconds / 1000);
  return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
}

/** Dollars with up to six decimals and no trailing zeros: `$0.000123`, `$1.5`, `$0`, or `-`. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '-';
  if (cost === 0) return '$0';
  if (cost < 0.000001) return '<$0.000001';
  return `$${cost.toFixed(6).replace(/\.?0+$/, '')}`;
}

/** Any JSON value on one line: strings as they are, null as `-`, the rest as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `temperature=0.2 stop=["\n"]`, keys sorted; `-` when empty. */
export function formatParams(params: Record<string, unknown> | null | undefined): string {
  const entries = Object.entries(params ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '-';
  return entries.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ');
}

/** `production=v3 staging=v4`, sorted by name; `-` when empty. */
export function formatVersionMap(map: Record<string, number> | null | undefined): string {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '-';
  return entries.map(([name, version]) => `${name}=v${version}`).join(' ');
}

/** `v3`, or `-` for none. */
export const formatVersion = (version: number | null | undefined): string =>
  version === null || version === undefined ? '-' : `v${version}`;

/** `name@version`, or `-`. */
export function formatRef(ref: { name: string; version: number } | null | undefined): string {
  return ref ? `${ref.name}@${ref.version}` : '-';
}

/** The first characters of a hash: enough to tell versions apart in a table. */
export const shortHash = (hash: string | null | undefined): string => (hash ? hash.slice(0, 12) : '-');

/** `1 created, 2 unchanged` from a list of actions, in first-seen order. */
export function countSummary(actions: string[]): string {
  const counts = new Map<string, number>();
  for (const action of actions) counts.set(action, (counts.get(action) ?? 0) + 1);
  return [...counts].map(([action, count]) => `${count} ${action}`).join(', ');
}

export interface Output {
  /** Colour escape codes are allowed (stdout is a terminal and NO_COLOR is unset). */
  readonly color: boolean;
  /** Writes `text` and a newline to stdout. */
  print(text: string): void;
  /** Writes the value as indented JSON to stdout (`--json`). */
  json(value: unknown): void;
  /** Writes a hint to stderr, out of the way of piped output. */
  note(text: string): void;
}

export function createOutput(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
  noColor: boolean = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '',
): Output {
  return {
    color: stdout.isTTY === true && !noColor,
    print: (text) => {
      stdout.write(`${text}\n`);
    },
    json: (value) => {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note: (text) => {
      stderr.write(`${text}\n`);
    },
  };
}
