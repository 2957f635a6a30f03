import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const FHIR = { 'content-type': 'application/fhir+json' };

interface MessageView {
  id: string;
  status: string;
  error?: { class: string; message: string; issues: { path: string; rule: string }[] };
  events: { event: string; actor: string; mapping?: string }[];
  claims: { id: string; claimNumber: string }[];
}

for (const kind of STORE_KINDS) {
  describe(`the spine, end to end over HTTP (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let bundle: string;
    before(async () => {
      t = await startTestHub(kind);
      bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    });
    after(async () => {
      await t?.stop();
    });

    const view = async (id: string) => (await (await t.call('GET', `/v1/messages/${id}`)).json()) as MessageView;

    it('takes a FHIR claim bundle with 202 and delivers the canonical claim to the outbox', async () => {
      const res = await t.call('POST', '/v1/messages', bundle, FHIR);
      assert.equal(res.status, 202);
      const body = (await res.json()) as { id: string; status: string };
      assert.equal(res.headers.get('location'), `/v1/messages/${body.id}`);
      const done = await eventually(
        async () => {
          const v = await view(body.id);
          return v.status === 'delivered' ? v : undefined;
        },
        10_000,
        'delivery',
      );
      assert.deepEqual(
        done.events.map((e) => e.event),
        ['received', 'parsed', 'mapped', 'routed', 'delivered'],
      );
      assert.match(done.events.find((e) => e.event === 'mapped')!.mapping!, /^fhir-r4-claim@\d+\.\d+\.\d+$/);
      const files = (await readdir(join(t.dataDir, 'outbox'))).filter((f) => f.includes(body.id));
      assert.equal(files.length, 1);
      const claim = JSON.parse(await readFile(join(t.dataDir, 'outbox', files[0]!), 'utf8'));
      assert.equal(claim.claimNumber, 'ACC-5520-01');
      assert.equal(claim.totalCharge, '283.31');
      assert.equal(claim.provenance.messageId, body.id);
    });

    it('answers malformed JSON with 400 problem+json naming line and column, and stores it as failed', async () => {
      const res = await t.call('POST', '/v1/messages', '{"resourceType": "Claim", ', FHIR);
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
      const problem = (await res.json()) as { messageId: string; errors: { path: string; rule: string }[] };
      assert.match(problem.errors[0]!.path, /line 1/);
      const stored = await view(problem.messageId);
      assert.equal(stored.status, 'failed');
      assert.equal(stored.error?.class, 'parse');
    });

    it('refuses a resource that is not a claim with 422, and stores it as failed', async () => {
      const res = await t.call('POST', '/v1/messages', JSON.stringify({ resourceType: 'Patient', id: 'p1' }), FHIR);
      assert.equal(res.status, 422);
      const problem = (await res.json()) as { messageId: string; detail: string };
      assert.match(problem.detail, /Patient/);
      assert.equal((await view(problem.messageId)).status, 'failed');
    });

    it('refuses a claim missing required data with 422 and the JSON path', async () => {
      const broken = JSON.parse(bundle);
      const claim = broken.entry[0].resource;
      delete claim.patient;
      const res = await t.call('POST', '/v1/messages', JSON.stringify(broken), FHIR);
      assert.equal(res.status, 422);
      const problem = (await res.json()) as { messageId: string; errors: { path: string }[] };
      assert.deepEqual(
        problem.errors.map((e) => e.path),
        ['Bundle.entry[0].resource.patient'],
      );
      const stored = await view(problem.messageId);
      assert.equal(stored.status, 'failed');
      assert.deepEqual(
        stored.events.map((e) => e.event),
        ['received', 'parsed', 'failed'],
      );
    });

    it('answers a resubmission of the same bytes with the first message, not a second claim', async () => {
      const variant = bundle.replace('ACC-5520-01', 'ACC-5520-DUP');
      const first = (await (await t.call('POST', '/v1/messages', variant, FHIR)).json()) as { id: string };
      const again = await t.call('POST', '/v1/messages', variant, FHIR);
      assert.equal(again.status, 200);
      const body = (await again.json()) as { id: string; duplicate: boolean };
      assert.equal(body.id, first.id);
      assert.equal(body.duplicate, true);
    });

    it('refuses requests without a valid API key', async () => {
      const none = await fetch(t.url + '/v1/messages', { method: 'POST', body: bundle, headers: FHIR });
      assert.equal(none.status, 401);
      const wrong = await fetch(t.url + '/v1/messages/00000000-0000-0000-0000-000000000000', { headers: { 'x-api-key': 'nope' } });
      assert.equal(wrong.status, 401);
    });

    it('answers unknown messages, bad ids and unknown API versions with problem+json 404/400', async () => {
      assert.equal((await t.call('GET', '/v1/messages/00000000-0000-4000-8000-000000000000')).status, 404);
      assert.equal((await t.call('GET', '/v1/messages/not-a-uuid')).status, 400);
      const v9 = await t.call('GET', '/v9/messages');
      assert.equal(v9.status, 404);
      assert.match(((await v9.json()) as { detail: string }).detail, /supported: v1/);
    });

    it('refuses a body over the size limit with 413', async () => {
      const res = await t.call('POST', '/v1/messages', 'x'.repeat(6 * 1024 * 1024), FHIR);
      assert.equal(res.status, 413);
    });

    it('is ready when the store and Redis answer', async () => {
      const res = await fetch(t.url + '/readyz');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(((await res.json()) as { checks: object }).checks).sort(), ['redis', 'store']);
    });
  });
}
