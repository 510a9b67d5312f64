/**
 * `npm run bench:guard` — the whole guardrail report in one run: injection/jailbreak (ours vs
 * llm-guard, llm_guardrail and hai-guardrails), PII (ours vs redact-pii, openredaction, @redactpii/node), toxicity, and the
 * latency of every input scanner of the default policy on 2 KB prompts (guard-latency.ts, which
 * also runs alone). Each part prints its own tables; this file adds the summary line:
 *   BENCH guard inj_bal_acc=… inj_fpr_benign=… pii_f2=… tox_auc=… p99_ms_2kb=… vs_best_peer_inj=… vs_best_peer_pii=…
 *     inj_bal_acc_with_system_prompt=… (the same English sets scored with a system prompt: see
 *     withSystemPrompts in guard-injection.ts; inj_bal_acc stays the user-input-only figure)
 * inj_* are English measure-only figures; pii_f2 is the lowest per-type F2 over the structured
 * types on the measure sets; tox_auc the lowest ROC AUC over the measure sets.
 */
import { printInjectionReport, runInjectionBench } from './guard-injection.js';
import { inputLatency, printLatency, printScanCap, scanCapLatency } from './guard-latency.js';
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
  const latency = await inputLatency();

  printLatency(latency);
  printScanCap(scanCapLatency(), latency.reference.p50);

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
      `pii_f2=${round(piiF2)} tox_auc=${round(measureAuc.length ? Math.min(...measureAuc) : 0)} p99_ms_2kb=${round(latency.together.p99)} ` +
      `vs_best_peer_inj=${round(injectionRatio, 2)} vs_best_peer_pii=${round(piiRatio, 2)} ` +
      `inj_bal_acc_with_system_prompt=${round(englishSystem?.ours.balancedAccuracy ?? 0)}`,
  );
}

await main();
