/**
 * Prompt templates: chat messages with `{{variable}}` placeholders. A template is parsed
 * once into literal and variable segments; rendering joins them, inserting values as plain
 * text — a value that itself contains `{{…}}` is never re-parsed. `{{input}}` (the caller's
 * last user message) and `{{context}}` (retrieved knowledge) are built in.
 */
import { ValidationError } from './errors.js';
import type { PromptMessageTemplate, PromptVariableSpec } from './registry-types.js';

export const BUILT_IN_VARIABLES = new Set(['input', 'context']);

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type TemplateSegment = string | { variable: string };

/** Splits a template into segments; throws ValidationError on malformed placeholders. */
export function parseTemplate(text: string, where = 'template'): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open === -1) {
      segments.push(text.slice(position));
      break;
    }
    if (open > position) segments.push(text.slice(position, open));
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      throw new ValidationError(`${where}: "{{" at offset ${open} is never closed with "}}"`);
    }
    const name = text.slice(open + 2, close).trim();
    if (!VARIABLE_NAME.test(name)) {
      throw new ValidationError(
        `${where}: "{{${text.slice(open + 2, close)}}}" is not a valid placeholder (use letters, digits and _; start with a letter or _)`,
      );
    }
    segments.push({ variable: name });
    position = close + 2;
  }
  return segments;
}

export interface CompiledMessage {
  role: PromptMessageTemplate['role'];
  segments: TemplateSegment[];
  usesInput: boolean;
}

export interface CompiledTemplate {
  messages: CompiledMessage[];
  /** Every placeholder used, in first-use order. */
  placeholders: string[];
  variables: Record<string, PromptVariableSpec>;
  usesInput: boolean;
}

/**
 * Validates and compiles a prompt. Placeholders that are not declared (and not built in) are
 * treated as required variables; a declared variable with a default is optional.
 */
export function compileTemplate(
  messages: PromptMessageTemplate[],
  variables: Record<string, PromptVariableSpec> = {},
): CompiledTemplate {
  const placeholders: string[] = [];
  const compiled = messages.map((message, index) => {
    const segments = parseTemplate(message.content, `messages[${index}].content`);
    let usesInput = false;
    for (const segment of segments) {
      if (typeof segment === 'string') continue;
      if (!placeholders.includes(segment.variable)) placeholders.push(segment.variable);
      if (segment.variable === 'input') usesInput = true;
    }
    return { role: message.role, segments, usesInput };
  });
  for (const name of Object.keys(variables)) {
    if (!VARIABLE_NAME.test(name))
      throw new ValidationError(`variables: "${name}" is not a valid variable name`);
    if (BUILT_IN_VARIABLES.has(name))
      throw new ValidationError(`variables: "${name}" is built in and cannot be declared`);
  }
  const effective: Record<string, PromptVariableSpec> = { ...variables };
  for (const name of placeholders) {
    if (!BUILT_IN_VARIABLES.has(name) && !(name in effective)) effective[name] = { required: true };
  }
  return {
    messages: compiled,
    placeholders,
    variables: effective,
    usesInput: compiled.some((message) => message.usesInput),
  };
}

/** Values for rendering: declared defaults are applied; missing required ones throw, naming each. */
export function resolveVariables(
  template: CompiledTemplate,
  given: Record<string, unknown>,
  builtIns: { input?: string; context?: string },
  label = 'prompt',
): Map<string, string> {
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(template.variables)) {
    const value = given[name];
    if (value !== undefined && value !== null)
      values.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    else if (spec.default !== undefined) values.set(name, spec.default);
    else if (spec.required) missing.push(name);
    else values.set(name, '');
  }
  if (missing.length > 0) {
    throw new ValidationError(
      `Missing required variable${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} for ${label}`,
      { param: `variables.${missing[0]}` },
    );
  }
  values.set('input', builtIns.input ?? '');
  values.set('context', builtIns.context ?? '');
  return values;
}

export function renderSegments(segments: TemplateSegment[], values: Map<string, string>): string {
  let out = '';
  for (const segment of segments)
    out += typeof segment === 'string' ? segment : (values.get(segment.variable) ?? '');
  return out;
}
