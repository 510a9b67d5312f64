/** CLI argument parsing: `--param key=value`, `name@ref` references, versions. Table-driven. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import {
  collect,
  parseNameRef,
  parseParam,
  parseParams,
  parseVersion,
  parseVersionOrLatest,
  positiveInteger,
  refSegment,
  versionNumber,
} from '../../src/cli/parse-arguments.js';

const usageMessage = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error');
};

describe('parseParam', () => {
  it.each([
    ['temperature=0.2', 'temperature', 0.2],
    ['max_tokens=512', 'max_tokens', 512],
    ['stream=true', 'stream', true],
    ['stop=["\\n","END"]', 'stop', ['\n', 'END']],
    ['seed=null', 'seed', null],
    ['response_format={"type":"json_object"}', 'response_format', { type: 'json_object' }],
    ['user=alice', 'user', 'alice'],
    ['code="007"', 'code', '007'],
    ['code=007', 'code', '007'],
    ['expr=a=b', 'expr', 'a=b'],
    ['empty=', 'empty', ''],
    [' spaced =x', 'spaced', 'x'],
  ])('%s', (text, key, value) => {
    expect(parseParam(text)).toEqual([key, value]);
  });

  it.each(['novalue', '=1', ' =1'])('rejects %j as a usage error', (text) => {
    expect(usageMessage(() => parseParam(text))).toMatch(/must be key=value/);
  });

  it('collects repeated params into one object, the last value of a key winning', () => {
    expect(parseParams(['a=1', 'b=x', 'a=2'])).toEqual({ a: 2, b: 'x' });
    expect(parseParams(undefined)).toEqual({});
  });

  it('accumulates repeatable options', () => {
    expect(collect('b', collect('a', undefined))).toEqual(['a', 'b']);
  });
});

describe('parseNameRef', () => {
  it.each([
    ['support', 'support', undefined],
    ['support@3', 'support', '3'],
    ['support@production', 'support', 'production'],
    ['support@latest', 'support', 'latest'],
    ['team@corp@2', 'team@corp', '2'],
  ])('%s', (text, name, ref) => {
    expect(parseNameRef(text)).toEqual({ name, ref });
  });

  it.each([
    ['@3', /has no name/],
    ['', /has no name/],
    ['support@', /nothing after "@"/],
  ])('rejects %j', (text, message) => {
    expect(usageMessage(() => parseNameRef(text, 'prompt'))).toMatch(message);
  });
});

describe('versions', () => {
  it.each([
    ['3', 3],
    ['v3', 3],
    ['V12', 12],
    ['0', null],
    ['-1', null],
    ['3.5', null],
    ['latest', null],
    ['99999999999999999999', null],
  ])('versionNumber(%j) = %j', (text, expected) => {
    expect(versionNumber(text)).toBe(expected);
  });

  it('parses deploy targets', () => {
    expect(parseVersionOrLatest('latest')).toBe('latest');
    expect(parseVersionOrLatest('LATEST')).toBe('latest');
    expect(parseVersionOrLatest('v4')).toBe(4);
    expect(usageMessage(() => parseVersionOrLatest('prod'))).toMatch(/must be a number or "latest"/);
    expect(parseVersion('7')).toBe(7);
    expect(usageMessage(() => parseVersion('x', '--to'))).toBe(
      '--to "x" is not a version number (expected e.g. 3)',
    );
  });

  it.each([
    [undefined, 'latest'],
    ['3', '3'],
    ['v3', '3'],
    ['production', 'production'],
    ['latest', 'latest'],
  ])('refSegment(%j) = %j', (ref, expected) => {
    expect(refSegment(ref)).toBe(expected);
  });

  it('limits --limit to whole numbers in range, as commander argument errors', () => {
    const parse = positiveInteger(500);
    expect(parse('50')).toBe(50);
    for (const bad of ['0', '501', '2.5', 'ten', '']) expect(() => parse(bad)).toThrow(InvalidArgumentError);
  });
});
