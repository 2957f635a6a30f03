// Real services for tests: PostgreSQL (a fresh schema per suite), PGlite (in memory), Redis (a
// fresh key prefix per suite). Everything a suite creates it removes again.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openStore, type Store } from '../../store/index.js';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type StoreKind = 'postgres' | 'pglite';
export const STORE_KINDS: StoreKind[] = ['postgres', 'pglite'];

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A PostgreSQL URL whose connections live in a new schema; `drop` removes it. */
export async function postgresSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = uniqueName('test');
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export interface TestStore {
  store: Store;
  close(): Promise<void>;
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const store = await openStore({ dataDir: 'memory://' });
    return { store, close: () => store.close() };
  }
  const schema = await postgresSchema();
  const store = await openStore({ databaseUrl: schema.url });
  return {
    store,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

/** Deletes every Redis key under the prefix (BullMQ keys are `<prefix>:<queue>:…`). */
export async function clearRedisPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
