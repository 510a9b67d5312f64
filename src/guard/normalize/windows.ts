/**
 * Overlapping windows over a long text, so that a payload buried in pages of benign text is
 * scored on its own instead of being averaged away. With the defaults (512 characters, 128
 * overlap) any span of up to 128 characters lies wholly inside at least one window. Window
 * edges never split a surrogate pair.
 */

export interface TextWindow {
  start: number;
  end: number;
}

export interface WindowOptions {
  /** Window length in UTF-16 code units. Default 512. */
  size?: number;
  /** Overlap between consecutive windows. Default 128; must be smaller than size. */
  overlap?: number;
}

export const DEFAULT_WINDOW_SIZE = 512;
export const DEFAULT_WINDOW_OVERLAP = 128;

export function windowRanges(length: number, options: WindowOptions = {}): TextWindow[] {
  const size = Math.max(16, options.size ?? DEFAULT_WINDOW_SIZE);
  const overlap = Math.min(size - 1, Math.max(0, options.overlap ?? DEFAULT_WINDOW_OVERLAP));
  if (length <= size) return [{ start: 0, end: length }];
  const step = size - overlap;
  const windows: TextWindow[] = [];
  for (let start = 0; ; start += step) {
    if (start + size >= length) {
      // The last window ends at the text's end, so it is full length.
      windows.push({ start: Math.max(0, length - size), end: length });
      break;
    }
    windows.push({ start, end: start + size });
  }
  return windows;
}

/** Moves an offset off the low half of a surrogate pair. */
export function snapToCodePoint(text: string, offset: number): number {
  if (offset <= 0 || offset >= text.length) return offset;
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

/** The windows of `text`, edges snapped to code points. */
export function textWindows(text: string, options: WindowOptions = {}): TextWindow[] {
  // The ranges are fresh objects: snapped in place (no second array per call).
  const windows = windowRanges(text.length, options);
  for (const window of windows) {
    window.start = snapToCodePoint(text, window.start);
    window.end = snapToCodePoint(text, window.end);
  }
  return windows;
}
