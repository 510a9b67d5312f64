/**
 * The toxicity scanner (input and output stages, English and Chinese): the trained hashed
 * logistic regression of this folder plus the lexicon rule layer. Findings are per window of
 * sentences (type `toxicity`) and per explicit slur or threat (types `slur`, `threat`, at
 * the span of the term when it can be located in the original text). Scores are calibrated
 * so that 0.5 is the threshold chosen on validation data; the policy decides what to do.
 * Rescans of a growing output stream (same ScanContext) reuse the scores of finished windows.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import {
  classifyWithModel,
  DEFAULT_WINDOW_CHARS,
  forEachWindowScore,
  scoreWindow,
  splitWindows,
  type ToxicityVerdict,
  type ToxicityWindow,
  type VisitedWindow,
} from './classify.js';
import { defaultToxicityModel } from './default-model.js';
import type { LexiconHit } from './features.js';
import { RULE_FLOORS } from './lexicon.js';
import { loadToxicityModel, type ToxicityModel, type ToxicityModelFile } from './model-format.js';

export interface ToxicityScannerOptions {
  /** Scanner name in results (default "toxicity"). */
  name?: string;
  /** A model other than the committed one (a loaded model or a parsed model file). */
  model?: ToxicityModel | ToxicityModelFile;
  /** Longest window scored as one text (default 240 characters). */
  windowChars?: number;
  /** Windows scoring below this are not reported (default 0.25), so most benign text yields no findings. */
  minScore?: number;
}

export interface ClassifyOptions {
  model?: ToxicityModel;
  windowChars?: number;
}

/** Scores `text` with the committed model; `score ≥ 0.5` is toxic at the deployed threshold. */
export function classifyToxicity(text: string, options: ClassifyOptions = {}): ToxicityVerdict {
  return classifyWithModel(
    options.model ?? defaultToxicityModel(),
    text,
    options.windowChars ?? DEFAULT_WINDOW_CHARS,
  );
}

function resolveModel(model: ToxicityModel | ToxicityModelFile | undefined): ToxicityModel {
  if (!model) return defaultToxicityModel();
  return 'codes' in model ? model : loadToxicityModel(model);
}

/** Finds a lexicon term in the original window (case-insensitive); the window when it cannot. */
function locateHit(text: string, start: number, end: number, hit: LexiconHit): [number, number] {
  const position = text.slice(start, end).toLowerCase().indexOf(hit.term);
  return position < 0 ? [start, end] : [start + position, start + position + hit.term.length];
}

const STAGES: readonly GuardStage[] = ['input', 'output'];
/** What `scanning.findings` holds between scans (nothing is pushed to it then). */
const NO_FINDINGS: Finding[] = [];
/** The windows of one stream so far (kept by StreamStates while the text only grows). */
interface StreamState {
  /** Length of the text those windows were split from (0: nothing scanned yet). */
  length: number;
  /** Every window of that text, in order. */
  list: ToxicityWindow[];
  /** Where the next split resumes (a restart point of splitWindows), and its index in `list`. */
  restart: number;
  restartIndex: number;
}

/**
 * The windows of `text`, for the streaming guard, which rescans the growing answer every few
 * characters: windows before the last restart point are kept as they are, the split resumes
 * there, and a resumed window that ended inside the previous text keeps its score (same
 * characters, same score). So a rescan costs the last window or two plus the new text.
 */
function scoreStream(
  model: ToxicityModel,
  text: string,
  windowChars: number,
  state: StreamState,
): ToxicityWindow[] {
  const previous = state.list;
  const windows = previous.slice(0, state.restartIndex);
  const kept = windows.length;
  const starts: number[] = [];
  for (const [start, end] of splitWindows(text, windowChars, state.restart, starts)) {
    let window: ToxicityWindow | undefined;
    if (end <= state.length) {
      // The previous split's windows from its restart point on, by start (few: one or two).
      for (let index = state.restartIndex; index < previous.length; index++) {
        const known = previous[index]!;
        if (known.start === start && known.end === end) window = known;
      }
    }
    windows.push(window ?? scoreWindow(model, text, start, end));
  }
  // The last restart point that a later, longer text can resume at: the split must not be
  // the single-window form of a short text, and the point must be followed by text already
  // here (a sentence end at the very end of the text could still grow).
  const last = starts.length > 0 ? starts[starts.length - 1]! : -1;
  if (text.length > windowChars && last > state.restart && last < text.length) {
    let index = kept;
    while (windows[index]!.start !== last) index++;
    state.restart = last;
    state.restartIndex = index;
  }
  state.length = text.length;
  state.list = windows;
  return windows;
}

export function createToxicityScanner(options: ToxicityScannerOptions = {}): Scanner {
  const name = options.name ?? 'toxicity';
  const model = resolveModel(options.model);
  const windowChars = options.windowChars ?? DEFAULT_WINDOW_CHARS;
  const minScore = options.minScore ?? 0.25;
  const streams = new StreamStates<StreamState>(() => ({ length: 0, list: [], restart: 0, restartIndex: 0 }));
  // The text being scanned and its findings, for `report`, which is made once per scanner
  // rather than as a closure per scan (scan is synchronous, so one is enough).
  const scanning = { text: '', findings: NO_FINDINGS };
  // The findings of one window, in order: its rule hits, then the window if it scores.
  const report = (windowStart: number, windowEnd: number, window: VisitedWindow) => {
    const { text, findings } = scanning;
    const { score: windowScore, hits } = window;
    const whole = windowStart === 0 && windowEnd === text.length;
    for (let index = 0; index < hits.length; index++) {
      const hit = hits[index]!;
      const floor = RULE_FLOORS[hit.category];
      if (floor === undefined) continue;
      const [start, end] = locateHit(text, windowStart, windowEnd, hit);
      findings.push({
        scanner: name,
        type: hit.category,
        score: floor,
        start,
        end,
        value: text.slice(start, end),
      });
    }
    if (windowScore < minScore) return;
    findings.push({
      scanner: name,
      type: 'toxicity',
      score: windowScore,
      start: windowStart,
      end: windowEnd,
      value: whole ? '' : text.slice(windowStart, windowEnd),
    });
  };
  return {
    name,
    stages: STAGES,
    // A lexicon hit is reported on its own only for the categories with a score floor.
    findingTypes: ['toxicity', ...Object.keys(RULE_FLOORS)],
    scan(text: string, context: ScanContext): ScanResult {
      const findings: Finding[] = [];
      scanning.text = text;
      scanning.findings = findings;
      // Only output is rescanned as it grows (the streaming guard); other stages score once,
      // without keeping a cache entry per request (nor window objects: forEachWindowScore).
      if (context.stage === 'output') {
        const windows = scoreStream(model, text, windowChars, streams.get(context, text));
        streams.seen(context, text);
        for (const window of windows) report(window.start, window.end, window);
      } else forEachWindowScore(model, text, windowChars, report);
      // Not kept past the call (the text may be large).
      scanning.text = '';
      scanning.findings = NO_FINDINGS;
      let score = 0;
      for (const finding of findings) score = Math.max(score, finding.score);
      return { scanner: name, score, findings };
    },
  };
}
