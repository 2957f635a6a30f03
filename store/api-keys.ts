// API keys, one per client: a role, for source keys the sources it may submit as, an optional
// expiry. Stored only as SHA-256 hashes (keys are 32 random bytes, so a fast hash is enough).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ClaimhubError, type Issue } from '../canonical-model/errors.js';
import type { Queryable } from './db.js';

export const KEY_ROLES = ['source', 'architect', 'ops', 'auditor', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Who presented a working key. */
export interface ApiClient {
  id: string;
  name: string;
  role: KeyRole;
  /** Source ids a source key may submit as; absent: any. */
  sources?: string[];
}

/** A key as operators see it: never the key, never its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: KeyRole;
  sources: string[] | null;
  /** The key's first 12 characters (`chk_` and 8 more); null for a configured bootstrap key. */
  prefix: string | null;
  createdAt: string;
  /** null: the bootstrap key, installed by the hub itself. */
  createdBy: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface NewApiKey {
  name: string;
  role: KeyRole;
  /** Only for role source. */
  sources?: string[];
  expiresAt?: Date | string;
  createdBy: string;
}

export interface ApiKeysOptions {
  /** Told when recording a key's last use fails (the request it came from goes on regardless). */
  onError?: (error: unknown) => void;
}

abstract class ApiKeyError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

/** A key request breaking a rule (role, sources, expiry, name); each issue names the field. */
export class KeyRequestInvalid extends ApiKeyError {}

/** A working key already has this name (names identify clients in logs and the audit trail). */
export class KeyNameTaken extends ApiKeyError {
  static of(name: string): KeyNameTaken {
    const message = `a working API key is already named "${name}": revoke it first, or choose another name`;
    return new KeyNameTaken(message, [{ path: 'name', rule: 'unique', message }]);
  }
}

export class KeyNotFound extends ApiKeyError {
  static of(id: string): KeyNotFound {
    const message = `no API key ${id}`;
    return new KeyNotFound(message, [{ path: 'id', rule: 'exists', message }]);
  }
}

export class KeyAlreadyRevoked extends ApiKeyError {
  static of(record: ApiKeyRecord): KeyAlreadyRevoked {
    const message = `API key ${record.id} (${record.name}) was already revoked by ${record.revokedBy ?? 'someone'} at ${record.revokedAt}`;
    return new KeyAlreadyRevoked(message, [{ path: 'id', rule: 'not-revoked', message }]);
  }
}

const BOOTSTRAP_NAME = 'bootstrap';
const GENERATED_KEY = /^chk_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 12;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A revocation or expiry in another process takes effect here within CACHE_MS: a key's answer is
// reused at most that long. A revocation in this process takes effect at once.
const CACHE_MS = 5_000;
// Unknown keys are cached too; past this many entries the cache starts over, so a flood of
// made-up keys cannot grow it without bound.
const CACHE_MAX_ENTRIES = 10_000;
const LAST_USE_EVERY_SECONDS = 60;

const COLUMNS = 'id, name, role, sources, prefix, created_at, created_by, last_used_at, expires_at, revoked_at, revoked_by';

interface Row {
  id: string;
  name: string;
  role: KeyRole;
  sources: string[] | null;
  prefix: string | null;
  created_at: Date | string;
  created_by: string | null;
  last_used_at: Date | string | null;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

interface CachedAnswer {
  client: ApiClient | undefined;
  /** Epoch ms; null: never. */
  expiresAt: number | null;
  until: number;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function generateApiKey(): string {
  return 'chk_' + randomBytes(32).toString('base64url');
}

/** Shown in listings only for keys we generated: a configured key may be short, and its start is a secret. */
function prefixOf(key: string): string | null {
  return GENERATED_KEY.test(key) ? key.slice(0, PREFIX_LENGTH) : null;
}

function recordOf(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    sources: row.sources,
    prefix: row.prefix,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    lastUsedAt: iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
  };
}

/** The request checked against the key rules; every broken rule is an issue of one KeyRequestInvalid. */
function checkNewKey(
  request: NewApiKey,
  now = Date.now(),
): { name: string; role: KeyRole; sources: string[] | null; expiresAt: Date | null } {
  const issues: Issue[] = [];
  const refuse = (path: string, rule: string, message: string) => issues.push({ path, rule, message });
  const name = request.name.trim();
  if (name === '') refuse('name', 'required', 'a key needs a name: it identifies the client in logs and the audit trail');
  if (!(KEY_ROLES as readonly string[]).includes(request.role)) refuse('role', 'enum', `role must be one of ${KEY_ROLES.join(', ')}`);
  if (request.sources !== undefined) {
    if (request.role !== 'source') refuse('sources', 'source-role-only', 'only a key of role source is limited to sources');
    else if (request.sources.length === 0 || request.sources.some((source) => source.trim() === '')) {
      refuse('sources', 'non-empty', 'list the source ids the key may submit as, or leave sources out for any source');
    }
  }
  const expiresAt = request.expiresAt === undefined ? null : new Date(request.expiresAt);
  if (expiresAt && Number.isNaN(expiresAt.getTime())) refuse('expiresAt', 'date-time', 'expiresAt must be an ISO 8601 date and time');
  else if (expiresAt && expiresAt.getTime() <= now) refuse('expiresAt', 'future', 'expiresAt must be in the future');
  if (issues.length > 0) throw new KeyRequestInvalid(`the API key cannot be created: ${issues.map((i) => i.message).join('; ')}`, issues);
  return { name, role: request.role, sources: request.sources ?? null, expiresAt };
}

export class ApiKeys {
  private readonly cache = new Map<string, CachedAnswer>();
  /** Hashes revoked here, and until when they are never cached (a revoking transaction may not have committed yet). */
  private readonly revoking = new Map<string, number>();
  /** When this process last recorded each key's use (epoch ms, by key id). */
  private readonly lastUseRecorded = new Map<string, number>();
  private readonly onError: (error: unknown) => void;
  /** Told of each key hash revoked here, so other processes stop accepting it too (see forgetRevoked). */
  private announce: (hash: string) => void = () => {};

  constructor(
    private readonly db: Queryable,
    options: ApiKeysOptions = {},
  ) {
    this.onError =
      options.onError ?? ((error) => process.emitWarning(`could not record an API key's last use: ${(error as Error).message}`));
  }

  /**
   * Makes sure the bootstrap admin key works: the configured one (CLAIMHUB_API_KEY), or — when
   * none is configured and the store has no working key — a new one, returned once to be shown.
   */
  async ensureBootstrap(configured?: string): Promise<{ generated?: string }> {
    if (!configured && (await this.hasWorkingKey())) return {};
    const key = configured ?? generateApiKey();
    await this.installBootstrap(key);
    return configured ? {} : { generated: key };
  }

  /** Creates a key; `key` is shown to its owner once and never stored. Pass `tx` to audit in the same transaction. */
  async create(request: NewApiKey, tx: Queryable = this.db): Promise<{ key: string; record: ApiKeyRecord }> {
    const { name, role, sources, expiresAt } = checkNewKey(request);
    const key = generateApiKey();
    // No conflict target: the only conflict a new random key can meet is the working-name index.
    const { rows } = await tx.query<Row>(
      `INSERT INTO api_keys (id, name, role, key_hash, sources, created_by, expires_at, prefix)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [randomUUID(), name, role, hashKey(key), sources, request.createdBy, expiresAt?.toISOString() ?? null, prefixOf(key)],
    );
    if (!rows[0]) throw KeyNameTaken.of(name);
    return { key, record: recordOf(rows[0]) };
  }

  /** Working and expired keys, oldest first; revoked ones too with `includeRevoked`. */
  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_keys ${where} ORDER BY created_at, id`);
    return rows.map(recordOf);
  }

  async get(id: string, tx: Queryable = this.db): Promise<ApiKeyRecord> {
    const { rows } = UUID.test(id) ? await tx.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]) : { rows: [] };
    if (!rows[0]) throw KeyNotFound.of(id);
    return recordOf(rows[0]);
  }

  /**
   * Revokes a key: this process refuses it at once, others as soon as the announcement reaches them
   * (announceRevocations), and within CACHE_MS if it does not. Pass `tx` to audit in the same transaction.
   */
  async revoke(id: string, by: string, tx: Queryable = this.db): Promise<ApiKeyRecord> {
    const { rows } = UUID.test(id)
      ? await tx.query<Row & { key_hash: string }>(
          `UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}, key_hash`,
          [id, by],
        )
      : { rows: [] };
    if (!rows[0]) throw KeyAlreadyRevoked.of(await this.get(id, tx));
    this.forget(rows[0].key_hash);
    // Before the commit: a process told early stops caching the key and reads it until it sees it revoked.
    this.announce(rows[0].key_hash);
    return recordOf(rows[0]);
  }

  /** `announce` is told the hash of each key revoked in this process. */
  announceRevocations(announce: (hash: string) => void): void {
    this.announce = announce;
  }

  /** A key another process revoked: no longer answered from this process's cache. */
  forgetRevoked(hash: string): void {
    this.forget(hash);
  }

  /** The client a key belongs to; undefined when it is unknown, revoked or expired. */
  async authenticate(key: string): Promise<ApiClient | undefined> {
    const hash = hashKey(key);
    const now = Date.now();
    const answer = this.cached(hash, now) ?? (await this.lookUp(hash, now));
    if (!answer.client || (answer.expiresAt !== null && answer.expiresAt <= now)) return undefined;
    this.recordUse(answer.client.id, now);
    return answer.client;
  }

  private async hasWorkingKey(): Promise<boolean> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  /**
   * A new bootstrap key replaces the working one (a changed CLAIMHUB_API_KEY retires the old key).
   * A key already stored is left as it is: working, or revoked by an operator and staying so.
   */
  private async installBootstrap(key: string): Promise<void> {
    const hash = hashKey(key);
    const { rows } = await this.db.query('SELECT 1 FROM api_keys WHERE key_hash = $1', [hash]);
    if (rows.length > 0) return;
    await this.db.query(
      `UPDATE api_keys SET revoked_at = now(), revoked_by = 'hub: new bootstrap key' WHERE name = $1 AND revoked_at IS NULL`,
      [BOOTSTRAP_NAME],
    );
    // No conflict target: another hub process starting with the same key may have just inserted it.
    await this.db.query(`INSERT INTO api_keys (id, name, role, key_hash, prefix) VALUES ($1, $2, 'admin', $3, $4) ON CONFLICT DO NOTHING`, [
      randomUUID(),
      BOOTSTRAP_NAME,
      hash,
      prefixOf(key),
    ]);
  }

  private cached(hash: string, now: number): CachedAnswer | undefined {
    const answer = this.cache.get(hash);
    return answer && answer.until > now ? answer : undefined;
  }

  private async lookUp(hash: string, now: number): Promise<CachedAnswer> {
    const { rows } = await this.db.query<{
      id: string;
      name: string;
      role: KeyRole;
      sources: string[] | null;
      expires_at: Date | string | null;
    }>('SELECT id, name, role, sources, expires_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    const row = rows[0];
    const answer: CachedAnswer = {
      client: row && { id: row.id, name: row.name, role: row.role, ...(row.sources ? { sources: row.sources } : {}) },
      expiresAt: row?.expires_at ? new Date(row.expires_at).getTime() : null,
      until: now + CACHE_MS,
    };
    if (!this.isRevoking(hash, now)) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
      this.cache.set(hash, answer);
    }
    return answer;
  }

  private forget(hash: string): void {
    this.cache.delete(hash);
    this.revoking.set(hash, Date.now() + CACHE_MS);
  }

  private isRevoking(hash: string, now: number): boolean {
    const until = this.revoking.get(hash);
    if (until !== undefined && until <= now) this.revoking.delete(hash);
    return until !== undefined && until > now;
  }

  /** Off the request's path, at most once a minute per key (the WHERE keeps it so across processes). */
  private recordUse(id: string, now: number): void {
    const last = this.lastUseRecorded.get(id);
    if (last !== undefined && now - last < LAST_USE_EVERY_SECONDS * 1000) return;
    this.lastUseRecorded.set(id, now);
    this.db
      .query(
        `UPDATE api_keys SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2))`,
        [id, LAST_USE_EVERY_SECONDS],
      )
      .catch(this.onError);
  }
}
