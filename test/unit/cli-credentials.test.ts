/**
 * Where the CLI finds its server and key: flag > environment > saved file > default, a saved
 * key only for its own URL, the config directory rules, and the 0600 file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import {
  configDirectory,
  DEFAULT_URL,
  loadConnection,
  normalizeUrl,
  readCredentials,
  resolveConnection,
  resolveLoginConnection,
  type SavedCredentials,
  writeCredentials,
} from '../../src/cli/credentials.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-credentials-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const saved: SavedCredentials = { url: 'http://saved:7300', api_key: 'sk-saved' };

describe('resolveConnection precedence', () => {
  it.each([
    {
      case: 'flags win over everything',
      flags: { url: 'http://flag:1', apiKey: 'sk-flag' },
      environment: { STACKOPS_URL: 'http://env:2', STACKOPS_API_KEY: 'sk-env' },
      file: saved,
      expected: { url: 'http://flag:1', apiKey: 'sk-flag' },
    },
    {
      case: 'environment wins over the file',
      flags: {},
      environment: { STACKOPS_URL: 'http://env:2', STACKOPS_API_KEY: 'sk-env' },
      file: saved,
      expected: { url: 'http://env:2', apiKey: 'sk-env' },
    },
    {
      case: 'the file alone',
      flags: {},
      environment: {},
      file: saved,
      expected: { url: 'http://saved:7300', apiKey: 'sk-saved' },
    },
    {
      case: 'per setting: flag key with the saved URL',
      flags: { apiKey: 'sk-flag' },
      environment: {},
      file: saved,
      expected: { url: 'http://saved:7300', apiKey: 'sk-flag' },
    },
    {
      case: 'the saved key follows its URL when the URL comes from elsewhere but matches',
      flags: { url: 'http://saved:7300/' },
      environment: {},
      file: saved,
      expected: { url: 'http://saved:7300', apiKey: 'sk-saved' },
    },
    {
      case: 'default URL with an environment key',
      flags: {},
      environment: { STACKOPS_API_KEY: 'sk-env' },
      file: null,
      expected: { url: DEFAULT_URL, apiKey: 'sk-env' },
    },
    {
      case: 'empty variables count as unset',
      flags: {},
      environment: { STACKOPS_URL: '', STACKOPS_API_KEY: '  ' },
      file: saved,
      expected: { url: 'http://saved:7300', apiKey: 'sk-saved' },
    },
    {
      case: 'a project from the environment, overridden by the flag',
      flags: { project: 'proj_flag' },
      environment: { STACKOPS_API_KEY: 'k', STACKOPS_PROJECT: 'proj_env' },
      file: null,
      expected: { url: DEFAULT_URL, apiKey: 'k', project: 'proj_flag' },
    },
  ])('$case', ({ flags, environment, file, expected }) => {
    expect(resolveConnection(flags, environment, file)).toEqual(expected);
  });

  it('never sends the saved key to another URL', () => {
    const run = () => resolveConnection({ url: 'https://elsewhere.example' }, {}, saved);
    expect(run).toThrow(CliError);
    expect(run).toThrow(
      'no API key for https://elsewhere.example (the saved key is for http://saved:7300): pass --api-key',
    );
  });

  it('asks for a key when there is none', () => {
    expect(() => resolveConnection({}, {}, null)).toThrow(
      `no API key for ${DEFAULT_URL}: pass --api-key, set STACKOPS_API_KEY, or run stackops login --url ${DEFAULT_URL} --key <key>`,
    );
  });

  it('names the source of an invalid URL', () => {
    expect(() => resolveConnection({}, { STACKOPS_URL: 'ftp://x', STACKOPS_API_KEY: 'k' }, null)).toThrow(
      'invalid StackOps URL "ftp://x" (STACKOPS_URL): use http:// or https://',
    );
    expect(() => resolveConnection({ url: 'not a url', apiKey: 'k' }, {}, null)).toThrow(/\(--url\)/);
  });
});

describe('normalizeUrl', () => {
  it.each([
    ['http://127.0.0.1:7300', 'http://127.0.0.1:7300'],
    ['http://127.0.0.1:7300/', 'http://127.0.0.1:7300'],
    ['https://ops.example.com/stackops//', 'https://ops.example.com/stackops'],
    ['  HTTP://Host:80/ ', 'http://host'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeUrl(raw, 'test')).toBe(expected);
  });

  it('rejects a query string', () => {
    expect(() => normalizeUrl('http://h/?a=1', 'test')).toThrow(/no query or fragment/);
  });
});

describe('config directory', () => {
  it.each([
    [{ STACKOPS_CONFIG_DIR: '/tmp/so', XDG_CONFIG_HOME: '/xdg', HOME: '/home/u' }, '/tmp/so'],
    [{ XDG_CONFIG_HOME: '/xdg', HOME: '/home/u' }, '/xdg/stackops'],
    [{ XDG_CONFIG_HOME: 'relative/xdg', HOME: '/home/u' }, '/home/u/.config/stackops'],
    [{ HOME: '/home/u' }, '/home/u/.config/stackops'],
  ])('%j → %s', (environment, expected) => {
    expect(configDirectory(environment)).toBe(expected);
  });
});

describe('credentials file', () => {
  it('is written with mode 0600 in a 0700 directory and read back', () => {
    const path = join(directory, 'nested', 'credentials.json');
    writeCredentials(path, saved);
    writeCredentials(path, { ...saved, api_key: 'sk-second' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(directory, 'nested')).mode & 0o777).toBe(0o700);
    expect(readCredentials(path)).toEqual({ url: saved.url, api_key: 'sk-second' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ api_key: 'sk-second' });
  });

  it('is optional, and a broken one is reported only when it is needed', () => {
    expect(readCredentials(join(directory, 'missing.json'))).toBeNull();
    const broken = join(directory, 'broken');
    writeCredentials(join(broken, 'credentials.json'), saved);
    writeFileSync(join(broken, 'credentials.json'), '{not json');
    expect(() => loadConnection({}, { STACKOPS_CONFIG_DIR: broken })).toThrow(
      /cannot read .*run stackops login again/,
    );
    expect(
      loadConnection({ url: 'http://a:1' }, { STACKOPS_CONFIG_DIR: broken, STACKOPS_API_KEY: 'k' }),
    ).toEqual({
      url: 'http://a:1',
      apiKey: 'k',
    });
    writeFileSync(join(broken, 'credentials.json'), '{"url": 1}');
    expect(() => loadConnection({}, { STACKOPS_CONFIG_DIR: broken })).toThrow(/has no "url" and "api_key"/);
  });

  it('login takes its URL and key from flags, then the environment, never the file', () => {
    expect(
      resolveLoginConnection({ url: 'http://a:1/', key: 'sk-a' }, { STACKOPS_URL: 'http://b:2' }),
    ).toEqual({
      url: 'http://a:1',
      apiKey: 'sk-a',
    });
    expect(resolveLoginConnection({}, { STACKOPS_URL: 'http://b:2', STACKOPS_API_KEY: 'sk-b' })).toEqual({
      url: 'http://b:2',
      apiKey: 'sk-b',
    });
    expect(resolveLoginConnection({}, {})).toEqual({ url: DEFAULT_URL, apiKey: undefined });
  });
});
