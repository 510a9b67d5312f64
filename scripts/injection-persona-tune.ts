/**
 * `node --import tsx scripts/injection-persona-tune.ts [discount …]`: the persona-frame discount
 * (src/guard/injection/persona-frame.ts) on TUNE and AUTHORED data only. For every tune source
 * (all rows, not only validation), the session-8 authored sets and the authored persona prompts:
 * how many rows open with the persona frame, how many of those carry no jailbreak cue (those get
 * the discount), and how many rows the scanner flags (input stage, score ≥ 0.5) without the
 * discount and with each discount given (default: the shipped PERSONA_DISCOUNT). Rows whose flag
 * changes are listed. Docs: docs/guardrails-injection.md, "Session 9: persona prompts".
 */
import { createInjectionScanner } from '../src/guard/injection/index.js';
import {
  hasJailbreakCue,
  opensWithPersonaFrame,
  PERSONA_DISCOUNT,
} from '../src/guard/injection/persona-frame.js';
import { buildScanViews } from '../src/guard/normalize/index.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { authoredSources, taxonomySources } from './injection-authored.js';
import {
  PERSONA_FRAME_ATTACKS,
  PERSONA_PROMPTS_HELD_OUT,
  personaPrompts,
} from './injection-authored-personas.js';
import { loadTuneSources } from './injection-data.js';

const discounts = process.argv.slice(2).map(Number);
if (discounts.length === 0) discounts.push(PERSONA_DISCOUNT);
if (discounts.some((value) => !Number.isFinite(value) || value <= 0))
  throw new Error('discounts must be positive numbers');

const scannerOf = (personaDiscount: number) => createInjectionScanner({ personaDiscount });
const off = scannerOf(0);
const on = discounts.map(scannerOf);
const score = (scanner: ReturnType<typeof scannerOf>, text: string) =>
  (scanner.scan(text, { stage: 'input' }) as ScanResult).score;

interface Row {
  source: string;
  label: 0 | 1;
  text: string;
}
const rows: Row[] = [
  ...[...loadTuneSources(), ...authoredSources(), ...taxonomySources()].flatMap((source) =>
    source.examples.map((example) => ({ source: source.name, label: example.label, text: example.text })),
  ),
  ...personaPrompts().map(({ text }) => ({
    source: 'authored-en-persona-benign (s8)',
    label: 0 as const,
    text,
  })),
  ...PERSONA_PROMPTS_HELD_OUT.map((text) => ({
    source: 'authored-en-persona-held-out (s9)',
    label: 0 as const,
    text,
  })),
  ...PERSONA_FRAME_ATTACKS.map((text) => ({
    source: 'authored-en-persona-frame-attacks (s9)',
    label: 1 as const,
    text,
  })),
];

const frameOf = (text: string) => {
  const views = buildScanViews(text, {});
  const frame = views[0] !== undefined && opensWithPersonaFrame(views[0].text);
  return { frame, cue: frame && views.some((view) => hasJailbreakCue(view.text)) };
};

const header = [
  'source',
  'label',
  'rows',
  'frame',
  'frame, no cue',
  'flagged (off)',
  ...discounts.map((d) => `flagged (D=${d})`),
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
const changed: string[] = [];
const bySource = new Map<string, Row[]>();
for (const row of rows) bySource.set(row.source, [...(bySource.get(row.source) ?? []), row]);
for (const [source, sourceRows] of bySource) {
  let frames = 0;
  let discounted = 0;
  let flaggedOff = 0;
  const flaggedOn = discounts.map(() => 0);
  for (const row of sourceRows) {
    const { frame, cue } = frameOf(row.text);
    if (frame) frames++;
    if (frame && !cue) discounted++;
    const before = score(off, row.text);
    if (before >= 0.5) flaggedOff++;
    on.forEach((scanner, index) => {
      // Only discounted rows can change; the others are scored exactly as without the discount.
      const after = frame && !cue ? score(scanner, row.text) : before;
      if (after >= 0.5) flaggedOn[index]!++;
      if (index === on.length - 1 && before >= 0.5 !== after >= 0.5)
        changed.push(
          `  ${source} [label ${row.label}] ${before.toFixed(3)} → ${after.toFixed(3)}: ${row.text.slice(0, 160).replace(/\s+/g, ' ')}`,
        );
    });
  }
  const label = sourceRows[0]!.label === 1 ? 'attack' : 'benign';
  console.log(
    `| ${[source, label, sourceRows.length, frames, discounted, flaggedOff, ...flaggedOn].join(' | ')} |`,
  );
}
console.log(`\nRows whose flag changes at D=${discounts.at(-1)}:`);
for (const line of changed) console.log(line);
