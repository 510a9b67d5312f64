/**
 * Turns one text into the small views a detector scans: for every window of the original text
 * its canonical form plus the variants that differ from it (leetspeak folded, spaced-out letters
 * joined, ROT13 when asked for, a Caesar shift or Atbash when the letters say so), and every
 * encoded payload decoded (also windowed, and also canonicalised). Each view carries the span of the original text it came from, which is what
 * a scanner reports as the finding's start/end.
 */

import { canonicalize, canonicalizeKeepSpacing, collapseWhitespace } from './canonicalize.js';
import {
  inertCollapsedUnits,
  inertSpacedUnits,
  inertViewStart,
  inertWindowView,
  loadInertText,
} from './inert-views.js';
import { findPayloads, type PayloadKind } from './payloads.js';
import { decipherIfSubstituted, decipherUnitsIfSubstituted } from './substitution-cipher.js';
import {
  foldLeetspeak,
  foldLeetTokens,
  joinSpacedLetters,
  LEET_GATE,
  rot13IfMentioned,
  SPELLED_GATE,
  variantGates,
  variantGatesOf,
} from './variants.js';
import { textWindows, type WindowOptions } from './windows.js';

export type ScanViewKind =
  | 'text'
  | 'leet'
  | 'despaced'
  | 'rot13'
  | 'cipher'
  | 'reversed'
  | 'joined'
  | PayloadKind;

export interface ScanView {
  kind: ScanViewKind;
  /** Canonical text of this view (lower case, collapsed whitespace). */
  text: string;
  /** UTF-16 span in the original text that this view was derived from. */
  start: number;
  end: number;
}

export interface ScanViewOptions extends WindowOptions {
  /** Decode embedded payloads. Default true. */
  decodePayloads?: boolean;
  /** Produce leetspeak / spacing / ROT13 variants. Default true. */
  variants?: boolean;
  /** Most payloads decoded per text. Default 8. */
  maxPayloads?: number;
  /** Shortest base64 run decoded. Default 16. */
  minBase64Length?: number;
}

/** All views of `text` to scan. The first view is always the canonical first window. */
export function buildScanViews(text: string, options: ScanViewOptions = {}): ScanView[] {
  const views: ScanView[] = [];
  const withVariants = options.variants ?? true;
  // Texts of inert characters only (most prompts) canonicalise once for all windows.
  const inert = loadInertText(text);
  for (const window of textWindows(text, options)) {
    addWindowViews(views, text, window.start, window.end, withVariants, inert);
  }
  if (options.decodePayloads ?? true) {
    const payloadOptions = {
      maxPayloads: options.maxPayloads ?? 8,
      minBase64Length: options.minBase64Length ?? 16,
    };
    for (const payload of findPayloads(text, payloadOptions)) {
      for (const window of textWindows(payload.text, options)) {
        const canonical = canonicalize(payload.text.slice(window.start, window.end));
        if (canonical.length === 0) continue;
        views.push({ kind: payload.kind, text: canonical, start: payload.start, end: payload.end });
      }
    }
  }
  return views;
}

/**
 * The views of text[start, end). `inert`: the text is loaded in inert-views.ts, which gives
 * the same canonical view and gates without building the window's strings.
 */
function addWindowViews(
  views: ScanView[],
  text: string,
  start: number,
  end: number,
  withVariants: boolean,
  inert: boolean,
): void {
  const spaced = inert ? null : canonicalizeKeepSpacing(text.slice(start, end));
  const canonical = spaced === null ? inertWindowView(start, end) : collapseWhitespace(spaced);
  views.push({ kind: 'text', text: canonical, start, end });
  if (!withVariants) return;
  const gates = spaced === null ? variantGatesOf(inertSpacedUnits(), start, end) : variantGates(spaced);
  const leet = (gates & LEET_GATE) !== 0 ? foldLeetTokens(canonical) : null;
  if (leet !== null) views.push({ kind: 'leet', text: leet, start, end });
  const joined =
    (gates & SPELLED_GATE) !== 0
      ? joinSpacedLetters(spaced ?? canonicalizeKeepSpacing(text.slice(start, end)))
      : null;
  if (joined !== null && joined !== canonical) {
    views.push({ kind: 'despaced', text: joined, start, end });
    const joinedLeet = foldLeetspeak(joined);
    if (joinedLeet !== null) views.push({ kind: 'despaced', text: joinedLeet, start, end });
  }
  // The canonical view is lower case, so a mention of rot13 contains "rot".
  const rotated = canonical.includes('rot') ? rot13IfMentioned(canonical) : null;
  if (rotated !== null) views.push({ kind: 'rot13', text: rotated, start, end });
  // A Caesar shift (ROT13 too) or Atbash without a word about it: a letter census says so.
  // An inert window is counted from the collapsed units its view was sliced from.
  const deciphered =
    rotated !== null
      ? null
      : spaced === null
        ? decipherUnitsIfSubstituted(canonical, inertCollapsedUnits(), inertViewStart())
        : decipherIfSubstituted(canonical);
  if (deciphered !== null) views.push({ kind: 'cipher', text: deciphered, start, end });
  // Payload splitting: an instruction cut into string literals and concatenated
  // ("ign" + "ore all prev" + "ious instructions") is read joined.
  if (canonical.includes('+') && QUOTED_PLUS.test(canonical)) {
    views.push({ kind: 'joined', text: canonical.replace(QUOTED_JOIN, ''), start, end });
  }
}

/** A closing quote, `+`, an opening quote: the seam of two concatenated string literals. */
const QUOTED_PLUS = /["'`] ?\+ ?["'`]/;
const QUOTED_JOIN = /["'`] ?\+ ?["'`]/g;
