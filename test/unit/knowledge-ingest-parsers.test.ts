import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/knowledge/ingest/decode-text.js';
import { documentContentHash } from '../../src/knowledge/ingest/index.js';
import { parseHtml } from '../../src/knowledge/ingest/parse-html.js';
import { parseTimestamp, recordToDocument } from '../../src/knowledge/ingest/parse-records.js';
import { parseMarkdown, parsePlainText } from '../../src/knowledge/ingest/parse-text.js';

describe('decodeText', () => {
  it('decodes UTF-8 (with or without BOM) and UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.from('héllo wörld', 'utf8'))).toEqual({ ok: true, text: 'héllo wörld' });
    expect(decodeText(Buffer.from('\uFEFFbom', 'utf8'))).toEqual({ ok: true, text: 'bom' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('wide text', 'utf16le')]);
    expect(decodeText(utf16)).toEqual({ ok: true, text: 'wide text' });
  });

  it('refuses NUL bytes and mostly-invalid UTF-8, keeps a stray invalid byte', () => {
    expect(decodeText(Buffer.from('a\u0000b'))).toEqual({ ok: false, message: 'binary file' });
    expect(decodeText(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x41]))).toEqual({
      ok: false,
      message: 'binary file',
    });
    const mostlyText = Buffer.concat([Buffer.from('x'.repeat(500)), Buffer.from([0xff])]);
    expect(decodeText(mostlyText)).toEqual({ ok: true, text: `${'x'.repeat(500)}\uFFFD` });
  });
});

describe('parseHtml', () => {
  it('survives unclosed tags, entities and nested blocks', () => {
    const parsed = parseHtml('<h1>Café &eacute;<p>para one<div>inner</div><h3>Three</h3>tail &lt;b&gt;');
    expect(parsed).toEqual({
      title: 'Café é',
      text: '# Café é\n\npara one\n\ninner\n\n### Three\n\ntail <b>',
    });
  });

  it('drops everything inside a dropped element, however deep', () => {
    expect(
      parseHtml(
        '<p>keep</p><nav><ul><li>menu</li></ul><p>nav para</p></nav><svg><text>x</text></svg><p>end</p>',
      ),
    ).toEqual({
      title: null,
      text: 'keep\n\nend',
    });
  });
});

describe('markdown and text', () => {
  it('leaves a front matter that is not a YAML mapping in the text', () => {
    const text = '---\njust a rule\n---\n# Heading';
    expect(parseMarkdown(text)).toEqual({ title: 'Heading', text, metadata: {} });
  });

  it('ignores headings inside code fences when picking the title', () => {
    expect(parseMarkdown('```\n# not this\n```\n\n# This one #\n').title).toBe('This one');
  });

  it('titles text only by a short first line', () => {
    expect(parsePlainText('\n\n  Title line  \nbody').title).toBe('Title line');
    expect(parsePlainText(`${'long '.repeat(30)}\nbody`).title).toBeNull();
  });
});

describe('records', () => {
  it.each([
    ['2024-05-01T00:00:00Z', Date.parse('2024-05-01T00:00:00Z')],
    [1_700_000_000, 1_700_000_000_000],
    [1_700_000_000_123, 1_700_000_000_123],
    ['1700000000', 1_700_000_000_000],
    ['yesterday', null],
    [null, null],
    [true, null],
  ])('parseTimestamp(%s) = %s', (value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });

  it.each([
    [[], 'expected a JSON object with "id" and "text"'],
    [{ id: '', text: 'x' }, 'missing "id"'],
    [{ id: { nested: true }, text: 'x' }, '"id" must be a string or a number'],
    [{ id: 'a', text: 5 }, '"text" must be a string'],
    [{ id: 'a', text: '  ' }, 'empty document'],
    [{ id: 'a', text: 'x', metadata: 'no' }, '"metadata" must be an object'],
  ])('refuses %j: %s', (value, error) => {
    expect(recordToDocument(value, 'f.jsonl', 'jsonl')).toEqual({ error });
  });
});

describe('documentContentHash', () => {
  it('ignores key order, notices text, metadata and title changes', () => {
    const base = documentContentHash({ text: 'body', metadata: { a: 1, b: [1, 2] }, title: 'T' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(documentContentHash({ text: 'body', metadata: { b: [1, 2], a: 1 }, title: 'T' })).toBe(base);
    expect(documentContentHash({ text: 'body!', metadata: { a: 1, b: [1, 2] }, title: 'T' })).not.toBe(base);
    expect(documentContentHash({ text: 'body', metadata: { a: 2, b: [1, 2] }, title: 'T' })).not.toBe(base);
    expect(documentContentHash({ text: 'body', metadata: { a: 1, b: [1, 2] }, title: null })).not.toBe(base);
  });
});
