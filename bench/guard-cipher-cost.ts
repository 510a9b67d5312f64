/**
 * What the Caesar/Atbash census (normalize/variants.ts `decipherIfSubstituted`) adds to the input
 * stage: in one process, interleaved prompt by prompt, the default policy's whole input stage and
 * the census alone on the same 2 KB prompts' canonical text. Interleaving makes the ratio robust
 * to a loaded machine (both halves see the same load). The census runs on the canonical text of
 * every window view (five overlapping 512-character windows for a 2 KB prompt), as the scanner
 * runs it (scan-views.ts `addWindowViews`; for windows it loaded as inert the scanner counts the
 * same letters from code units already in memory, `decipherUnitsIfSubstituted`); the extra view it
 * adds exists only for texts that pass it. Until session 9 this bench timed it once on the whole
 * prompt and reported about a fifth of its real share.
 *   node --import tsx bench/guard-cipher-cost.ts
 */
import { defaultPolicy, evaluateStage, ScannerRegistry } from '../src/guard/index.js';
import { buildScanViews } from '../src/guard/normalize/index.js';
import { decipherIfSubstituted } from '../src/guard/normalize/variants.js';
import { prompts } from './guard-latency.js';

const texts = prompts(500);
/** Each prompt's window views' canonical texts: what the census reads. */
const windows = texts.map((text) =>
  buildScanViews(text)
    .filter((view) => view.kind === 'text')
    .map((view) => view.text),
);
const census = (views: string[]): number => {
  let found = 0;
  for (const view of views) found += decipherIfSubstituted(view)?.length ?? 0;
  return found;
};
const policy = defaultPolicy(new ScannerRegistry());
let sink = 0;
for (let warm = 0; warm < 2; warm++) {
  for (const text of texts)
    sink += (evaluateStage(policy, 'input', text, {}) as { findings: unknown[] }).findings.length;
  for (const views of windows) sink += census(views);
}
let stageNs = 0n;
let censusNs = 0n;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < texts.length; index++) {
    const start = process.hrtime.bigint();
    sink += (evaluateStage(policy, 'input', texts[index]!, {}) as { findings: unknown[] }).findings.length;
    const middle = process.hrtime.bigint();
    sink += census(windows[index]!);
    const end = process.hrtime.bigint();
    stageNs += middle - start;
    censusNs += end - middle;
  }
}
const count = rounds * texts.length;
const stageUs = Number(stageNs) / 1000 / count;
const censusUs = Number(censusNs) / 1000 / count;
console.log(
  `input stage ${stageUs.toFixed(1)} µs per 2 KB prompt; census over its window views ${censusUs.toFixed(2)} µs (string path${sink > 0 ? '' : ' '})`,
);
console.log(
  `BENCH guard-cipher-cost stage_us=${stageUs.toFixed(1)} census_us=${censusUs.toFixed(2)} census_share=${(censusUs / stageUs).toFixed(4)}`,
);
