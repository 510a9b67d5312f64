/**
 * Where a URL sends a request, and how much data it carries. The host is read with WHATWG
 * `URL` — the parser browsers use — so the tricks that fool string matching resolve as the
 * browser resolves them: `https://allowed.com@evil.com/` (userinfo) goes to evil.com,
 * `//evil.com/x` and `\\evil.com\x` (protocol-relative, backslashes) to evil.com, `EVIL.com.`
 * (uppercase, trailing dot) to evil.com, `https://ｅｖｉｌ.com` and IDNs to their punycode, and
 * `http://0x7f.1/` to 127.0.0.1. Only what reaches the server counts as data: the path, the
 * query and userinfo, not the `#fragment`.
 */

/** Base for relative URLs: a relative image loads from the page's own origin, not a third party. */
const RELATIVE_BASE = 'https://relative.stackops.invalid/';
const RELATIVE_HOST = 'relative.stackops.invalid';

/** Schemes whose URLs make a network request to their host. */
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);

export interface UrlTarget {
  /** 'remote': a request to `host`; 'data': a `data:` URL; 'local': relative or no network. */
  kind: 'remote' | 'data' | 'local';
  /** Lower-case ASCII host without a trailing dot; '' unless remote. */
  host: string;
  /** What the request carries to the host: path, query, userinfo (decoded where possible). */
  payload: string[];
  /** Whether there is a query string with a value. */
  query: boolean;
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isIpHost(host: string): boolean {
  return host.startsWith('[') || IPV4.test(host);
}

/** `host` without trailing dots (`evil.com.` is evil.com), without a regex that rescans dot runs. */
function withoutTrailingDots(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 0x2e) end--;
  return host.slice(0, end);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

export function resolveUrl(raw: string): UrlTarget {
  const trimmed = raw.trim();
  if (/^data:/i.test(trimmed)) return { kind: 'data', host: '', payload: [], query: false };
  let url: URL;
  try {
    url = new URL(trimmed, RELATIVE_BASE);
  } catch {
    return { kind: 'local', host: '', payload: [], query: false };
  }
  if (!NETWORK_SCHEMES.has(url.protocol) || url.hostname === RELATIVE_HOST) {
    return { kind: 'local', host: '', payload: [], query: false };
  }
  const host = withoutTrailingDots(url.hostname);
  const payload: string[] = [];
  for (const segment of url.pathname.split('/')) if (segment) payload.push(safeDecode(segment));
  let query = false;
  for (const [key, value] of url.searchParams) {
    if (value) query = true;
    if (key) payload.push(key);
    if (value) payload.push(value);
  }
  if (url.search.length > 1 && url.searchParams.size === 0) payload.push(safeDecode(url.search.slice(1)));
  if (url.username) payload.push(safeDecode(url.username));
  if (url.password) payload.push(safeDecode(url.password));
  return { kind: 'remote', host, payload, query: query || url.username !== '' };
}

/**
 * Normalises an allow-list entry to the form `resolveUrl` gives hosts, or null when it is not a
 * bare host name: `Example.COM.` → example.com, `*.example.com` → example.com, `bücher.de` →
 * xn--bcher-kva.de. A single label (`com`) is refused: it would allow a whole top-level domain.
 */
export function normaliseAllowedDomain(entry: string): string | null {
  const name = entry.trim().replace(/^\*\./, '');
  if (name === '' || /[/\s@:?#\\]/.test(name.replace(/^\[.*\]$/, ''))) return null;
  let url: URL;
  try {
    url = new URL(`http://${name}/`);
  } catch {
    return null;
  }
  const host = withoutTrailingDots(url.hostname);
  if (url.port !== '' || host === '') return null;
  if (!isIpHost(host) && !host.includes('.') && host !== 'localhost') return null;
  return host;
}

/**
 * Whether `host` is one of `allowed` or below one on a label boundary: example.com allows
 * cdn.example.com, not evilexample.com. IP addresses match exactly.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const ip = isIpHost(host);
  for (const domain of allowed) {
    if (host === domain) return true;
    if (
      !ip &&
      host.length > domain.length &&
      host.endsWith(domain) &&
      host[host.length - domain.length - 1] === '.'
    )
      return true;
  }
  return false;
}

/** How a URL's payload looks: what the score is built from. */
export interface PayloadSignals {
  query: boolean;
  /** A path segment or query part of 24+ characters. */
  long: boolean;
  /** Base64, hex or URL-encoded prose. */
  encoded: boolean;
  /** Words of the system prompt (the conversation) found in the payload. */
  conversation: boolean;
}

const BASE64ISH = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
const HEXISH = /^[0-9a-fA-F]{16,}$/;

function looksEncoded(part: string): boolean {
  if (HEXISH.test(part)) return true;
  if (BASE64ISH.test(part) && /[0-9]/.test(part) && /[a-z]/.test(part) && /[A-Z]/.test(part)) return true;
  // Prose after URL decoding: several words in one parameter.
  let spaces = 0;
  for (let index = 0; index < part.length; index++) if (part.charCodeAt(index) === 0x20) spaces++;
  return spaces >= 2;
}

/** Text a base64 part decodes to, when it decodes to mostly printable ASCII. */
function base64Text(part: string): string | null {
  if (!BASE64ISH.test(part)) return null;
  const decoded = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  let printable = 0;
  for (let index = 0; index < decoded.length; index++) {
    const code = decoded.charCodeAt(index);
    if ((code >= 0x20 && code < 0x7f) || code === 0x0a) printable++;
  }
  return decoded.length > 0 && printable / decoded.length > 0.9 ? decoded : null;
}

/** Lower-case words of five letters or more (shorter ones are mostly function words). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{5,}/gu) ?? [];
}

/**
 * The payload's signals. `conversationWords` are the system prompt's words: two of them in the
 * payload, or one of eight letters or more, means the URL carries the conversation.
 */
export function payloadSignals(
  target: UrlTarget,
  conversationWords: ReadonlySet<string> | null,
): PayloadSignals {
  let long = false;
  let encoded = false;
  const found = new Set<string>();
  let strong = false;
  for (const part of target.payload) {
    if (part.length >= 24) long = true;
    if (looksEncoded(part)) encoded = true;
    if (conversationWords && conversationWords.size > 0) {
      const decoded = base64Text(part);
      for (const text of decoded ? [part, decoded] : [part]) {
        for (const word of wordsOf(text)) {
          if (!conversationWords.has(word)) continue;
          found.add(word);
          if (word.length >= 8) strong = true;
        }
      }
    }
  }
  return { query: target.query, long, encoded, conversation: strong || found.size >= 2 };
}

/**
 * The score of a URL that a construct fetches from a host not allowed: 0.4 with no data (a
 * tracking pixel tells the host little more than the user's address), 0.7 with a query, 0.75
 * with a long part, 0.85 encoded, 0.95 with the conversation's words; 0.05 more per further
 * signal. Below the default threshold (0.5) only a URL without data.
 */
export function scoreSignals(signals: PayloadSignals): number {
  const scores: number[] = [];
  if (signals.query) scores.push(0.7);
  if (signals.long) scores.push(0.75);
  if (signals.encoded) scores.push(0.85);
  if (signals.conversation) scores.push(0.95);
  if (scores.length === 0) return 0.4;
  return Math.min(1, Math.max(...scores) + 0.05 * (scores.length - 1));
}
