/**
 * Bytes → text for the text formats: honours UTF-8 and UTF-16 byte-order marks, and refuses
 * binary content (any NUL byte in a BOM-less file, or more than 1% of the text undecodable as
 * UTF-8) instead of indexing garbage. A few stray invalid bytes in real text are replaced
 * with U+FFFD and kept.
 */

/** Share of U+FFFD replacements above which a BOM-less file is treated as binary. */
const MAX_INVALID_RATIO = 0.01;

export type DecodedText = { ok: true; text: string } | { ok: false; message: string };

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  }
  if (bytes.includes(0)) return { ok: false, message: 'binary file' };
  // TextDecoder strips a UTF-8 BOM by default.
  const text = new TextDecoder('utf-8').decode(bytes);
  let invalid = 0;
  for (let index = text.indexOf('\uFFFD'); index >= 0; index = text.indexOf('\uFFFD', index + 1)) invalid++;
  if (invalid > 0 && invalid / Math.max(text.length, 1) > MAX_INVALID_RATIO)
    return { ok: false, message: 'binary file' };
  return { ok: true, text };
}
