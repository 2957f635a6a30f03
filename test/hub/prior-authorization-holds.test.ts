// Claims routed by a route that requires a prior authorization wait for it: held with the reason and
// not delivered, released by the approved 278 that covers them (delivered once, quoting its
// certification number) or by an operator with a reason (audited); a later claim it covers is
// routed at once, quoting it.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { STORE_KINDS } from '../support/services.js';

const FHIR = { 'content-type': 'application/fhir+json' };
const X12 = { 'content-type': 'application/edi-x12' };
const APPROVED_278 = fileURLToPath(new URL('../fixtures/x12/278-response-approved-acc-5520.x12', import.meta.url));

const CONFIG = `
routes:
  - name: claims need an authorization
    when: "resourceType = 'Claim'"
    requires: [priorAuthorization]
    to: [outbox]
  - name: everything else
    to: [outbox]
`;

interface MessageView {
  status: string;
  messageType: string | null;
  claims: { id: string; claimNumber: string; status: string }[];
  events: { event: string; actor: string; detail?: Record<string, unknown> }[];
}

for (const kind of STORE_KINDS) {
  describe(`claims held for a missing prior authorization, end to end (${kind})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let bundle: string;
    before(async () => {
      t = await startTestHub(kind, CONFIG);
      bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    });
    after(async () => {
      await t?.stop();
    });

    const view = async (id: string) => (await (await t.call('GET', `/v1/messages/${id}`)).json()) as MessageView;
    const filesOf = async (claimNumber: string) =>
      (await readdir(join(t.dataDir, 'outbox')).catch(() => [] as string[])).filter((name) => name.startsWith(`${claimNumber}_`));
    const submit = async (body: string) => {
      const res = await t.call('POST', '/v1/messages', body, FHIR);
      assert.equal(res.status, 202, await res.clone().text());
      return (await res.json()) as { id: string; status: string };
    };
    const delivered = (id: string) => eventually(async () => ((await view(id)).status === 'delivered' ? view(id) : undefined), 15_000, 'delivery');
    const release = (claimId: string, body: unknown) =>
      t.call('POST', `/v1/claims/${claimId}/release`, JSON.stringify(body), { 'content-type': 'application/json' });

    it('holds a claim without an authorization and releases it when the approved 278 arrives: delivered once, quoting the certification', async () => {
      const claimMessage = await submit(bundle);
      assert.equal(claimMessage.status, 'held');
      const held = await view(claimMessage.id);
      assert.equal(held.status, 'held');
      assert.equal(held.claims[0]!.status, 'held');
      const holdEvent = held.events.find((e) => e.event === 'held')!;
      assert.deepEqual(holdEvent.detail, {
        claims: [{ claimId: held.claims[0]!.id, claimNumber: 'ACC-5520-01', holds: [{ route: 'claims need an authorization', missing: ['priorAuthorization'] }] }],
      });
      const list = (await (await t.call('GET', '/v1/claims?status=held')).json()) as { items: { id: string; messageId: string; claimNumber: string; reason: unknown }[] };
      const listed = list.items.find((item) => item.id === held.claims[0]!.id)!;
      assert.equal(listed.messageId, claimMessage.id);
      assert.equal(listed.claimNumber, 'ACC-5520-01');
      assert.deepEqual((listed.reason as { holds: unknown }).holds, [{ route: 'claims need an authorization', missing: ['priorAuthorization'] }]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await filesOf('ACC-5520-01'), []);

      const res = await t.call('POST', '/v1/messages', await readFile(APPROVED_278, 'utf8'), X12);
      assert.equal(res.status, 202, await res.clone().text());

      const done = await delivered(claimMessage.id);
      const released = done.events.find((e) => e.event === 'released')!;
      assert.equal(released.detail!.by, 'prior-authorization');
      assert.equal((await view(String(released.detail!.authorizationMessageId))).messageType, '278');
      assert.deepEqual(
        done.events.map((e) => e.event),
        ['received', 'parsed', 'mapped', 'held', 'released', 'routed', 'delivered'],
      );
      const claim = (await t.hub.store.reader.claimsOf(claimMessage.id))[0]!;
      assert.equal(claim.canonical.priorAuthorizationNumber, 'CERT5520A');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const files = await filesOf('ACC-5520-01');
      assert.equal(files.length, 1);
      const written = JSON.parse(await readFile(join(t.dataDir, 'outbox', files[0]!), 'utf8')) as { priorAuthorizationNumber?: string; status: string };
      assert.equal(written.priorAuthorizationNumber, 'CERT5520A');
      assert.equal(written.status, 'validated');

      // a later claim of the same member and services finds the stored authorization: routed at once, quoting it
      const later = await submit(bundle.replace('ACC-5520-01', 'ACC-5520-03'));
      assert.equal(later.status, 'routed');
      await delivered(later.id);
      const laterFile = JSON.parse(await readFile(join(t.dataDir, 'outbox', (await filesOf('ACC-5520-03'))[0]!), 'utf8')) as { priorAuthorizationNumber?: string };
      assert.equal(laterFile.priorAuthorizationNumber, 'CERT5520A');
    });

    it('releases another held claim on an operator’s reason (audited) and refuses to release a claim that is not held', async () => {
      const other = bundle.replace('ACC-5520-01', 'ACC-5520-02').replace('FRH207734-01', 'FRH990001-01');
      const message = await submit(other);
      assert.equal(message.status, 'held');
      const claimId = (await view(message.id)).claims[0]!.id;

      assert.equal((await release(claimId, {})).status, 400);
      const res = await release(claimId, { reason: 'payer confirmed by phone: no authorization needed for this visit' });
      assert.equal(res.status, 202, await res.clone().text());
      const done = await delivered(message.id);
      const released = done.events.find((e) => e.event === 'released')!;
      assert.deepEqual(released.detail, {
        claimId,
        claimNumber: 'ACC-5520-02',
        by: 'operator',
        reason: 'payer confirmed by phone: no authorization needed for this visit',
      });
      assert.equal((await filesOf('ACC-5520-02')).length, 1);
      const { rows } = await t.hub.store.db.query<{ action: string; detail: { reason: string; messageId: string } }>(
        'SELECT action, detail FROM audit_log WHERE resource = $1',
        [`claim/${claimId}`],
      );
      assert.deepEqual(rows.map((r) => [r.action, r.detail.reason, r.detail.messageId]), [
        ['claim.release', 'payer confirmed by phone: no authorization needed for this visit', message.id],
      ]);

      const again = await release(claimId, { reason: 'twice' });
      assert.equal(again.status, 409);
      assert.equal(((await again.json()) as { type: string }).type.endsWith('claim-not-held'), true);
      assert.equal((await release('00000000-0000-4000-8000-000000000000', { reason: 'x' })).status, 404);
    });
  });
}
