// GET /v1/claims/{id}: one stored claim with its business keys and canonical form, its read kept in
// the audit trail before the answer.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';

describe('gateway: reading one claim', function () {
  this.timeout(60_000);
  let t: TestHub;
  before(async () => {
    t = await startTestHub('pglite');
  });
  after(async () => t?.stop());

  it('answers the claim a submission made, and records the read first', async () => {
    const posted = await t.call('POST', '/v1/messages', await readFile(ACCEPTANCE_BUNDLE, 'utf8'), {
      'content-type': 'application/fhir+json',
    });
    const receipt = (await posted.json()) as { id: string; claims: { id: string; claimNumber: string }[] };
    const [{ id }] = receipt.claims;
    const read = await t.call('GET', `/v1/claims/${id}`, undefined, { 'x-request-id': 'claim-read-1' });
    assert.equal(read.status, 200);
    const claim = (await read.json()) as {
      id: string;
      messageId: string;
      claimNumber: string;
      totalCharge: string;
      claim: { claimNumber: string; resourceType: string };
    };
    assert.deepEqual([claim.id, claim.messageId, claim.claimNumber], [id, receipt.id, 'ACC-5520-01']);
    assert.equal(claim.claim.resourceType, 'Claim');
    assert.equal(claim.claim.claimNumber, 'ACC-5520-01');
    assert.match(claim.totalCharge, /^\d+\.\d{2}$/);
    const audit = (await (await t.call('GET', `/v1/audit?action=read&resource=claim/${id}`)).json()) as { items: { requestId: string }[] };
    assert.deepEqual(
      audit.items.map((item) => item.requestId),
      ['claim-read-1'],
    );
    assert.equal((await t.call('GET', '/v1/claims/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await t.call('GET', '/v1/claims/not-a-claim')).status, 400);
  });
});
