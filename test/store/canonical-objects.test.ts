// Canonical objects that are not claims (remittances, prior authorizations, acknowledgements) go to
// canonical_objects beside a message's claims, are routed per object and read back with them.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { NewClaim, NewMessage } from '../../store/records.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/services.js';

function message(raw: string): NewMessage {
  return {
    id: randomUUID(),
    source: 'test',
    format: 'x12',
    messageType: '835',
    contentType: 'application/edi-x12',
    contentHash: createHash('sha256').update(raw).digest('hex'),
    raw,
    status: 'received',
    error: null,
    controlIds: {},
    mapping: null,
  };
}

function remittanceRow(messageId: string, seq: number, trace: string): NewClaim {
  return {
    id: randomUUID(),
    resourceType: 'Remittance',
    messageId,
    seq,
    claimNumber: trace,
    claimType: 'Remittance',
    status: 'received',
    payerId: null,
    payerName: null,
    billingNpi: null,
    memberId: null,
    totalCharge: '0',
    serviceStart: null,
    mapping: 'x12-835@1.0.0',
    canonical: { resourceType: 'Remittance', payment: { traceNumber: trace } },
  };
}

for (const kind of STORE_KINDS) {
  describe(`store: canonical objects beside claims (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t.close();
    });

    it('stores a remittance in canonical_objects with its business key, routes it and reads it back with the message', async () => {
      const m = message('ISA*835 one');
      const row = remittanceRow(m.id, 1, '12345');
      await t.store.commits.commit({
        newMessages: [m],
        claims: [row],
        claimDestinations: [{ claimId: row.id, destinations: ['erp'] }],
        statusUpdates: [{ messageId: m.id, status: 'routed', destinations: ['erp'] }],
      });
      const { rows } = await t.store.db.query<{ resource_type: string; business_key: string; destinations: string[] }>(
        'SELECT resource_type, business_key, destinations FROM canonical_objects WHERE message_id = $1',
        [m.id],
      );
      assert.deepEqual(rows, [{ resource_type: 'Remittance', business_key: '12345', destinations: ['erp'] }]);
      assert.equal((await t.store.db.query('SELECT 1 FROM claims WHERE message_id = $1', [m.id])).rows.length, 0);
      const objects = await t.store.reader.claimsOf(m.id);
      assert.deepEqual(
        objects.map((o) => [o.claimNumber, o.destinations, (o.canonical as { resourceType: string }).resourceType]),
        [['12345', ['erp'], 'Remittance']],
      );
      const view = await t.store.reader.view(m.id);
      assert.deepEqual(view?.claims.map((c) => c.claimNumber), ['12345']);
    });

    it('sets the destinations of an object stored by an earlier commit', async () => {
      const m = message('ISA*835 two');
      const row = remittanceRow(m.id, 1, '67890');
      await t.store.commits.commit({ newMessages: [m], claims: [row] });
      await t.store.commits.commit({ claimDestinations: [{ claimId: row.id, destinations: ['erp', 'archive'] }] });
      const [stored] = await t.store.reader.claimsOf(m.id);
      assert.deepEqual(stored.destinations, ['erp', 'archive']);
    });
  });
}
