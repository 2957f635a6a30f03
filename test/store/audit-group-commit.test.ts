// Records that stand alone (reads of PHI, refusals) are group-committed: concurrent callers share
// a transaction, each is answered only once its record is stored, and the chain still verifies.
import assert from 'node:assert/strict';
import type { Db } from '../../store/db.js';
import { auditGroupCommit, auditRecordOf, verifyAuditChain } from '../../store/audit.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/services.js';

const reader = { actor: 'api:night-shift', role: 'ops', client: 'key-1', requestId: 'req', sourceIp: '127.0.0.1' };

for (const kind of STORE_KINDS) {
  describe(`audit group commit (${kind})`, function () {
    this.timeout(60_000);
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t?.close();
    });

    /** The database, counting the transactions opened through it. */
    function counting(db: Db): { db: Db; transactions: () => number } {
      let transactions = 0;
      const wrapped: Db = Object.assign(Object.create(db) as Db, {
        transaction: <T>(work: Parameters<Db['transaction']>[0]) => {
          transactions++;
          return db.transaction(work) as Promise<T>;
        },
      });
      return { db: wrapped, transactions: () => transactions };
    }

    it('commits 300 concurrent records in a few transactions, each caller answered with its own row', async () => {
      const { db, transactions } = counting(t.store.db);
      const append = auditGroupCommit(db, 100);
      const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => append(auditRecordOf(reader, 'read', `message/m-${i}`))));
      assert.equal(new Set(ids).size, 300);
      assert.ok(transactions() <= 5 && transactions() >= 3, `${transactions()} transactions (batches of at most 100)`);
      // Each id is the row of the caller's own record.
      const { rows } = await t.store.db.query<{ id: number; resource: string }>(`SELECT id::int AS id, resource FROM audit_log WHERE resource LIKE 'message/m-%'`);
      const byId = new Map(rows.map((row) => [row.id, row.resource]));
      ids.forEach((id, i) => assert.equal(byId.get(id), `message/m-${i}`));
      assert.equal((await verifyAuditChain(t.store.db)).ok, true);
    });

    it('rejects every caller of a batch that fails, and commits the next batch', async () => {
      let fail = true;
      const flaky: Db = Object.assign(Object.create(t.store.db) as Db, {
        transaction: <T>(work: Parameters<Db['transaction']>[0]) =>
          fail ? Promise.reject(new Error('connection lost')) : (t.store.db.transaction(work) as Promise<T>),
      });
      const append = auditGroupCommit(flaky);
      const refused = await Promise.allSettled([append(auditRecordOf(reader, 'read', 'message/lost-1')), append(auditRecordOf(reader, 'read', 'message/lost-2'))]);
      assert.deepEqual(refused.map((r) => r.status), ['rejected', 'rejected']);
      fail = false;
      assert.ok((await append(auditRecordOf(reader, 'read', 'message/kept'))) > 0);
      const { rows } = await t.store.db.query<{ resource: string }>(`SELECT resource FROM audit_log WHERE resource IN ('message/lost-1', 'message/lost-2', 'message/kept')`);
      assert.deepEqual(rows.map((row) => row.resource), ['message/kept']);
    });
  });
}
