import { describe, expect, it } from 'vitest';
import {
  AppError,
  compileTemplate,
  parseTemplate,
  renderSegments,
  resolveVariables,
} from '../../src/core/index.js';

describe('parseTemplate', () => {
  it.each([
    ['plain text', ['plain text']],
    ['Hi {{name}}!', ['Hi ', { variable: 'name' }, '!']],
    ['{{ spaced }}', [{ variable: 'spaced' }]],
    ['{{a}}{{b}}', [{ variable: 'a' }, { variable: 'b' }]],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseTemplate(text)).toEqual(expected);
  });

  it.each([
    ['Hello {{name', /never closed/],
    ['{{}}', /not a valid placeholder/],
    ['{{1abc}}', /not a valid placeholder/],
    ['{{a b}}', /not a valid placeholder/],
    ['{{ a.b }}', /not a valid placeholder/],
  ])('rejects malformed %j with a 400', (text, message) => {
    let caught: unknown;
    try {
      parseTemplate(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).status).toBe(400);
    expect((caught as AppError).message).toMatch(message);
  });
});

describe('rendering', () => {
  const template = compileTemplate(
    [
      { role: 'system', content: 'You support {{product}} for {{customer}}.' },
      { role: 'user', content: '{{input}}' },
    ],
    { product: { required: false, default: 'StackOps' } },
  );

  it('treats undeclared placeholders as required and built-ins as given', () => {
    expect(template.variables).toEqual({
      product: { required: false, default: 'StackOps' },
      customer: { required: true },
    });
    expect(template.usesInput).toBe(true);
  });

  it('names every missing required variable', () => {
    expect(() => resolveVariables(template, {}, { input: 'q' }, 'prompt support@1')).toThrow(
      /Missing required variable "customer" for prompt support@1/,
    );
  });

  it('inserts values as text: a value with braces is never re-parsed', () => {
    const values = resolveVariables(
      template,
      { customer: '{{product}} {{input}}' },
      { input: 'hi {{customer}}' },
    );
    expect(renderSegments(template.messages[0]!.segments, values)).toBe(
      'You support StackOps for {{product}} {{input}}.',
    );
    expect(renderSegments(template.messages[1]!.segments, values)).toBe('hi {{customer}}');
  });

  it('rejects declaring a built-in variable', () => {
    expect(() => compileTemplate([{ role: 'user', content: 'x' }], { input: { required: true } })).toThrow(
      /built in/,
    );
  });
});
