/**
 * Llama Guard 3 / 4 conventions: the hazard categories (MLCommons taxonomy, S1–S14), the
 * conversation sent for a scan, and the reply format. The model's own chat template (applied
 * by the serving engine, e.g. vLLM or TGI, behind `/chat/completions`) wraps the messages in
 * its instruction prompt, so the client only sends the conversation:
 *
 * - input / context stage: `[{ role: 'user', content: text }]` — "is this user turn unsafe?";
 * - output stage: `[{ role: 'user', content: '' }, { role: 'assistant', content: text }]` — the
 *   template then judges the last (agent) turn. ScanContext carries no user turn, so it is
 *   sent empty.
 *
 * The reply is `safe`, or `unsafe` followed by a line of comma-separated codes (`unsafe\nS1,S10`);
 * leading blank lines and lower case are tolerated.
 */
import type { ChatMessage } from '../../core/index.js';
import type { GuardStage } from '../scanner.js';

export const LLAMA_GUARD_CATEGORIES: Readonly<Record<string, string>> = {
  S1: 'Violent Crimes',
  S2: 'Non-Violent Crimes',
  S3: 'Sex-Related Crimes',
  S4: 'Child Sexual Exploitation',
  S5: 'Defamation',
  S6: 'Specialized Advice',
  S7: 'Privacy',
  S8: 'Intellectual Property',
  S9: 'Indiscriminate Weapons',
  S10: 'Hate',
  S11: 'Suicide & Self-Harm',
  S12: 'Sexual Content',
  S13: 'Elections',
  S14: 'Code Interpreter Abuse',
};

export function llamaGuardMessages(text: string, stage: GuardStage): ChatMessage[] {
  if (stage === 'output') {
    return [
      { role: 'user', content: '' },
      { role: 'assistant', content: text },
    ];
  }
  return [{ role: 'user', content: text }];
}

export interface LlamaGuardVerdict {
  safe: boolean;
  /** Category codes in reply order, upper-cased ("S1", "S10"); may be empty for a bare "unsafe". */
  categories: string[];
}

/** Parses a Llama Guard reply; null when it is neither "safe" nor "unsafe…". */
export function parseLlamaGuardReply(reply: string): LlamaGuardVerdict | null {
  const text = reply.trim();
  const first = /^(safe|unsafe)\b/i.exec(text);
  if (!first) return null;
  if (first[1]!.toLowerCase() === 'safe') return { safe: true, categories: [] };
  const categories: string[] = [];
  for (const match of text.slice(first[0].length).matchAll(/\bS(\d{1,2})\b/gi)) {
    const code = `S${Number(match[1])}`;
    if (!categories.includes(code)) categories.push(code);
  }
  return { safe: false, categories };
}
