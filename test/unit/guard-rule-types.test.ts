/**
 * A rule's `types` limit it to some finding types. A misspelt type (`EMAL`) matched nothing, so
 * the rule silently never fired — a block rule that blocks nothing. For scanners whose types are
 * known when the policy is created (pii: PII_TYPES; regex: its patterns' names; exfiltration: its
 * five constructs) an unknown type
 * is refused, like an unknown option.
 */
import { describe, expect, it } from 'vitest';
import type { GuardRule } from '../../src/core/index.js';
import { PII_TYPES, ScannerRegistry, validateRules } from '../../src/guard/index.js';

const registry = new ScannerRegistry();
const regexOptions = { patterns: [{ name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' }] };

describe('rule types', () => {
  it.each<[string, GuardRule, string]>([
    [
      'a misspelt PII type',
      { scanner: 'pii', stage: 'input', action: 'block', threshold: 0.5, types: ['EMAIL', 'EMAL'] },
      `rules[0] (pii, input): types: "EMAL" is not a type this scanner reports (${PII_TYPES.join(', ')})`,
    ],
    [
      'a type no pattern of the regex rule has',
      {
        scanner: 'regex',
        stage: 'output',
        action: 'redact',
        threshold: 0.5,
        types: ['EMPLOYEE'],
        options: regexOptions,
      },
      'rules[0] (regex, output): types: "EMPLOYEE" is not a type this scanner reports (EMPLOYEE_ID)',
    ],
    [
      'a type the exfiltration scanner does not report',
      { scanner: 'exfiltration', stage: 'output', action: 'redact', threshold: 0.5, types: ['IMAGE'] },
      'rules[0] (exfiltration, output): types: "IMAGE" is not a type this scanner reports (MARKDOWN_IMAGE, REFERENCE_DEFINITION, HTML_IMAGE, HTML_EMBED, LINK)',
    ],
  ])('refuses %s', (_case, rule, message) => {
    expect(() => validateRules([rule], registry)).toThrow(message);
  });

  it('accepts the types the scanner reports', () => {
    expect(() =>
      validateRules(
        [
          {
            scanner: 'pii',
            stage: 'input',
            action: 'redact',
            threshold: 0.5,
            types: ['EMAIL', 'PHONE', 'CN_ID'],
          },
          {
            scanner: 'regex',
            stage: 'output',
            action: 'redact',
            threshold: 0.5,
            types: ['EMPLOYEE_ID'],
            options: regexOptions,
          },
          // Scanners that do not declare their types are not checked.
          { scanner: 'injection', stage: 'input', action: 'block', threshold: 0.5, types: ['injection'] },
        ],
        registry,
      ),
    ).not.toThrow();
  });
});
