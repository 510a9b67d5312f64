/**
 * `npm run bench:guard` — the whole guardrail report in one run: injection/jailbreak (ours vs
 * llm-guard, llm_guardrail and hai-guardrails), PII (ours vs redact-pii, openredaction, @redactpii/node), toxicity, and the
 * latency of every input scanner of the default policy on 2 KB prompts (guard-latency.ts, which
 * also runs alone). Each part prints its own tables; this file adds the summary line:
 *   BENCH guard inj_bal_acc=… inj_fpr_benign=… pii_f2=… tox_auc=… p99_ms_2kb=… vs_best_peer_inj=… vs_best_peer_pii=…
 *     inj_bal_acc_with_system_prompt=… (the same English sets scored with a system prompt: see
 *     withSystemPrompts in guard-injection.ts; inj_bal_acc stays the user-input-only figure)
 *     p99_ms_2kb_after_quality_parts=… (see below)
 * p99_ms_2kb is the median over three fresh processes of the input stage's p99 per 2 KB prompt,
 * measured as a gateway runs it (guard-latency.ts latencyInChildren); the same measurement in
 * this process, right after the quality parts, is printed too and ends the line.
 * inj_* are English measure-only figures; pii_f2 is the lowest per-type F2 over the structured
 * types on the measure sets; tox_auc the lowest ROC AUC over the measure sets.
 */
import { printInjectionReport, runInjectionBench } from './guard-injection.js';
import {
  inputLatency,
  latencyInChildren,
  medianTogetherP99,
  printLatency,
  printScanCap,
  scanCapLatency,
} from './guard-latency.js';
import { printPiiReport, runPiiBench } from './guard-pii.js';
import { printToxicityReport, runToxicityBench } from './guard-toxicity.js';

const STRUCTURED = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'CN_ID', 'US_SSN', 'IP_ADDRESS'];
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const injection = await runInjectionBench();
  printInjectionReport(injection);
  const pii = await runPiiBench();
  printPiiReport(pii);
  const toxicity = await runToxicityBench();
  printToxicityReport(toxicity);
  // Here, right after the quality parts (their garbage and the peer libraries in this heap).
  const latency = await inputLatency();
  printLatency(latency, ' — in this process, after the quality parts');
  printScanCap(scanCapLatency(), latency.reference.p50);
  // As a gateway runs it: fresh processes with the guard only (latencyInChildren).
  const children = await latencyInChildren();
  for (const [index, child] of children.entries())
    printLatency(
      child.report,
      ` — fresh process ${index + 1} of ${children.length} (guard only; pre-run of ${child.preRunTexts} varied texts, ${child.budgetExpressions} other expressions compiled)`,
    );
  const p99 = medianTogetherP99(children);
  console.log(
    `all input scanners together, p99 per child: ${children.map((child) => round(child.report.together.p99)).join(', ')} ms (median ${round(p99)}); ` +
      `in this process after the quality parts: ${round(latency.together.p99)} ms`,
  );

  const english = injection.languages.find((row) => row.language === 'en' && row.split === 'measure');
  const englishSystem = injection.languages.find(
    (row) => row.language === 'en' && row.split === 'measure-system',
  );
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
    ? english.ours.balancedAccuracy /
      Math.max(1e-9, ...Object.values(english.peers).map((peer) => peer.balancedAccuracy))
    : 0;
  const piiRatio = oursOverall / Math.max(1e-9, ...peerOverall);
  console.log(
    `BENCH guard inj_bal_acc=${round(english?.ours.balancedAccuracy ?? 0)} inj_fpr_benign=${round(english?.ours.falsePositiveRate ?? 0)} ` +
      `pii_f2=${round(piiF2)} tox_auc=${round(measureAuc.length ? Math.min(...measureAuc) : 0)} p99_ms_2kb=${round(p99)} ` +
      `vs_best_peer_inj=${round(injectionRatio, 2)} vs_best_peer_pii=${round(piiRatio, 2)} ` +
      `inj_bal_acc_with_system_prompt=${round(englishSystem?.ours.balancedAccuracy ?? 0)} ` +
      `p99_ms_2kb_after_quality_parts=${round(latency.together.p99)}`,
  );
}

await main();
