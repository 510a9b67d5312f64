/**
 * `node --import tsx scripts/injection-disguised-harm-tune.ts [source]`: the injection scanner's
 * disguised-harm check (src/guard/injection/disguised-harm.ts) on TUNE data only. Per tune
 * source: how often a harmful request appears, how often the check fires (score ≥ 0.5), and how
 * many of those the scanner without the check already flags (so "new" is what the check adds).
 * With a source name, lists that source's texts the check fires on. Also checks that the gated,
 * windowed search (findHarm) agrees with running every pattern on the whole text.
 * With `pools` (session 7): the same counts on the suffix detector's benign pools (tune data
 * and text from node_modules), listing every text the check fires on.
 */

import { findHarm, scoreDisguisedHarm } from '../src/guard/injection/disguised-harm.js';
import { HARM_PATTERNS } from '../src/guard/injection/disguised-harm-lexicon.js';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { authoredSources } from './injection-authored.js';
import { loadTuneSources } from './injection-data.js';
import { datasetSources, technicalSources } from './suffix-data.js';

const scanner = createInjectionScanner({ disguisedHarm: false });
const only = process.argv[2];
const sources =
  only === 'pools'
    ? [...datasetSources(1), ...technicalSources(process.cwd(), 1)].map((pool) => ({
        name: pool.name,
        examples: pool.texts.map((text) => ({ text, label: 0 })),
      }))
    : [...loadTuneSources(), ...authoredSources()];
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
    `${source.name.padEnd(28)} label=${source.examples[0]?.label ?? '-'} n=${String(n).padStart(6)} harm=${share(harm)} fired=${share(fired)} new=${added} (${share(added)}) gate-disagreements=${disagree}`,
  );
}
