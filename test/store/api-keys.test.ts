import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKeys, KeyAlreadyRevoked, KeyNameTaken, KeyNotFound, KeyRequestInvalid } from '../../store/api-keys.js';
import { openDatabase, type Db, type Queryable } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { openTestStore, postgresSchema, STORE_KINDS, type StoreKind, type TestStore } from '../support/services.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ADMIN = 'api:admin-alice';

/** `db`, with every last-use write handed to `onLastUse` (which may delay it, or fail instead). */
function watchingLastUse(db: Queryable, onLastUse: (write: () => Promise<unknown>) => Promise<unknown>): Queryable {
  return {
    query: <T>(text: string, params?: unknown[]) => {
      const write = () => db.query<T>(text, params);
      return /SET last_used_at/.test(text) ? (onLastUse(write) as ReturnType<typeof write>) : write();
    },
    exec: (text) => db.exec(text),
  };
}

for (const kind of STORE_KINDS) {
  describe(`store: API keys (${kind})`, function () {
    this.timeout(30_000);
    let t: TestStore;
    let keys: ApiKeys;
    beforeEach(async () => {
      t = await openTestStore(kind);
      keys = new ApiKeys(t.store.db);
    });
    afterEach(async () => {
      await t.close();
    });

    it('creates a key that authenticates as its client, storing its hash and first 12 characters, never the key', async () => {
      const { key, record } = await keys.create({
        name: 'epic-prod',
        role: 'source',
        sources: ['epic-charges', 'epic-adt'],
        createdBy: ADMIN,
      });
      assert.match(key, /^chk_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await keys.authenticate(key), {
        id: record.id,
        name: 'epic-prod',
        role: 'source',
        sources: ['epic-charges', 'epic-adt'],
      });
      const { rows } = await t.store.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [record.id]);
      assert.equal(rows[0]!.key_hash, sha256(key));
      assert.equal(rows[0]!.prefix, key.slice(0, 12));
      assert.ok(!JSON.stringify(rows[0]).includes(key.slice(12)), 'no column holds the rest of the key');
      assert.equal(record.createdBy, ADMIN);
      assert.equal(record.prefix, key.slice(0, 12));
    });

    it('lists keys without hashes, revoked ones only when asked', async () => {
      const ops = await keys.create({ name: 'night-shift', role: 'ops', createdBy: ADMIN });
      const auditor = await keys.create({ name: 'compliance', role: 'auditor', expiresAt: '2099-01-01T00:00:00Z', createdBy: ADMIN });
      await keys.revoke(ops.record.id, ADMIN);
      const working = await keys.list();
      assert.deepEqual(
        working.map((k) => [k.name, k.role, k.sources, k.expiresAt, k.revokedAt]),
        [['compliance', 'auditor', null, '2099-01-01T00:00:00.000Z', null]],
      );
      const all = await keys.list({ includeRevoked: true });
      assert.deepEqual(all.map((k) => [k.name, k.revokedBy]).sort(), [
        ['compliance', null],
        ['night-shift', ADMIN],
      ]);
      assert.deepEqual(Object.keys(all[0]!).sort(), [
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
        'revokedBy',
        'role',
        'sources',
      ]);
      const listed = JSON.stringify(all);
      for (const key of [ops.key, auditor.key]) assert.ok(!listed.includes(sha256(key)) && !listed.includes(key));
    });

    it('gets one key by id, and names an unknown id in a KeyNotFound', async () => {
      const { record } = await keys.create({ name: 'architect-bob', role: 'architect', createdBy: ADMIN });
      assert.deepEqual(await keys.get(record.id), record);
      await assert.rejects(
        keys.get('7c0b3a9e-1111-4222-8333-944445555666'),
        (e: unknown) => e instanceof KeyNotFound && /7c0b3a9e/.test(e.message),
      );
      await assert.rejects(keys.get('not-a-uuid'), KeyNotFound);
    });

    it('refuses a revoked key at once in the process that revoked it', async () => {
      const { key, record } = await keys.create({ name: 'lab-feed', role: 'source', createdBy: ADMIN });
      assert.equal((await keys.authenticate(key))?.name, 'lab-feed', 'the answer is now cached');
      const revoked = await keys.revoke(record.id, ADMIN);
      assert.ok(revoked.revokedAt);
      assert.equal(await keys.authenticate(key), undefined);
    });

    it('answers a second revocation with KeyAlreadyRevoked and an unknown id with KeyNotFound', async () => {
      const { record } = await keys.create({ name: 'twice', role: 'ops', createdBy: ADMIN });
      await keys.revoke(record.id, 'api:first-admin');
      await assert.rejects(
        keys.revoke(record.id, 'api:second-admin'),
        (e: unknown) => e instanceof KeyAlreadyRevoked && /api:first-admin/.test(e.message),
      );
      await assert.rejects(keys.revoke('7c0b3a9e-1111-4222-8333-944445555666', ADMIN), KeyNotFound);
      await assert.rejects(keys.revoke('nonsense', ADMIN), KeyNotFound);
    });

    it('refuses an expired key, also one whose answer is cached', async () => {
      const { key, record } = await keys.create({
        name: 'short-lived',
        role: 'ops',
        expiresAt: new Date(Date.now() + 400),
        createdBy: ADMIN,
      });
      assert.equal((await keys.authenticate(key))?.name, 'short-lived');
      await sleep(500);
      assert.equal(await keys.authenticate(key), undefined);
      await t.store.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [record.id]);
      assert.equal(await new ApiKeys(t.store.db).authenticate(key), undefined, 'a fresh process refuses it too');
    });

    it('records last use once a minute however often a key is used, across processes too', async () => {
      const { key, record } = await keys.create({ name: 'busy', role: 'source', createdBy: ADMIN });
      const writes: Promise<unknown>[] = [];
      const counted = watchingLastUse(t.store.db, (write) => {
        const written = write();
        writes.push(written);
        return written;
      });
      const busy = new ApiKeys(counted);
      for (let i = 0; i < 50; i++) assert.ok(await busy.authenticate(key));
      await Promise.all(writes);
      assert.equal(writes.length, 1, 'one write for 50 uses');
      const lastUsed = async () => (await keys.get(record.id)).lastUsedAt;
      const first = await lastUsed();
      assert.ok(first);
      const otherProcess = new ApiKeys(counted);
      assert.ok(await otherProcess.authenticate(key));
      await Promise.all(writes);
      assert.equal(await lastUsed(), first, 'another process within the minute leaves it as it is');
    });

    it('records last use off the request path and reports a failed write to onError', async () => {
      const { key } = await keys.create({ name: 'flaky-db', role: 'source', createdBy: ADMIN });
      let fail!: (error: Error) => void;
      const reported: unknown[] = [];
      const flaky = new ApiKeys(
        watchingLastUse(t.store.db, () => new Promise((_, reject) => (fail = reject))),
        { onError: (error) => reported.push(error) },
      );
      assert.equal((await flaky.authenticate(key))?.name, 'flaky-db', 'answered while the write is still pending');
      fail(new Error('connection reset'));
      await sleep(10);
      assert.deepEqual(
        reported.map((e) => (e as Error).message),
        ['connection reset'],
      );
    });

    it("refuses a second working key with the same name, but gives a revoked key's name again", async () => {
      const first = await keys.create({ name: 'clearinghouse', role: 'source', createdBy: ADMIN });
      await assert.rejects(
        keys.create({ name: 'clearinghouse', role: 'ops', createdBy: ADMIN }),
        (e: unknown) => e instanceof KeyNameTaken && e.issues[0]!.path === 'name',
      );
      await keys.revoke(first.record.id, ADMIN);
      const second = await keys.create({ name: 'clearinghouse', role: 'source', createdBy: ADMIN });
      assert.equal((await keys.authenticate(second.key))?.id, second.record.id);
      assert.equal(await keys.authenticate(first.key), undefined);
    });

    it('limits only source keys to sources, and names each broken rule', async () => {
      const refused = (field: string) => (e: unknown) => e instanceof KeyRequestInvalid && e.issues.some((issue) => issue.path === field);
      await assert.rejects(keys.create({ name: 'ops-with-sources', role: 'ops', sources: ['epic'], createdBy: ADMIN }), refused('sources'));
      await assert.rejects(keys.create({ name: 'no-sources', role: 'source', sources: [], createdBy: ADMIN }), refused('sources'));
      await assert.rejects(keys.create({ name: 'king', role: 'superuser' as 'admin', createdBy: ADMIN }), refused('role'));
      await assert.rejects(
        keys.create({ name: 'stale', role: 'ops', expiresAt: '2001-01-01T00:00:00Z', createdBy: ADMIN }),
        refused('expiresAt'),
      );
      await assert.rejects(keys.create({ name: ' ', role: 'ops', createdBy: ADMIN }), refused('name'));
      assert.deepEqual(await keys.list({ includeRevoked: true }), []);
      const { key } = await keys.create({ name: 'any-source', role: 'source', createdBy: ADMIN });
      assert.deepEqual(
        await keys.authenticate(key),
        { id: (await keys.list())[0]!.id, name: 'any-source', role: 'source' },
        'no sources: any source',
      );
    });

    it("creates and revokes in the caller's transaction, which a taken name leaves usable", async () => {
      await assert.rejects(
        t.store.db.transaction(async (tx) => {
          await keys.create({ name: 'rolled-back', role: 'ops', createdBy: ADMIN }, tx);
          throw new Error('the audit row could not be written');
        }),
        /audit row/,
      );
      assert.deepEqual(await keys.list(), []);
      const { key, record } = await keys.create({ name: 'taken', role: 'ops', createdBy: ADMIN });
      assert.ok(await keys.authenticate(key));
      await assert.rejects(
        t.store.db.transaction(async (tx) => {
          await keys.revoke(record.id, ADMIN, tx);
          throw new Error('the audit row could not be written');
        }),
        /audit row/,
      );
      assert.equal((await keys.authenticate(key))?.name, 'taken', 'a rolled-back revocation leaves the key working');
      const after = await t.store.db.transaction(async (tx) => {
        await assert.rejects(keys.create({ name: 'taken', role: 'ops', createdBy: ADMIN }, tx), KeyNameTaken);
        return (await tx.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok;
      });
      assert.equal(after, 1);
    });

    it('generates a bootstrap key once on a store without keys', async () => {
      const first = await t.store.keys.ensureBootstrap();
      assert.match(first.generated!, /^chk_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await t.store.keys.ensureBootstrap(), {}, 'a second start shows no new key');
      const { rows } = await t.store.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
      assert.deepEqual(rows, [{ key_hash: sha256(first.generated!) }]);
      assert.deepEqual(await t.store.keys.authenticate(first.generated!), {
        id: (await keys.list())[0]!.id,
        name: 'bootstrap',
        role: 'admin',
      });
    });

    it('accepts the configured bootstrap key after every start, refuses others, and never lists its characters', async () => {
      await t.store.keys.ensureBootstrap('configured-key-0123456789');
      await new ApiKeys(t.store.db).ensureBootstrap('configured-key-0123456789');
      assert.equal((await t.store.keys.authenticate('configured-key-0123456789'))?.name, 'bootstrap');
      assert.equal(await t.store.keys.authenticate('configured-key-012345678X'), undefined);
      assert.equal((await keys.list())[0]!.prefix, null);
    });

    it('retires the bootstrap key when CLAIMHUB_API_KEY changes, and keeps a revoked one revoked', async () => {
      await keys.ensureBootstrap('first-configured-key-0001');
      await keys.ensureBootstrap('second-configured-key-002');
      assert.equal(await keys.authenticate('first-configured-key-0001'), undefined);
      const second = await keys.authenticate('second-configured-key-002');
      assert.equal(second?.name, 'bootstrap');
      await keys.revoke(second!.id, ADMIN);
      await keys.ensureBootstrap('second-configured-key-002');
      assert.equal(await new ApiKeys(t.store.db).authenticate('second-configured-key-002'), undefined);
    });
  });
}

// Concurrent connections: PGlite has one, so these run on PostgreSQL only.
describe('store: API keys across connections (postgres)', function () {
  this.timeout(30_000);
  let t: TestStore;
  before(async () => {
    t = await openTestStore('postgres');
  });
  after(async () => {
    await t.close();
  });

  it('refuses a key revoked in a transaction that commits after a request looked it up', async () => {
    const keys = new ApiKeys(t.store.db);
    const { key, record } = await keys.create({ name: 'slow-revoke', role: 'ops', createdBy: ADMIN });
    await t.store.db.transaction(async (tx) => {
      await keys.revoke(record.id, ADMIN, tx);
      assert.equal((await keys.authenticate(key))?.name, 'slow-revoke', 'not revoked until the transaction commits');
    });
    assert.equal(await keys.authenticate(key), undefined);
  });

  it('refuses a key revoked by another process within 5 seconds', async () => {
    const gateway = new ApiKeys(t.store.db);
    const admin = new ApiKeys(t.store.db);
    const { key, record } = await admin.create({ name: 'moved-on', role: 'source', createdBy: ADMIN });
    assert.ok(await gateway.authenticate(key));
    await admin.revoke(record.id, ADMIN);
    await sleep(5_050);
    assert.equal(await gateway.authenticate(key), undefined);
  });
});

const SHIPPED = fileURLToPath(new URL('../../store/migrations/', import.meta.url));

async function openEmpty(kind: StoreKind): Promise<{ db: Db; close(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    return { db, close: () => db.close() };
  }
  const schema = await postgresSchema();
  const db = await openDatabase({ databaseUrl: schema.url });
  return {
    db,
    async close() {
      await db.close();
      await schema.drop();
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`store: API key management migration (${kind})`, function () {
    this.timeout(30_000);

    it('keeps both bootstrap keys a changed CLAIMHUB_API_KEY left working, under names of their own', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'claimhub-migrations-'));
      const { db, close } = await openEmpty(kind);
      try {
        await cp(SHIPPED, dir, { recursive: true });
        await rm(join(dir, '0009_api_key_management.sql'));
        await migrate(db, dir + '/');
        await db.query(
          `INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES
          ('00000000-0000-4000-8000-000000000001', 'bootstrap', 'admin', $1, now() - interval '1 day'),
          ('00000000-0000-4000-8000-000000000002', 'bootstrap', 'admin', $2, now())`,
          [sha256('old-configured-key'), sha256('new-configured-key')],
        );
        await cp(join(SHIPPED, '0009_api_key_management.sql'), join(dir, '0009_api_key_management.sql'));
        assert.deepEqual(await migrate(db, dir + '/'), [9]);
        const keys = new ApiKeys(db);
        assert.equal((await keys.authenticate('new-configured-key'))?.name, 'bootstrap');
        assert.equal((await keys.authenticate('old-configured-key'))?.name, 'bootstrap-00000000');
      } finally {
        await close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
