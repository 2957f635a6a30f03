// API keys, stored only as SHA-256 hashes (keys are 32 random bytes, so a fast hash is enough).
// The spine has one bootstrap key; the governance issue adds creation per role and revocation.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from './db.js';

export interface ApiClient {
  id: string;
  name: string;
  role: string;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const CACHE_MS = 30_000;

export function generateApiKey(): string {
  return 'chk_' + randomBytes(32).toString('base64url');
}

export class ApiKeys {
  private cache = new Map<string, { client: ApiClient | undefined; until: number }>();

  constructor(private readonly db: Queryable) {}

  /**
   * Makes sure the bootstrap admin key works: the configured one (CLAIMHUB_API_KEY), or — when
   * none is configured and the store has no key at all — a new one, returned once to be shown.
   */
  async ensureBootstrap(configured?: string): Promise<{ generated?: string }> {
    if (configured) {
      await this.db.query(
        `INSERT INTO api_keys (id, name, role, key_hash) VALUES ($1, 'bootstrap', 'admin', $2)
         ON CONFLICT (key_hash) DO NOTHING`,
        [randomUUID(), hashKey(configured)],
      );
      return {};
    }
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL');
    if ((rows[0]?.n ?? 0) > 0) return {};
    const key = generateApiKey();
    await this.db.query(`INSERT INTO api_keys (id, name, role, key_hash) VALUES ($1, 'bootstrap', 'admin', $2)`, [
      randomUUID(),
      hashKey(key),
    ]);
    return { generated: key };
  }

  async authenticate(key: string): Promise<ApiClient | undefined> {
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.client;
    const { rows } = await this.db.query<ApiClient>('SELECT id, name, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
      hash,
    ]);
    const client = rows[0];
    this.cache.set(hash, { client, until: Date.now() + CACHE_MS });
    return client;
  }
}
