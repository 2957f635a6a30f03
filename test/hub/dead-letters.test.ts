// Dead letters as an ops engineer works them, over the API of a running hub: charges that a
// billing system refused (AE) are found by filter, read with their lineage, replayed once the
// billing system takes them — one at a time or in bulk, as an operation with progress — and each
// delivered exactly once; what will never go is discarded with a reason. Every action is audited.
import assert from 'node:assert/strict';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';
import { billingConfig, startBillingSystem, type BillingSystem } from './billing-system.js';
import { mappableDft } from './hl7-fixtures.js';

interface DeadLetterItem {
  id: string;
  messageId: string;
  stage: string;
  destination: string | null;
  errorClass: string;
  status: string;
  error: { message: string };
  message: { source: string; messageType: string; controlIds: Record<string, string> };
}

for (const kind of STORE_KINDS) describe(`dead letters: find, replay, discard (${kind})`, function () {
  this.timeout(180_000);
  let billing: BillingSystem;
  let t: TestHub;

  const json = async <T>(response: Response, status: number): Promise<T> => {
    const text = await response.text();
    assert.equal(response.status, status, text.slice(0, 500));
    return JSON.parse(text) as T;
  };
  const post = (path: string, body: unknown) => t.call('POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
  const list = async (query: string) => json<{ items: DeadLetterItem[]; nextCursor?: string }>(await t.call('GET', `/v1/dead-letters${query}`), 200);
  const statusOf = async (controlId: string) =>
    (await t.hub.store.db.query<{ status: string }>("SELECT status FROM messages WHERE control_ids->>'controlId' = $1", [controlId])).rows[0]?.status;
  /** Sends DFTs over MLLP and waits until the billing system refused each with AE. */
  const refusedCharges = async (ids: string[]) => {
    billing.script.push(...ids.map(() => 'AE'));
    const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.mllp });
    try {
      for (const id of ids) await client.send(mappableDft(id));
    } finally {
      await client.close();
    }
    for (const id of ids) await eventually(async () => ((await statusOf(id)) === 'dead-lettered' ? true : undefined), 30_000, `${id} dead-lettered`);
  };
  /** DFTs the billing system got for the claim of `controlId` (its claim number is the visit, V<control id>). */
  const sentToBilling = (controlId: string) => billing.received.filter((r) => new RegExp(`[|^]V${controlId}[|^\r]`).test(r.text)).length;

  before(async () => {
    billing = await startBillingSystem();
    t = await startTestHub(kind, billingConfig(billing.port));
  });
  after(async () => {
    await t?.stop();
    await billing?.close();
  });

  it('lists a refused delivery by destination, error class and source, and shows it with the lineage of its message', async () => {
    await refusedCharges(['DL-ONE']);
    const { items } = await list('?destination=billing&errorClass=delivery&source=mllp');
    const item = items.find((i) => i.message.controlIds.controlId === 'DL-ONE')!;
    assert.ok(item, JSON.stringify(items).slice(0, 300));
    assert.deepEqual([item.stage, item.destination, item.status, item.message.messageType], ['deliver', 'billing', 'open', 'DFT^P03']);
    assert.match(item.error.message, /AE: patient not registered here/);
    assert.deepEqual((await list('?destination=elsewhere')).items, []);
    assert.deepEqual((await list('?status=discarded')).items.filter((i) => i.id === item.id), []);
    const one = await json<DeadLetterItem & { lineage: { events: { event: string }[] }; attempts: unknown[] }>(await t.call('GET', `/v1/dead-letters/${item.id}`), 200);
    assert.deepEqual(
      one.lineage.events.map((e) => e.event),
      ['received', 'parsed', 'mapped', 'routed', 'dead-lettered'],
    );
    assert.equal(one.attempts.length, 1);
  });

  it('replays a dead letter once the billing system takes it: delivered exactly once, the dead letter closed, the replay in the lineage and the audit trail', async () => {
    const [item] = (await list('?destination=billing')).items.filter((i) => i.message.controlIds.controlId === 'DL-ONE');
    const before = sentToBilling('DL-ONE');
    const answer = await json<{ status: string; messageStatus: string }>(await post(`/v1/dead-letters/${item.id}/replay`, { mode: 'as-is' }), 202);
    assert.deepEqual([answer.status, answer.messageStatus], ['replayed', 'routed']);
    await eventually(async () => ((await statusOf('DL-ONE')) === 'delivered' ? true : undefined), 30_000, 'DL-ONE delivered');
    assert.equal(sentToBilling('DL-ONE') - before, 1, 'sent once more, and accepted');
    const again = await post(`/v1/dead-letters/${item.id}/replay`, { mode: 'as-is' });
    assert.equal(again.status, 409, 'a replayed dead letter is not replayed twice');
    const view = await json<{ events: { event: string; detail?: { mode?: string } }[] }>(await t.call('GET', `/v1/messages/${item.messageId}`), 200);
    assert.deepEqual(view.events.map((e) => e.event).slice(-3), ['dead-lettered', 'replayed', 'delivered']);
    const { rows } = await t.hub.store.db.query<{ action: string; resource: string; actor: string; outcome: string }>(
      'SELECT action, resource, actor, outcome FROM audit_log WHERE resource = $1 ORDER BY id',
      [`dead-letter/${item.id}`],
    );
    // the earlier GET of this dead letter (a read of PHI), then the replay
    assert.deepEqual(rows.map((r) => r.action), ['read', 'dead-letter.replay']);
    assert.match(rows[1].actor, /^api:/);
  });

  it('discards only with a reason; the message is then discarded, and the dead letter listed as such', async () => {
    await refusedCharges(['DL-DISCARD']);
    const [item] = (await list('?destination=billing')).items.filter((i) => i.message.controlIds.controlId === 'DL-DISCARD');
    const noReason = await post(`/v1/dead-letters/${item.id}/discard`, {});
    assert.equal(noReason.status, 400);
    const refusal = await noReason.json();
    assert.match(refusal.detail, /"reason" is required/);
    assert.equal(refusal.errors[0].path, '$.reason');
    await json(await post(`/v1/dead-letters/${item.id}/discard`, { reason: 'patient moved to another billing entity' }), 200);
    assert.equal(await statusOf('DL-DISCARD'), 'discarded');
    const discarded = (await list('?status=discarded')).items.find((i) => i.id === item.id);
    assert.ok(discarded);
    assert.equal((await post(`/v1/dead-letters/${item.id}/replay`, {})).status, 409);
  });

  it('bulk-replays every open dead letter a filter selects, as an operation with progress: each delivered exactly once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `DL-BULK-${i}`);
    await refusedCharges(ids);
    const dry = await json<{ count: number }>(await post('/v1/dead-letters/replay', { mode: 'as-is', dryRun: true, filter: { destination: 'billing' } }), 200);
    assert.equal(dry.count, 30);
    const before = ids.map(sentToBilling);
    const started = await post('/v1/dead-letters/replay', { mode: 'as-is', filter: { destination: 'billing', messageType: 'DFT^P03' } });
    const { operationId, total } = await json<{ operationId: string; total: number }>(started, 202);
    assert.equal(total, 30);
    assert.equal(started.headers.get('location'), `/v1/operations/${operationId}`);
    const finished = await eventually(async () => {
      const operation = await json<{ status: string; done: number; failed: number }>(await t.call('GET', `/v1/operations/${operationId}`), 200);
      return operation.status === 'running' ? undefined : operation;
    }, 60_000, 'operation finished');
    assert.deepEqual([finished.status, finished.done, finished.failed], ['succeeded', 30, 0]);
    for (const id of ids) await eventually(async () => ((await statusOf(id)) === 'delivered' ? true : undefined), 30_000, `${id} delivered`);
    assert.deepEqual(ids.map((id, i) => sentToBilling(id) - before[i]), ids.map(() => 1), 'each sent once more');
    assert.deepEqual((await list('?destination=billing')).items, [], 'nothing left open');
    const verification = (await (await t.call('GET', '/v1/audit/verify')).json()) as { ok: boolean; checked: number };
    assert.ok(verification.ok && verification.checked >= 31, JSON.stringify(verification));
  });

  it('pages through dead letters with a cursor, and refuses unknown filters, bad durations, modes and cursors by name', async () => {
    await refusedCharges(['DL-PAGE-1', 'DL-PAGE-2', 'DL-PAGE-3']);
    const first = await list('?limit=2&olderThan=0s');
    assert.equal(first.items.length, 2);
    const second = await list(`?limit=2&olderThan=0s&cursor=${first.nextCursor}`);
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, undefined);
    for (const [query, parameter] of [['?colour=red', 'colour'], ['?olderThan=yesterday', 'olderThan'], ['?limit=0', 'limit'], ['?cursor=xyz', 'cursor']]) {
      const response = await t.call('GET', `/v1/dead-letters${query}`);
      assert.equal(response.status, 400, query);
      assert.equal((await response.json()).errors[0].path, parameter);
    }
    const badMode = await post(`/v1/dead-letters/${first.items[0].id}/replay`, { mode: 'sideways' });
    assert.equal(badMode.status, 400);
    assert.match((await badMode.json()).detail, /"as-is", "from-failed-stage"/);
    assert.equal((await t.call('GET', '/v1/dead-letters/00000000-0000-4000-8000-000000000000')).status, 404);
  });
});

describe('replaying one destination of a message that failed at two (postgres)', function () {
  this.timeout(120_000);
  let first: BillingSystem;
  let second: BillingSystem;
  let t: TestHub;

  before(async () => {
    [first, second] = await Promise.all([startBillingSystem(), startBillingSystem()]);
    const destination = (id: string, port: number) =>
      `  - { id: ${id}, type: mllp, host: 127.0.0.1, port: ${port}, ackTimeout: 2s, retry: { attempts: 1, backoff: { type: fixed, delay: 100ms } } }\n`;
    t = await startTestHub(
      'postgres',
      `routing: { mode: fan-out }\nrecovery: { every: 1s, grace: 2s }\ndestinations:\n${destination('first', first.port)}${destination('second', second.port)}routes:\n  - { name: both, to: [first, second] }\n`,
    );
  });
  after(async () => {
    await t?.stop();
    await Promise.all([first?.close(), second?.close()]);
  });

  it('resends only to the destination replayed; the other stays dead-lettered for its operator', async () => {
    first.script.push('AE');
    second.script.push('AE');
    const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.mllp });
    await client.send(mappableDft('DL-TWO'));
    await client.close();
    const open = async () =>
      ((await (await t.call('GET', '/v1/dead-letters')).json()) as { items: DeadLetterItem[] }).items.filter((i) => i.message.controlIds.controlId === 'DL-TWO');
    const both = await eventually(async () => ((await open()).length === 2 ? open() : undefined), 30_000, 'two dead letters');
    const toFirst = both.find((d) => d.destination === 'first')!;
    const response = await t.call('POST', `/v1/dead-letters/${toFirst.id}/replay`, JSON.stringify({ mode: 'as-is' }), { 'content-type': 'application/json' });
    assert.equal(response.status, 202);
    await eventually(async () => (first.received.length === 2 ? true : undefined), 30_000, 'first got it again');
    const status = async () =>
      (await t.hub.store.db.query<{ status: string }>("SELECT status FROM messages WHERE control_ids->>'controlId' = 'DL-TWO'")).rows[0].status;
    // delivered to first; second's dead letter still open: the message is dead-lettered again, not delivered
    await eventually(async () => ((await status()) === 'dead-lettered' ? true : undefined), 30_000, 'dead-lettered again');
    assert.equal(second.received.length, 1, 'second was not retried behind its operator');
    assert.deepEqual((await open()).map((d) => d.destination), ['second']);
  });
});
