/**
 * Setting up stacks behind a guard policy on a harness: policies and deployed stacks created
 * through the control-plane API (each step checked), an output policy builder, and a raw chat
 * request with the admin key.
 */
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** Creates guard policies; each must be created (201). */
export async function createPolicies(harness: Harness, ...policies: object[]): Promise<void> {
  for (const policy of policies)
    expect((await harness.api('POST', '/api/guard/policies', policy)).status).toBe(201);
}

/** Creates stacks and deploys their latest version to production; each step must succeed. */
export async function deployStacks(
  harness: Harness,
  ...stacks: Array<{ name: string; [field: string]: unknown }>
): Promise<void> {
  for (const stack of stacks) {
    expect((await harness.api('POST', '/api/stacks', stack)).status).toBe(201);
    const deployed = await harness.api('POST', `/api/stacks/${stack.name}/deploy`, {
      environment: 'production',
      version: 'latest',
    });
    expect(deployed.status).toBe(200);
  }
}

/** POSTs a chat request to the gateway with the admin key; the raw response. */
export function postChat(harness: Harness, body: object): Promise<Response> {
  return fetch(`${harness.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A policy whose output rules redact PII and block `blockedTerms` (plus `extra` fields). */
export function outputPolicy(name: string, blockedTerms: string[], extra: object = {}): object {
  return {
    name,
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      { scanner: 'words', stage: 'output', action: 'block', options: { terms: blockedTerms } },
    ],
    ...extra,
  };
}
