/**
 * API key authentication with an in-memory cache, so the hot path does not wait on the
 * database after a key's first use. Revocation through this process invalidates at once;
 * other replicas see it within `ttlMs` (documented in the README).
 */
import { type ApiKey, AppError, hashApiKey } from '../core/index.js';
import type { ApiKeyStore, ProjectStore } from '../store/index.js';
import type { AuthenticatedKey } from './context.js';

interface CacheEntry {
  key: ApiKey | null;
  expiresAt: number;
}

const MAX_ENTRIES = 10_000;

export class KeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();

  /** Projects an instance admin acted in: whether each exists, cached like keys. */
  private readonly projectCache = new Map<string, { exists: boolean; expiresAt: number }>();

  constructor(
    private readonly keys: Pick<ApiKeyStore, 'findByHash'>,
    private readonly ttlMs = 30_000,
    private readonly negativeTtlMs = 2_000,
    private readonly projects?: Pick<ProjectStore, 'get'>,
  ) {}

  /**
   * Whether a project an instance admin names in x-stackops-project exists (cached, so the hot
   * path waits on the database once per project and TTL). Without a project store: assumed.
   */
  async projectExists(projectId: string): Promise<boolean> {
    if (!this.projects) return true;
    const now = Date.now();
    let entry = this.projectCache.get(projectId);
    if (!entry || entry.expiresAt < now) {
      const exists = (await this.projects.get(projectId)) !== null;
      entry = { exists, expiresAt: now + (exists ? this.ttlMs : this.negativeTtlMs) };
      if (this.projectCache.size >= MAX_ENTRIES) this.projectCache.clear();
      this.projectCache.set(projectId, entry);
    }
    return entry.exists;
  }

  /** Reads `Authorization: Bearer …` (OpenAI SDKs) or `x-api-key`. Throws 401 on failure. */
  async authenticate(
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): Promise<AuthenticatedKey> {
    const secret = extractSecret(headers);
    if (!secret) {
      throw new AppError('unauthorized', 'Missing API key: send "Authorization: Bearer <key>".');
    }
    const hash = hashApiKey(secret);
    const now = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || entry.expiresAt < now) {
      const key = await this.keys.findByHash(hash);
      entry = { key, expiresAt: now + (key ? this.ttlMs : this.negativeTtlMs) };
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(hash, entry);
    }
    const key = entry.key;
    if (!key || key.revokedAt !== null) throw new AppError('unauthorized', 'Invalid or revoked API key.');
    return { keyId: key.id, projectId: key.projectId, role: key.role, instanceAdmin: key.instanceAdmin };
  }

  /** Forget cached keys and projects (after a revoke or a project delete). */
  invalidate(): void {
    this.cache.clear();
    this.projectCache.clear();
  }
}

function extractSecret(headers: Readonly<Record<string, string | string[] | undefined>>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S.*)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  return null;
}
