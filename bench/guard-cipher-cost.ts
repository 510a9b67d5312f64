/**
 * What the Caesar/Atbash census (normalize/variants.ts `decipherIfSubstituted`) adds to the input
 * stage: in one process, interleaved prompt by prompt, the default policy's whole input stage and
 * the census alone on the same 2 KB prompts' canonical text. Interleaving makes the ratio robust
 * to a loaded machine (both halves see the same load). The census runs once per window of every
 * input (one window for a 2 KB prompt); the extra view it adds exists only for texts that pass it.
 *   node --import tsx bench/guard-cipher-cost.ts
 */
import { defaultPolicy, evaluateStage, ScannerRegistry } from '../src/guard/index.js';
import { canonicalize } from '../src/guard/normalize/canonicalize.js';
import { decipherIfSubstituted } from '../src/guard/normalize/variants.js';
import { prompts } from './guard-latency.js';

const texts = prompts(500);
const canonical = texts.map((text) => canonicalize(text));
const policy = defaultPolicy(new ScannerRegistry());
let sink = 0;
for (let warm = 0; warm < 2; warm++) {
  for (const text of texts)
    sink += (evaluateStage(policy, 'input', text, {}) as { findings: unknown[] }).findings.length;
  for (const text of canonical) sink += decipherIfSubstituted(text)?.length ?? 0;
}
let stageNs = 0n;
let censusNs = 0n;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < texts.length; index++) {
    const start = process.hrtime.bigint();
    sink += (evaluateStage(policy, 'input', texts[index]!, {}) as { findings: unknown[] }).findings.length;
    const middle = process.hrtime.bigint();
    sink += decipherIfSubstituted(canonical[index]!)?.length ?? 0;
    const end = process.hrtime.bigint();
    stageNs += middle - start;
    censusNs += end - middle;
  }
}
const count = rounds * texts.length;
const stageUs = Number(stageNs) / 1000 / count;
const censusUs = Number(censusNs) / 1000 / count;
console.log(
  `input stage ${stageUs.toFixed(1)} µs per 2 KB prompt; census ${censusUs.toFixed(2)} µs (${sink > 0 ? '' : ' '})`,
);
console.log(
  `BENCH guard-cipher-cost stage_us=${stageUs.toFixed(1)} census_us=${censusUs.toFixed(2)} census_share=${(censusUs / stageUs).toFixed(4)}`,
);
