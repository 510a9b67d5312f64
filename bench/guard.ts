/**
 * `npm run bench:guard` — the whole guardrail report in one run: injection/jailbreak (ours vs
 * llm-guard), PII (ours vs redact-pii, openredaction, @redactpii/node), toxicity, and the
 * latency of every input scanner of the default policy together on 2 KB prompts. Each part
 * prints its own tables; this file adds the combined latency and the summary line:
 *   BENCH guard inj_bal_acc=… inj_fpr_benign=… pii_f2=… tox_auc=… p99_ms_2kb=… vs_best_peer_inj=… vs_best_peer_pii=…
 * inj_* are English measure-only figures; pii_f2 is the lowest per-type F2 over the structured
 * types on the measure sets; tox_auc the lowest ROC AUC over the measure sets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { defaultPolicy, evaluateStage, ScannerRegistry } from '../src/guard/index.js';
import { runInjectionBench } from './guard-injection.js';
import { runPiiBench } from './guard-pii.js';
import { runToxicityBench } from './guard-toxicity.js';

const STRUCTURED = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'CN_ID', 'US_SSN', 'IP_ADDRESS'];
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** 2 KB prompts built from benign tune-set queries (HaluEval user queries). */
function prompts(): string[] {
  const file = join(
    import.meta.dirname,
    '..',
    '..',
    'shared',
    'datasets',
    'hallucination-halueval-general',
    'general_data.json',
  );
  // One JSON record per line.
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { user_query?: string });
  const queries = rows.map((row) => row.user_query ?? '').filter(Boolean);
  const out: string[] = [];
  let cursor = 0;
  for (let index = 0; index < 500; index++) {
    let text = '';
    while (text.length < 2048) text += `${queries[cursor++ % queries.length]} `;
    out.push(text.slice(0, 2048));
  }
  return out;
}

async function inputLatency() {
  const policy = defaultPolicy(new ScannerRegistry());
  const texts = prompts();
  for (const text of texts.slice(0, 100)) await evaluateStage(policy, 'input', text);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const text of texts) {
      const startCpu = cpuUsage();
      const start = performance.now();
      await evaluateStage(policy, 'input', text);
      wall.push(performance.now() - start);
      const used = cpuUsage(startCpu);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const totalMs = wall.reduce((sum, value) => sum + value, 0);
  return {
    scanners: policy.stages.input.map((rule) => rule.scanner.name),
    p50: quantile(wall, 0.5),
    p99: quantile(wall, 0.99),
    cpuP99: quantile(cpu, 0.99),
    megabytesPerSecond: (wall.length * 2048) / 1e6 / (totalMs / 1000),
  };
}

async function main(): Promise<void> {
  const injection = await runInjectionBench();
  const pii = await runPiiBench();
  const toxicity = await runToxicityBench();
  const latency = await inputLatency();

  console.log('\n## All input scanners of the default policy together, 2 KB prompts');
  console.log(`scanners: ${latency.scanners.join(', ')}`);
  console.log(
    `p50 ${round(latency.p50)} ms, p99 ${round(latency.p99)} ms (CPU p99 ${round(latency.cpuP99)} ms), ${round(latency.megabytesPerSecond, 1)} MB/s`,
  );

  const english = injection.languages.find((row) => row.language === 'en' && row.split === 'measure');
  const oursPii = pii.scores.filter((score) => score.system === 'stackops');
  const typeF2 = STRUCTURED.flatMap((type) =>
    oursPii.flatMap((score) =>
      score.types.filter((row) => row.type === type && row.gold > 0).map((row) => row.f2),
    ),
  );
  const piiF2 = typeF2.length ? Math.min(...typeF2) : 0;
  const peerOverall = pii.scores
    .filter((score) => !score.system.startsWith('stackops') && score.dataset === 'en')
    .map((score) => score.overall.f2);
  const oursOverall = oursPii.find((score) => score.dataset === 'en')?.overall.f2 ?? 0;
  const measureAuc = toxicity.quality.filter((row) => row.use === 'measure').map((row) => row.auc);
  const injectionRatio = english
    ? english.ours.balancedAccuracy / Math.max(1e-9, english.llmGuard.balancedAccuracy)
    : 0;
  const piiRatio = oursOverall / Math.max(1e-9, ...peerOverall);
  console.log(
    `BENCH guard inj_bal_acc=${round(english?.ours.balancedAccuracy ?? 0)} inj_fpr_benign=${round(english?.ours.falsePositiveRate ?? 0)} ` +
      `pii_f2=${round(piiF2)} tox_auc=${round(measureAuc.length ? Math.min(...measureAuc) : 0)} p99_ms_2kb=${round(latency.p99)} ` +
      `vs_best_peer_inj=${round(injectionRatio, 2)} vs_best_peer_pii=${round(piiRatio, 2)}`,
  );
}

await main();
