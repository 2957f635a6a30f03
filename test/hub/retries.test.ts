// Issue 5's must-shows against an ERP webhook that misbehaves as told (the fake receiver of
// test/connectors/http, which de-duplicates on Idempotency-Key like a real one): fails three times
// then takes it → delivered exactly once; always 400 → a dead letter after one attempt, with the
// error; always 503 → retried with growing delays, then a dead letter; and, once the cause is
// fixed, 500 dead letters replayed in bulk → each delivered once, each replay in its lineage and
// in the audit trail.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { FakeReceiver } from '../connectors/http/fake-receiver.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const BULK = 500;

describe('retries, dead letters and bulk replay against an ERP webhook (postgres)', function () {
  this.timeout(300_000);
  let erp: FakeReceiver;
  let t: TestHub;
  let bundle: string;

  const post = async (claimNumber: string) => {
    const res = await t.call('POST', '/v1/messages', bundle.replace('ACC-5520-01', claimNumber), { 'content-type': 'application/fhir+json' });
    assert.equal(res.status, 202, await res.clone().text());
    return ((await res.json()) as { id: string }).id;
  };
  const statusOf = async (id: string) => (await t.hub.store.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [id])).rows[0].status;
  const settled = (id: string, status: string) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), 60_000, `${id} ${status}`);
  const key = (id: string) => `${id}.erp`;

  before(async () => {
    erp = await FakeReceiver.start();
    bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    t = await startTestHub(
      'postgres',
      `destinations:
  - id: erp
    type: http
    url: ${erp.url('/hooks/claims')}
    headers: { Authorization: "Bearer ${erp.token}" }
    timeout: 5s
    concurrency: 16
    retry: { attempts: 5, backoff: { type: exponential, delay: 200ms, max: 5s } }
routes:
  - name: every claim to the ERP
    to: [erp]
`,
    );
  });
  after(async () => {
    await t?.stop();
    await erp?.close();
  });

  it('delivers exactly once to a destination that fails three times, then takes it', async () => {
    erp.script.push({ status: 503 }, { status: 502 }, { status: 504 });
    const id = await post('RETRY-3');
    await settled(id, 'delivered');
    assert.equal(erp.requestsWith(key(id)).length, 4);
    assert.ok(erp.accepted.has(key(id)));
    const { rows } = await t.hub.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE message_id = $1", [id]);
    assert.equal(rows[0].n, 1);
  });

  it('dead-letters after one attempt what the destination refuses with 400, with its answer as the error', async () => {
    erp.script.push({ status: 400, headers: { 'content-type': 'application/problem+json' }, body: { title: 'Bad claim', detail: 'unknown cost center' } });
    const id = await post('REFUSED-400');
    await settled(id, 'dead-lettered');
    assert.equal(erp.requestsWith(key(id)).length, 1);
    const { rows } = await t.hub.store.db.query<{ error_class: string; error: { message: string }; attempts: unknown[] }>(
      "SELECT error_class, error, attempts FROM dead_letters WHERE message_id = $1 AND status = 'open'",
      [id],
    );
    assert.equal(rows[0].error_class, 'delivery');
    assert.match(rows[0].error.message, /400.*unknown cost center/s);
    assert.equal(rows[0].attempts.length, 1);
  });

  it('retries a destination that answers 503 with growing delays, then dead-letters it with every attempt', async () => {
    erp.script.push(...Array.from({ length: 5 }, () => ({ status: 503 })));
    const id = await post('ALWAYS-503');
    await settled(id, 'dead-lettered');
    const requests = erp.requestsWith(key(id));
    assert.equal(requests.length, 5, 'the policy allows five attempts');
    // Exponential backoff from 200 ms with half jitter: the waits are within [100, 200], [200, 400], [400, 800], [800, 1600] ms (+ scheduling).
    const { rows } = await t.hub.store.db.query<{ at: string }>(
      "SELECT at::text AS at FROM message_events WHERE message_id = $1 AND event IN ('failed', 'dead-lettered') ORDER BY id",
      [id],
    );
    const gaps = rows.slice(1).map((row, i) => Date.parse(row.at) - Date.parse(rows[i].at));
    assert.equal(gaps.length, 4, JSON.stringify(rows));
    assert.ok(gaps[3] > gaps[0], `delays grow: ${gaps.join(', ')} ms`);
    assert.ok(gaps[0] >= 90 && gaps[3] >= 750, `delays follow the policy: ${gaps.join(', ')} ms`);
    const dead = await t.hub.store.db.query<{ attempts: unknown[] }>("SELECT attempts FROM dead_letters WHERE message_id = $1 AND status = 'open'", [id]);
    assert.equal(dead.rows[0].attempts.length, 5);
  });

  it(`bulk-replays ${BULK} dead letters once the cause is fixed: each delivered once, each replay in its lineage and the audit trail`, async () => {
    erp.script.push(...Array.from({ length: BULK }, () => ({ status: 422, body: { title: 'cost center missing' } })));
    const ids: string[] = [];
    for (let i = 0; i < BULK; i += 50) ids.push(...(await Promise.all(Array.from({ length: Math.min(50, BULK - i) }, (_, j) => post(`BULK-${i + j}`)))));
    for (const id of ids) await settled(id, 'dead-lettered');
    // the cause is fixed on the ERP side: it takes them from now on
    erp.script.splice(0);
    const started = await t.call('POST', '/v1/dead-letters/replay', JSON.stringify({ mode: 'as-is', filter: { destination: 'erp', errorClass: 'delivery' } }), {
      'content-type': 'application/json',
    });
    const { operationId, total } = (await started.json()) as { operationId: string; total: number };
    assert.equal(total, BULK + 1, 'the 500 and the 400 of the earlier test');
    await eventually(
      async () => {
        const op = (await (await t.call('GET', `/v1/operations/${operationId}`)).json()) as { status: string };
        return op.status === 'running' ? undefined : op;
      },
      120_000,
      'bulk replay finished',
    );
    for (const id of ids) await settled(id, 'delivered');
    for (const id of ids) {
      assert.equal(erp.requestsWith(key(id)).length, 2, `${id}: refused once, then delivered once`);
      assert.ok(erp.accepted.has(key(id)));
    }
    const { rows: replayed } = await t.hub.store.db.query<{ n: number }>(
      "SELECT count(DISTINCT message_id)::int AS n FROM message_events WHERE event = 'replayed' AND message_id = ANY($1::uuid[])",
      [ids],
    );
    assert.equal(replayed[0].n, BULK);
    const { rows: audited } = await t.hub.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'dead-letter.replay'");
    assert.equal(audited[0].n, BULK + 1);
  });
});
