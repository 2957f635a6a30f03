// The audit trail on a running hub: operator actions leave hash-chained records, readable by the
// auditor and admin roles only; an edit of one record in the database is reported at exactly that
// record, a deleted record at the one after it — by the API and by `claimhub audit verify`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface Verification {
  ok: boolean;
  checked: number;
  broken?: { id: number; problem: string; detail: string };
}

for (const kind of STORE_KINDS) {
  describe(`audit trail: query and verify (${kind})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    const get = async <T>(path: string, headers: Record<string, string> = {}) => {
      const response = await t.call('GET', path, undefined, headers);
      const text = await response.text();
      assert.equal(response.status, 200, text.slice(0, 300));
      return JSON.parse(text) as T;
    };
    const ids = async () => (await t.hub.store.db.query<{ id: number }>('SELECT id FROM audit_log ORDER BY id')).rows.map((r) => Number(r.id));

    before(async () => {
      t = await startTestHub(kind);
      for (const action of ['pause', 'resume', 'pause', 'resume', 'pause']) {
        const response = await t.call('POST', `/v1/queues/outbox/${action}`);
        assert.equal(response.status, 200);
      }
    });
    after(async () => t?.stop());

    it('lists the records newest first, filtered and paged', async () => {
      const all = await get<{ items: { id: number; action: string; resource: string; actor: string; outcome: string }[] }>('/v1/audit');
      assert.deepEqual(all.items.map((r) => r.action), ['queue.pause', 'queue.resume', 'queue.pause', 'queue.resume', 'queue.pause']);
      assert.ok(all.items.every((r) => r.resource === 'destination/outbox' && r.actor === 'api:bootstrap' && r.outcome === 'success'));
      const paused = await get<{ items: unknown[] }>('/v1/audit?action=queue.pause&resource=destination/');
      assert.equal(paused.items.length, 3);
      const first = await get<{ items: { id: number }[]; nextBefore: number }>('/v1/audit?limit=2');
      const second = await get<{ items: { id: number }[] }>(`/v1/audit?limit=2&before=${first.nextBefore}`);
      assert.deepEqual([...first.items, ...second.items].map((r) => r.id), all.items.slice(0, 4).map((r) => r.id));
      const bad = await t.call('GET', '/v1/audit?since=yesterday');
      assert.equal(bad.status, 400);
    });

    it('is read only by auditors and admins', async () => {
      const key = `chk_source_${randomUUID()}`;
      await t.hub.store.db.query("INSERT INTO api_keys (id, name, role, key_hash) VALUES ($1, 'ehr', 'source', $2)", [
        randomUUID(),
        createHash('sha256').update(key).digest('hex'),
      ]);
      const denied = await fetch(`${t.url}/v1/audit/verify`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(denied.status, 403);
      assert.match((await denied.json()).detail, /GET \/v1\/audit\/verify is for the roles auditor, admin; this client has source/);
    });

    it('records every read of a message (PHI) before answering it: who, what, request id', async () => {
      const posted = await t.call('POST', '/v1/messages', await readFile(ACCEPTANCE_BUNDLE, 'utf8'), { 'content-type': 'application/fhir+json' });
      const { id } = (await posted.json()) as { id: string };
      const read = await t.call('GET', `/v1/messages/${id}`, undefined, { 'x-request-id': 'audit-test-read-1' });
      assert.equal(read.status, 200);
      const { items } = await get<{ items: { action: string; resource: string; actor: string; requestId: string }[] }>(`/v1/audit?action=read&resource=message/${id}`);
      assert.deepEqual(items.map((r) => [r.action, r.resource, r.actor, r.requestId]), [['read', `message/${id}`, 'api:bootstrap', 'audit-test-read-1']]);
      const missing = await t.call('GET', '/v1/messages/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal((await get<{ items: unknown[] }>('/v1/audit?resource=message/00000000-0000-4000-8000-000000000000')).items.length, 0, 'nothing was read');
    });

    it('reports an edited record at exactly that record, and a deleted one at the record after it', async () => {
      const intact = await get<Verification>('/v1/audit/verify');
      // every record: the queue actions, the message posted above (its receipt, its read) and what else the tests did
      assert.deepEqual(intact, { ok: true, checked: (await ids()).length });
      const [, , third, fourth] = await ids();
      await t.hub.store.db.query(`UPDATE audit_log SET actor = 'api:someone-else' WHERE id = $1`, [third]);
      const edited = await get<Verification>('/v1/audit/verify');
      assert.equal(edited.ok, false);
      assert.deepEqual([edited.broken!.id, edited.broken!.problem, edited.checked], [third, 'content', 2]);
      const cli = await run(process.execPath, ['bin/claimhub.js', 'audit', 'verify'], {
        cwd: ROOT,
        env: { ...process.env, CLAIMHUB_URL: t.url, CLAIMHUB_API_KEY: t.key, CLAIMHUB_CONFIG: '' },
      }).then(
        () => ({ code: 0, stdout: '' }),
        (error: { code: number; stdout: string }) => error,
      );
      assert.equal(cli.code, 1);
      assert.match(cli.stdout, new RegExp(`audit trail BROKEN at record ${third}: row ${third} does not match its hash`));

      await t.hub.store.db.query(`UPDATE audit_log SET actor = 'api:bootstrap' WHERE id = $1`, [third]);
      assert.equal((await get<Verification>('/v1/audit/verify')).ok, true, 'put back as it was, it verifies again');
      await t.hub.store.db.query('DELETE FROM audit_log WHERE id = $1', [third]);
      const deleted = await get<Verification>('/v1/audit/verify');
      assert.deepEqual([deleted.ok, deleted.broken!.id, deleted.broken!.problem], [false, fourth, 'link']);
    });
  });
}
