/**
 * HTML → markdown-ish text with htmlparser2: script, style, nav, noscript (and template, svg,
 * iframe, object, canvas) are dropped; headings become `#` lines so the chunker sees the
 * structure; block elements become paragraphs, list items `- ` lines, `<br>` a line break,
 * `<pre>` keeps its whitespace. Title: `<title>`, else the first `<h1>`.
 */
import { Parser } from 'htmlparser2';

export interface ParsedHtml {
  title: string | null;
  text: string;
}

const DROPPED = new Set([
  'script',
  'style',
  'nav',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'canvas',
]);
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const HEADING = /^h([1-6])$/;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function parseHtml(html: string): ParsedHtml {
  const blocks: string[] = [];
  let buffer = '';
  let dropDepth = 0;
  let preDepth = 0;
  let inTitle = false;
  let titleText = '';
  let headingLevel = 0;
  let firstH1: string | null = null;

  const flush = (): void => {
    const block =
      preDepth > 0
        ? buffer.replace(/^\n+/, '').trimEnd() // not /^\n+|\s+$/g: quadratic in a blank run
        : buffer
            .split('\n')
            .map((line) => line.trim())
            .join('\n')
            .trim();
    buffer = '';
    if (!block) return;
    if (block === '-') {
      // A list item whose content starts with a nested block: keep the marker for that block.
      buffer = '- ';
      return;
    }
    if (headingLevel > 0) {
      const heading = collapse(block).trim();
      if (headingLevel === 1) firstH1 ??= heading;
      blocks.push(`${'#'.repeat(headingLevel)} ${heading}`);
    } else {
      blocks.push(block);
    }
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (DROPPED.has(name)) dropDepth++;
        if (dropDepth > 0) return;
        if (name === 'title') inTitle = true;
        const heading = HEADING.exec(name);
        if (heading) {
          flush();
          headingLevel = Number(heading[1]);
        } else if (name === 'pre') {
          flush();
          preDepth++;
        } else if (name === 'br') {
          buffer += '\n';
        } else if (BLOCKS.has(name)) {
          // A block inside a heading with text already (an unclosed <h1>) ends the heading;
          // a block that is the heading's whole content (<h2><div>…</div></h2>) does not.
          if (headingLevel > 0 && !buffer.trim()) return;
          flush();
          headingLevel = 0;
          if (name === 'li') buffer = '- ';
        }
      },
      ontext(text) {
        if (dropDepth > 0) return;
        if (inTitle) titleText += text;
        else buffer += preDepth > 0 ? text : collapse(text);
      },
      onclosetag(name) {
        if (DROPPED.has(name)) {
          if (dropDepth > 0) dropDepth--;
          return;
        }
        if (dropDepth > 0) return;
        if (name === 'title') inTitle = false;
        else if (HEADING.test(name)) {
          flush();
          headingLevel = 0;
        } else if (name === 'pre') {
          flush();
          preDepth = Math.max(0, preDepth - 1);
        } else if (BLOCKS.has(name) && headingLevel === 0) {
          if (buffer.trim() === '-') buffer = '';
          flush();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const title = collapse(titleText).trim() || firstH1;
  return { title: title || null, text: blocks.join('\n\n') };
}
