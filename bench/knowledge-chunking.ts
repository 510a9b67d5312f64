/**
 * Chunking throughput against its floor. The baseline, measured in the same run, is one pass
 * of the exact tokenizer over the same text — the least any chunker reporting exact token
 * counts can do. Corpora: real markdown (READMEs under node_modules, or a file given as the
 * first argument) and generated English prose. Prints chunks/s, the ratio to the baseline,
 * how full chunks are, and the same chunking with the estimate as the counter. Times are CPU
 * time of this process.
 * Run: node --import tsx bench/knowledge-chunking.ts [file.md]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { estimateTokens, tokenizerFor } from '../src/knowledge/context/index.js';
import { chunkText } from '../src/knowledge/ingest/index.js';

function readmes(directory: string, budget: number): string {
  const parts: string[] = [];
  let size = 0;
  for (const name of readdirSync(directory).sort()) {
    const readme = join(directory, name, 'README.md');
    try {
      if (statSync(readme).size < 4096) continue;
      parts.push(readFileSync(readme, 'utf8'));
      size += parts.at(-1)!.length;
    } catch {
      // no README
    }
    if (size > budget) break;
  }
  return parts.join('\n\n');
}

function prose(vocabulary: string[], sentences: number): string {
  let state = 7;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const paragraphs: string[] = [];
  const paragraph: string[] = [];
  for (let index = 0; index < sentences; index++) {
    const words = Array.from(
      { length: 8 + Math.floor(random() * 22) },
      () => vocabulary[Math.floor(random() * vocabulary.length)]!,
    );
    const sentence = words.join(' ');
    paragraph.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}${random() < 0.1 ? '?' : '.'}`);
    if (random() < 0.2) paragraphs.push(paragraph.splice(0).join(' '));
  }
  paragraphs.push(paragraph.join(' '));
  return paragraphs.join('\n\n');
}

/**
 * Best of three runs in CPU time of this process (user + system), so other processes on a busy
 * machine do not count; the first run also warms the tokenizer's merge cache.
 */
function time<T>(run: () => T): { value: T; ms: number } {
  let best: { value: T; ms: number } | null = null;
  for (let round = 0; round < 3; round++) {
    const started = process.cpuUsage();
    const value = run();
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    if (!best || ms < best.ms) best = { value, ms };
  }
  return best!;
}

const markdown = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : readmes('node_modules', 2_000_000);
const vocabulary = [...new Set(markdown.toLowerCase().match(/\b[a-z]{2,12}\b/g) ?? [])];
const corpora = { markdown, prose: prose(vocabulary, 15_000) };

for (const model of ['gpt-4o', 'gpt-4']) {
  const tokenizer = tokenizerFor(model);
  tokenizer.count('warm up');
  for (const [name, text] of Object.entries(corpora)) {
    const baseline = time(() => tokenizer.count(text));
    const estimate = time(() => estimateTokens(text));
    console.log(
      `${name} (${(text.length / 1e6).toFixed(1)} MB) ${tokenizer.name}: tokenizer ${(baseline.value / baseline.ms / 1000).toFixed(2)} M tokens/s, estimate ${(text.length / estimate.ms / 1000).toFixed(0)} MB/s`,
    );
    for (const chunkTokens of [256, 512]) {
      const overlapTokens = chunkTokens / 8;
      const run = time(() => chunkText(text, { chunkTokens, overlapTokens, countTokens: tokenizer.count }));
      const chunks = run.value;
      const fill = chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0) / chunks.length / chunkTokens;
      const over = chunks.filter((chunk) => chunk.tokenCount > chunkTokens).length;
      console.log(
        `  ${chunkTokens}/${overlapTokens}: ${Math.round((chunks.length / run.ms) * 1000)} chunks/s, ${(run.ms / baseline.ms).toFixed(2)}× one tokenizer pass, fill ${(fill * 100).toFixed(0)}%, over limit ${over}`,
      );
    }
  }
}
const estimated = time(() =>
  chunkText(corpora.prose, { chunkTokens: 512, overlapTokens: 64, countTokens: estimateTokens }),
);
console.log(
  `prose 512/64 with the estimate as counter: ${Math.round((estimated.value.length / estimated.ms) * 1000)} chunks/s`,
);
