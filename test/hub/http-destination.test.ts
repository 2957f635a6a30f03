// A FHIR claim posted to the hub and routed to an ERP's webhook (the fake receiver of
// test/connectors/http on 127.0.0.1, which wants a bearer token and de-duplicates on
// Idempotency-Key): two 503s are retried by the destination's policy and the claim arrives once;
// a 400 is a dead letter of class "delivery" after one attempt.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { MessageView } from '../../store/messages.js';
import { FakeReceiver } from '../connectors/http/fake-receiver.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';

describe('FHIR in, HTTP out (postgres)', function () {
  this.timeout(120_000);
  let erp: FakeReceiver;
  let t: TestHub;
  let bundle: string;

  const post = async (claimNumber: string) => {
    const res = await t.call('POST', '/v1/messages', bundle.replace('ACC-5520-01', claimNumber), {
      'content-type': 'application/fhir+json',
    });
    assert.equal(res.status, 202);
    return ((await res.json()) as { id: string }).id;
  };
  const settled = (id: string, status: string) =>
    eventually(
      async () => {
        const view = (await (await t.call('GET', `/v1/messages/${id}`)).json()) as MessageView;
        return view.status === status ? view : undefined;
      },
      30_000,
      `message ${id} ${status}`,
    );

  before(async () => {
    erp = await FakeReceiver.start();
    bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    t = await startTestHub(
      'postgres',
      `destinations:
  - id: finance-webhook
    type: http
    url: ${erp.url('/hooks/claims')}
    headers: { Authorization: "Bearer ${erp.token}" }
    timeout: 5s
    retry: { attempts: 4, backoff: { type: fixed, delay: 200ms } }
routes:
  - name: every claim to the ERP
    to: [finance-webhook]
`,
    );
  });
  after(async () => {
    await t?.stop();
    await erp?.close();
  });

  it('delivers the claim once after two 503s, every attempt under one Idempotency-Key with the same body', async () => {
    erp.script.push({ status: 503, body: 'warming up' }, { status: 503, headers: { 'retry-after': '0' }, body: 'warming up' });
    const id = await post('HTTP-RETRY-1');
    const view = await settled(id, 'delivered');

    const key = `${id}.finance-webhook`;
    const attempts = erp.requestsWith(key);
    assert.equal(attempts.length, 3);
    assert.deepEqual(
      attempts.map((r) => r.headers['claimhub-attempt']),
      ['1', '2', '3'],
    );
    assert.equal(new Set(attempts.map((r) => r.raw)).size, 1, 'the same bytes on every attempt');
    assert.equal(erp.accepted.size, 1, 'accepted once');
    const document = erp.accepted.get(key)!.document as {
      messageId: string;
      destination: string;
      objects: { id: string; canonical: { claimNumber: string } }[];
    };
    assert.equal(document.messageId, id);
    assert.equal(document.destination, 'finance-webhook');
    assert.deepEqual(
      document.objects.map((o) => [o.id, o.canonical.claimNumber]),
      view.claims.map((c) => [c.id, 'HTTP-RETRY-1']),
    );

    assert.deepEqual(
      view.events.filter((e) => e.event === 'failed' || e.event === 'delivered').map((e) => e.event),
      ['failed', 'failed', 'delivered'],
    );
    const delivered = view.events.find((e) => e.event === 'delivered')!;
    const receipt = (delivered.detail as { receipt: { status: number; headers: { location: string } } }).receipt;
    assert.equal(receipt.status, 201);
    assert.match(receipt.headers.location, /\/records\/rcv-1$/);
    assert.deepEqual(
      view.deliveries.map((d) => [d.destination, d.attempts]),
      [['finance-webhook', 3]],
    );
  });

  it('dead-letters a claim the ERP refuses with 400 after one attempt, with the receiver’s problem as the error', async () => {
    erp.script.push({
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: {
        title: 'Invalid claim',
        detail: 'payer is not enrolled',
        errors: [{ pointer: '#/objects/0/canonical/payer', detail: 'unknown payer' }],
      },
    });
    const before = erp.requests.length;
    const id = await post('HTTP-REFUSED-1');
    const view = await settled(id, 'dead-lettered');
    assert.equal(erp.requests.length - before, 1, 'a 400 is not retried');

    const { rows } = await t.hub.store.db.query<{
      error_class: string;
      destination_id: string;
      error: { message: string; issues: unknown[] };
    }>("SELECT error_class, destination_id, error FROM dead_letters WHERE message_id = $1 AND status = 'open'", [id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].error_class, 'delivery');
    assert.equal(rows[0].destination_id, 'finance-webhook');
    assert.match(
      rows[0].error.message,
      /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/claims: refused with 400 Bad Request: Invalid claim: payer is not enrolled$/,
    );
    assert.deepEqual(rows[0].error.issues, [
      { path: '$', rule: 'http-400', message: 'Invalid claim: payer is not enrolled' },
      { path: '#/objects/0/canonical/payer', rule: 'http-400', message: 'unknown payer' },
    ]);
    assert.ok(!JSON.stringify(view).includes(erp.token), 'the token is nowhere in the message view');
  });
});
