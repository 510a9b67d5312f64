/**
 * Control plane over real HTTP: projects, keys (hashed, shown once, roles, revoke), audit,
 * tenancy between projects, and the traces API (filters, cursor pagination).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({});
});
afterAll(async () => {
  await harness?.close();
});

const ask = (client: OpenAI, content: string, model = 'local-extractive') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();

describe('projects and keys', () => {
  it('creates a project with its first admin key, shown once and stored hashed', async () => {
    const created = await harness.api('POST', '/api/projects', { name: 'acme' });
    expect(created.status).toBe(201);
    expect(created.body.admin_key.secret).toMatch(/^sk-so-/);
    expect(created.body).toMatchObject({ name: 'acme', is_demo: false });

    const keys = await harness.api('GET', '/api/keys', undefined, created.body.admin_key.secret);
    expect(keys.status).toBe(200);
    expect(keys.body.data).toHaveLength(1);
    const listed = JSON.stringify(keys.body);
    expect(listed).not.toContain(created.body.admin_key.secret);
    expect(listed).not.toMatch(/"hash"/);

    const duplicate = await harness.api('POST', '/api/projects', { name: 'acme' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ type: 'conflict_error', code: 'conflict' });
  });

  it('rejects bad input with a clear 400 and changes nothing', async () => {
    const before = await harness.api('GET', '/api/projects');
    for (const body of [{}, { name: '' }, { name: 'x', extra: 1 }, { name: 42 }]) {
      const response = await harness.api('POST', '/api/projects', body);
      expect(response.status).toBe(400);
      expect(response.body.error.type).toBe('invalid_request_error');
      expect(response.body.error.message).toMatch(/Invalid body/);
    }
    const badRole = await harness.api('POST', '/api/keys', { name: 'k', role: 'root' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.param).toBe('role');
    const after = await harness.api('GET', '/api/projects');
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  it('enforces roles: client is gateway-only, viewer is read-only, developer cannot manage keys', async () => {
    const make = async (role: string) =>
      (await harness.api('POST', '/api/keys', { name: `${role} key`, role })).body.secret as string;
    const client = await make('client');
    const viewer = await make('viewer');
    const developer = await make('developer');

    expect((await harness.api('GET', '/api/traces', undefined, client)).status).toBe(403);
    const gateway = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: client, maxRetries: 0 });
    expect((await ask(gateway, 'hello')).data.choices[0]?.message.content).toBe('You said: hello');

    expect((await harness.api('GET', '/api/traces', undefined, viewer)).status).toBe(200);
    expect((await harness.api('POST', '/api/keys', { name: 'x', role: 'admin' }, viewer)).status).toBe(403);
    expect((await harness.api('GET', '/api/keys', undefined, developer)).status).toBe(403);
    expect((await harness.api('POST', '/api/projects', { name: 'nope' }, developer)).status).toBe(403);
    expect((await harness.api('GET', '/api/traces')).status).toBe(200);
    expect((await harness.api('GET', '/api/traces', undefined, 'sk-so-nonsense')).status).toBe(401);
    expect((await fetch(`${harness.server.url}/api/traces`)).status).toBe(401);
  });

  it('revokes a key: it stops working at once, and the revoke is audited', async () => {
    const created = await harness.api('POST', '/api/keys', { name: 'temporary', role: 'client' });
    const gateway = new OpenAI({
      baseURL: `${harness.server.url}/v1`,
      apiKey: created.body.secret,
      maxRetries: 0,
    });
    await ask(gateway, 'works');
    const revoked = await harness.api('DELETE', `/api/keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    await expect(ask(gateway, 'fails')).rejects.toMatchObject({ status: 401 });
    expect((await harness.api('DELETE', '/api/keys/key_missing')).status).toBe(404);

    const audit = await harness.api('GET', '/api/audit?limit=100');
    const actions = audit.body.data.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['key.create', 'key.revoke', 'project.create']));
    const revokeEntry = audit.body.data.find((entry: { action: string }) => entry.action === 'key.revoke');
    expect(revokeEntry).toMatchObject({ target_id: created.body.id, target_type: 'api_key' });
  });
});

describe('tenancy', () => {
  it('a project never sees another project’s traces or keys', async () => {
    const first = await harness.api('POST', '/api/projects', { name: 'tenant-a' });
    const second = await harness.api('POST', '/api/projects', { name: 'tenant-b' });
    const keyA = first.body.admin_key.secret as string;
    const keyB = second.body.admin_key.secret as string;
    const clientA = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: keyA, maxRetries: 0 });
    const { response } = await ask(clientA, 'private to A');
    const traceId = response.headers.get('x-stackops-trace-id')!;
    await harness.server.writer.flush();

    expect((await harness.api('GET', `/api/traces/${traceId}`, undefined, keyA)).status).toBe(200);
    expect((await harness.api('GET', `/api/traces/${traceId}`, undefined, keyB)).status).toBe(404);
    const listB = await harness.api('GET', '/api/traces', undefined, keyB);
    expect(listB.body.data).toEqual([]);
    const keysA = await harness.api('GET', '/api/keys', undefined, keyA);
    const keyIdA = keysA.body.data[0].id;
    expect((await harness.api('DELETE', `/api/keys/${keyIdA}`, undefined, keyB)).status).toBe(404);
    // a project admin cannot act in another project; the instance admin can
    expect(
      (await harness.api('GET', '/api/traces', undefined, keyB, { 'x-stackops-project': first.body.id }))
        .status,
    ).toBe(403);
    const asAdmin = await harness.api('GET', `/api/traces/${traceId}`, undefined, undefined, {
      'x-stackops-project': first.body.id,
    });
    expect(asAdmin.status).toBe(200);

    const deleted = await harness.api('DELETE', `/api/projects/${first.body.id}`);
    expect(deleted.status).toBe(200);
    await expect(ask(clientA, 'gone')).rejects.toMatchObject({ status: 401 });
  });
});

describe('traces API', () => {
  it('filters by model, status and time, and pages with a cursor', async () => {
    const project = await harness.api('POST', '/api/projects', { name: 'trace-browser' });
    const key = project.body.admin_key.secret as string;
    const client = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: key, maxRetries: 0 });
    const beforeAll = Date.now();
    for (let index = 0; index < 5; index++) await ask(client, `question ${index}`);
    await expect(ask(client, 'x', 'missing-model')).rejects.toMatchObject({ status: 404 });
    await harness.server.writer.flush();

    const all = await harness.api('GET', '/api/traces?limit=100', undefined, key);
    expect(all.body.data).toHaveLength(6);
    const errors = await harness.api('GET', '/api/traces?status=error', undefined, key);
    expect(errors.body.data).toHaveLength(1);
    expect(errors.body.data[0]).toMatchObject({ model: 'missing-model', status: 'error' });
    const byModel = await harness.api('GET', '/api/traces?model=local-extractive', undefined, key);
    expect(byModel.body.data).toHaveLength(5);
    const future = await harness.api(
      'GET',
      `/api/traces?from=${new Date(Date.now() + 60_000).toISOString()}`,
      undefined,
      key,
    );
    expect(future.body.data).toHaveLength(0);
    const window = await harness.api('GET', `/api/traces?from=${beforeAll}&to=${Date.now()}`, undefined, key);
    expect(window.body.data).toHaveLength(6);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: Array<{ id: string; start_time: string }>; next_cursor: string | null } } =
        await harness.api('GET', `/api/traces?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, key);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((trace) => trace.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((trace: { id: string }) => trace.id));
    expect(new Set(seen).size).toBe(6);

    expect((await harness.api('GET', '/api/traces?status=weird', undefined, key)).status).toBe(400);
    expect((await harness.api('GET', '/api/traces?cursor=%%%', undefined, key)).status).toBe(400);
    expect((await harness.api('GET', '/api/traces?limit=0', undefined, key)).status).toBe(400);
    expect((await harness.api('GET', '/api/traces/nothex', undefined, key)).status).toBe(404);
  });
});
