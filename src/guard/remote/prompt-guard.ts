/**
 * Prompt Guard style classifiers (Meta Prompt Guard 1/2 and similar injection/jailbreak
 * classifiers) served behind an OpenAI-compatible `/chat/completions` wrapper. The scanner
 * sends the text as one user message and accepts any of these replies (the message content):
 *
 * - a JSON object: `{"label":"INJECTION","score":0.98}`;
 * - a JSON array of label scores (Hugging Face pipeline `top_k=None`):
 *   `[{"label":"BENIGN","score":0.01},{"label":"INJECTION","score":0.97},…]`;
 * - plain text: `INJECTION 0.98`, `INJECTION: 0.98` or just `JAILBREAK`.
 *
 * Labels: BENIGN / SAFE / LABEL_0 are benign; anything else is malicious and becomes the
 * finding type in lower case (INJECTION → `injection`, JAILBREAK → `jailbreak`, MALICIOUS →
 * `malicious`; Prompt Guard's raw LABEL_1 → `malicious`, LABEL_2 → `jailbreak`). A benign
 * label with score s means a malicious probability of 1 − s; a malicious label without a
 * score counts as 1.
 */

export interface PromptGuardVerdict {
  /** Finding type of the most likely malicious label (lower case). */
  label: string;
  /** Probability that the text is malicious, in [0, 1]. */
  score: number;
}

const BENIGN = new Set(['benign', 'safe', 'label_0', 'negative']);
const RENAMED: Record<string, string> = { label_1: 'malicious', label_2: 'jailbreak' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface LabelScore {
  label: string;
  score: number | null;
}

function readPair(value: unknown): LabelScore | null {
  if (!isRecord(value) || typeof value.label !== 'string') return null;
  const score = typeof value.score === 'number' && Number.isFinite(value.score) ? value.score : null;
  return { label: value.label.trim().toLowerCase(), score };
}

function readPairs(reply: string): LabelScore[] | null {
  const text = reply.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return null;
    }
    const list = Array.isArray(parsed) ? parsed.flat() : [parsed];
    const pairs = list.map(readPair);
    return pairs.length > 0 && pairs.every((pair) => pair !== null) ? (pairs as LabelScore[]) : null;
  }
  const match =
    /^([A-Za-z][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])\s*(?:[:=,]\s*)?(?:((?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?)\s*)?$/i.exec(
      text,
    );
  if (!match) return null;
  return [{ label: match[1]!.toLowerCase(), score: match[2] === undefined ? null : Number(match[2]) }];
}

/** Parses a classifier reply; null when it is in none of the documented formats. */
export function parsePromptGuardReply(reply: string): PromptGuardVerdict | null {
  const pairs = readPairs(reply);
  if (!pairs) return null;
  let label = 'malicious';
  let top = -1;
  let fromBenign = 0;
  for (const pair of pairs) {
    if (pair.score !== null && (pair.score < 0 || pair.score > 1)) return null;
    if (BENIGN.has(pair.label)) {
      fromBenign = Math.max(fromBenign, pair.score === null ? 0 : 1 - pair.score);
      continue;
    }
    const score = pair.score ?? 1;
    if (score > top) {
      top = score;
      // Own keys only: the served model names its labels (`constructor` is no prototype lookup).
      label = Object.hasOwn(RENAMED, pair.label) ? RENAMED[pair.label]! : pair.label;
    }
  }
  // With a full distribution, 1 − P(benign) is the malicious mass; a lone label is its own score.
  const best: PromptGuardVerdict = { label, score: Math.max(top, fromBenign) };
  return best;
}
