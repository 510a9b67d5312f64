/**
 * The guard policy part of the Store contract: named policies with append-only versions of
 * rules and settings. Version numbers are latest+1 with no gap or duplicate, also under
 * concurrent pushes; rules (nested scanner options, unicode terms) round-trip exactly; input
 * that Postgres could not store is refused on both dialects; everything is scoped by project
 * and goes with it.
 */
import { describe, expect, it } from 'vitest';
import { type GuardRule, NotFoundError, type Project, ValidationError } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import { makeGuardPolicyInput, uniqueName } from './contract-fixtures.js';

const PARALLEL_PUSHES = 20;
const oneTo = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);
const byteOrder = (names: readonly string[]): string[] =>
  [...names].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));

/** Every field of a rule in use, options nested several levels, terms in several scripts. */
const RICH_RULES: GuardRule[] = [
  {
    scanner: 'sensitive-words',
    stage: 'output',
    action: 'mask',
    threshold: 0,
    message: 'Réponse masquée — 内容包含敏感词 🚫',
    types: ['politics', 'violence'],
    reversible: false,
    options: {
      terms: ['敏感词', '禁止', 'ünïcødé', 'emoji 🧨', 'quote "x" \\ back', 'tab\tnew\nline', ''],
      match: { mode: 'substring', caseSensitive: false, normalize: ['nfkc', 'width'] },
      lists: [
        { name: '默认', terms: ['违禁'] },
        { name: 'empty', terms: [] },
      ],
      weights: { 敏感词: 1, other: 0.25, tiny: 1e-9, big: 123_456_789_012 },
      nothing: null,
      empty: {},
    },
  },
  {
    scanner: 'pii',
    stage: 'input',
    action: 'redact',
    threshold: 0.35,
    types: ['EMAIL', 'CN_ID_CARD', 'PHONE'],
    reversible: true,
  },
  {
    scanner: 'remote',
    stage: 'context',
    action: 'drop',
    threshold: 1,
    options: { endpoint: 'https://guard.internal/v1/scan', timeoutMs: 800, headers: { 'x-tenant': 'a' } },
  },
  { scanner: 'injection', stage: 'input', action: 'flag', threshold: 0.8 },
];

export function describeGuardPolicyContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  describe('guard policies', () => {
    it('creates the policy on first push and appends versions latest+1, oldest first', async () => {
      const project = await newProject();
      const name = uniqueName('policy');
      const before = Date.now();
      const first = await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput(name));
      const second = await current().guardPolicies.createVersion(
        project.id,
        makeGuardPolicyInput(name, {
          rules: RICH_RULES,
          settings: { hold_back_chars: 0 },
          contentHash: 'e'.repeat(64),
          message: 'stricter',
        }),
      );
      expect(first).toMatchObject({ projectId: project.id, policyName: name, version: 1 });
      expect(first.createdAt).toBeGreaterThanOrEqual(before);
      expect(second).toMatchObject({ policyName: name, version: 2, message: 'stricter' });

      const policy = await current().guardPolicies.get(project.id, name);
      expect(policy).toEqual({
        id: expect.stringMatching(/^guardpol_/),
        projectId: project.id,
        name,
        latestVersion: 2,
        createdAt: first.createdAt,
      });
      expect(await current().guardPolicies.getVersion(project.id, name, 1)).toEqual(first);
      expect(await current().guardPolicies.getVersion(project.id, name, 2)).toEqual(second);
      expect(await current().guardPolicies.listVersions(project.id, name)).toEqual([first, second]);
      // A version is immutable: pushing again never changes an earlier one.
      await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput(name));
      expect(await current().guardPolicies.getVersion(project.id, name, 1)).toEqual(first);
      expect((await current().guardPolicies.get(project.id, name))?.id).toBe(policy?.id);
    });

    it('round-trips rules exactly: nested options, unicode terms, rule order, null message and author', async () => {
      const project = await newProject();
      const input = makeGuardPolicyInput(uniqueName('策略-ünïcødé'), {
        rules: RICH_RULES,
        settings: { hold_back_chars: 4096, max_scan_chars: 250_000, oversize: 'flag' },
        message: null,
        author: null,
      });
      const created = await current().guardPolicies.createVersion(project.id, input);
      const read = await current().guardPolicies.getVersion(project.id, input.name, 1);
      expect(read).toEqual(created);
      expect(read).toMatchObject({
        rules: RICH_RULES,
        settings: { hold_back_chars: 4096, max_scan_chars: 250_000, oversize: 'flag' },
        contentHash: input.contentHash,
        message: null,
        author: null,
      });
      // Exactly: no field added (e.g. absent optional fields read back as null) or lost.
      expect(JSON.stringify(read?.rules.map((rule) => Object.keys(rule).sort()))).toBe(
        JSON.stringify(RICH_RULES.map((rule) => Object.keys(rule).sort())),
      );
      expect((read?.rules[0]?.options?.terms as string[] | undefined)?.[0]).toBe('敏感词');
      expect(await current().guardPolicies.listVersions(project.id, input.name)).toEqual([created]);
    });

    it('stores an empty rule list as it is', async () => {
      const project = await newProject();
      const created = await current().guardPolicies.createVersion(
        project.id,
        makeGuardPolicyInput('empty', { rules: [] }),
      );
      expect(created.rules).toEqual([]);
      expect(await current().guardPolicies.getVersion(project.id, 'empty', 1)).toEqual(created);
    });

    it(`gives ${PARALLEL_PUSHES} concurrent pushes of a new policy distinct versions 1..${PARALLEL_PUSHES}`, async () => {
      const project = await newProject();
      const name = uniqueName('contended-policy');
      const created = await Promise.all(
        oneTo(PARALLEL_PUSHES).map((index) =>
          current().guardPolicies.createVersion(
            project.id,
            makeGuardPolicyInput(name, {
              message: `push ${index}`,
              settings: { hold_back_chars: index },
              rules: [{ scanner: 'words', stage: 'output', action: 'block', threshold: index / 100 }],
            }),
          ),
        ),
      );
      expect(created.map((version) => version.version).sort((left, right) => left - right)).toEqual(
        oneTo(PARALLEL_PUSHES),
      );
      const listed = await current().guardPolicies.listVersions(project.id, name);
      expect(listed.map((version) => version.version)).toEqual(oneTo(PARALLEL_PUSHES));
      // Each stored version holds the content of the call that got its number.
      for (const version of created) expect(listed[version.version - 1]).toEqual(version);
      expect((await current().guardPolicies.get(project.id, name))?.latestVersion).toBe(PARALLEL_PUSHES);
      expect(await current().guardPolicies.list(project.id)).toHaveLength(1);
    });

    it('numbers concurrent pushes to several policies and projects independently', async () => {
      const projects = [await newProject('a'), await newProject('b')];
      const names = ['alpha', 'beta'];
      const pushes = projects.flatMap((project) =>
        names.flatMap((name) =>
          oneTo(5).map(() => current().guardPolicies.createVersion(project.id, makeGuardPolicyInput(name))),
        ),
      );
      await Promise.all(pushes);
      for (const project of projects) {
        for (const name of names) {
          const versions = await current().guardPolicies.listVersions(project.id, name);
          expect(versions.map((version) => version.version)).toEqual(oneTo(5));
        }
      }
    });

    it('lists policies by name (byte order); unknown names and versions read as null or empty', async () => {
      const project = await newProject();
      expect(await current().guardPolicies.list(project.id)).toEqual([]);
      const names = ['pii', 'Output', 'words-2', 'words-10', '敏感'];
      for (const name of names)
        await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput(name));
      await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput('pii'));
      const listed = await current().guardPolicies.list(project.id);
      expect(listed.map((policy) => policy.name)).toEqual(byteOrder(names));
      expect(listed.find((policy) => policy.name === 'pii')?.latestVersion).toBe(2);
      for (const policy of listed)
        expect(await current().guardPolicies.get(project.id, policy.name)).toEqual(policy);

      expect(await current().guardPolicies.get(project.id, 'absent')).toBeNull();
      expect(await current().guardPolicies.getVersion(project.id, 'absent', 1)).toBeNull();
      expect(await current().guardPolicies.listVersions(project.id, 'absent')).toEqual([]);
      // Names are exact: no case folding, no prefix match.
      expect(await current().guardPolicies.get(project.id, 'PII')).toBeNull();
      expect(await current().guardPolicies.get(project.id, 'words')).toBeNull();
    });

    it('getVersion: versions no policy can have read as null; a non-integer is a ValidationError', async () => {
      const project = await newProject();
      await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput('pii'));
      for (const version of [2, 0, -1, 2_147_483_648, 2 ** 53])
        expect(await current().guardPolicies.getVersion(project.id, 'pii', version)).toBeNull();
      for (const version of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(current().guardPolicies.getVersion(project.id, 'pii', version)).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
    });

    it('createVersion: NotFoundError for a project that does not exist', async () => {
      await expect(
        current().guardPolicies.createVersion('proj_missing', makeGuardPolicyInput(uniqueName('policy'))),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await current().guardPolicies.list('proj_missing')).toEqual([]);
    });

    it('refuses what Postgres could not store (NUL, lone surrogate) on both dialects, burning no number', async () => {
      const project = await newProject();
      const name = uniqueName('policy');
      const term = (value: string): GuardRule[] => [
        { scanner: 'words', stage: 'output', action: 'block', threshold: 0.5, options: { terms: [value] } },
      ];
      const invalid = [
        makeGuardPolicyInput(name, { rules: term('nul\u0000') }),
        makeGuardPolicyInput(name, { rules: term('broken \ud800 pair') }),
        makeGuardPolicyInput(name, { rules: term('\udc00 reversed') }),
        makeGuardPolicyInput(name, {
          rules: [{ scanner: 'w', stage: 'input', action: 'flag', threshold: 1, options: { 'k\u0000': 1 } }],
        }),
        makeGuardPolicyInput(name, { message: 'nul\u0000' }),
        makeGuardPolicyInput(name, { author: '\u0000' }),
        makeGuardPolicyInput(`${name}\u0000`),
      ];
      for (const input of invalid) {
        await expect(current().guardPolicies.createVersion(project.id, input)).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      expect(await current().guardPolicies.list(project.id)).toEqual([]);

      // A valid surrogate pair is fine, and the first stored version is 1.
      const created = await current().guardPolicies.createVersion(
        project.id,
        makeGuardPolicyInput(name, { rules: term('pair 🧪 ok') }),
      );
      expect(created.version).toBe(1);
      await expect(
        current().guardPolicies.createVersion(
          project.id,
          makeGuardPolicyInput(name, { rules: term('\u0000') }),
        ),
      ).rejects.toBeInstanceOf(ValidationError);
      const next = await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput(name));
      expect(next.version).toBe(2);
      expect((await current().guardPolicies.get(project.id, name))?.latestVersion).toBe(2);
    });

    describe('tenancy', () => {
      it('keeps same-named policies of two projects apart', async () => {
        const mine = await newProject('mine');
        const theirs = await newProject('theirs');
        await current().guardPolicies.createVersion(mine.id, makeGuardPolicyInput('pii'));
        await current().guardPolicies.createVersion(mine.id, makeGuardPolicyInput('pii'));

        expect(await current().guardPolicies.get(theirs.id, 'pii')).toBeNull();
        expect(await current().guardPolicies.list(theirs.id)).toEqual([]);
        expect(await current().guardPolicies.getVersion(theirs.id, 'pii', 1)).toBeNull();
        expect(await current().guardPolicies.listVersions(theirs.id, 'pii')).toEqual([]);

        // Theirs numbers its own versions from 1, with its own content.
        const theirVersion = await current().guardPolicies.createVersion(
          theirs.id,
          makeGuardPolicyInput('pii', { rules: RICH_RULES, message: 'theirs' }),
        );
        expect(theirVersion.version).toBe(1);
        const theirPolicy = await current().guardPolicies.get(theirs.id, 'pii');
        const myPolicy = await current().guardPolicies.get(mine.id, 'pii');
        expect(myPolicy?.latestVersion).toBe(2);
        expect(theirPolicy?.latestVersion).toBe(1);
        expect(theirPolicy?.id).not.toBe(myPolicy?.id);
        expect((await current().guardPolicies.getVersion(mine.id, 'pii', 1))?.message).toBe('initial policy');
        expect((await current().guardPolicies.getVersion(theirs.id, 'pii', 1))?.message).toBe('theirs');
      });

      it('deleting a project removes its policies and versions, and only its own', async () => {
        const doomed = await newProject('doomed');
        const kept = await newProject('kept');
        for (const project of [doomed, kept]) {
          await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput('pii'));
          await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput('pii'));
          await current().guardPolicies.createVersion(project.id, makeGuardPolicyInput('words'));
        }
        const keptBefore = {
          policies: await current().guardPolicies.list(kept.id),
          versions: await current().guardPolicies.listVersions(kept.id, 'pii'),
        };

        expect(await current().projects.delete(doomed.id)).toBe(true);
        expect(await current().guardPolicies.list(doomed.id)).toEqual([]);
        // Re-created with the same id, the project starts empty: the rows are gone, not hidden.
        await current().projects.create({ id: doomed.id, name: doomed.name });
        expect(await current().guardPolicies.list(doomed.id)).toEqual([]);
        expect(await current().guardPolicies.listVersions(doomed.id, 'pii')).toEqual([]);
        expect(await current().guardPolicies.getVersion(doomed.id, 'pii', 1)).toBeNull();
        expect(
          (await current().guardPolicies.createVersion(doomed.id, makeGuardPolicyInput('pii'))).version,
        ).toBe(1);

        expect({
          policies: await current().guardPolicies.list(kept.id),
          versions: await current().guardPolicies.listVersions(kept.id, 'pii'),
        }).toEqual(keptBefore);
      });
    });
  });
}
