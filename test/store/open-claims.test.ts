// A patient's open claims (not yet submitted to a payer) are found by a patient identifier through
// the partial GIN index of migration 0005, and a claim patch changes an open claim's canonical
// patient and coverages with an event on its message, in the commit that asks for it, and nothing else.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { Identifier } from '../../canonical-model/types.js';
import { findOpenClaims } from '../../store/open-claims.js';
import type { ClaimPatch, NewClaim, NewMessage } from '../../store/records.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/services.js';

const MRN = (value: string, system?: string): Identifier => ({ type: 'mrn', value, ...(system ? { system } : {}) });

function message(raw: string = randomUUID()): NewMessage {
  return {
    id: randomUUID(),
    source: 'test',
    format: 'hl7v2',
    messageType: 'DFT^P03',
    contentType: null,
    contentHash: createHash('sha256').update(raw).digest('hex'),
    raw,
    status: 'mapped',
    error: null,
    controlIds: {},
    mapping: null,
  };
}

function claimRow(messageId: string, identifiers: Identifier[]): NewClaim {
  const id = randomUUID();
  return {
    id,
    messageId,
    seq: 1,
    claimNumber: `C-${id.slice(0, 8)}`,
    claimType: 'professional',
    status: 'validated',
    payerId: '00621',
    payerName: 'Blue Cross',
    billingNpi: null,
    memberId: 'M-1',
    totalCharge: '100',
    serviceStart: null,
    mapping: 'test@1.0.0',
    canonical: {
      resourceType: 'Claim',
      status: 'validated',
      claimNumber: `C-${id.slice(0, 8)}`,
      patient: { name: { family: 'OKAFOR' }, birthDate: '1984-07-19', address: { lines: ['42 LINDEN ST'], city: 'EVANSTON' }, identifiers },
      coverages: [{ rank: 'primary', payer: { name: 'Blue Cross', payerId: '00621' }, memberId: 'M-1', relationship: 'self' }],
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`store: open claims by patient identifier (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t.close();
    });

    /** Stores one claim of its own message for a patient with these identifiers. */
    async function storeClaim(identifiers: Identifier[], status?: string): Promise<NewClaim> {
      const m = message();
      const row = claimRow(m.id, identifiers);
      await t.store.commits.commit({ newMessages: [m], claims: [row] });
      if (status) await t.store.commits.commit({ claimStatuses: [{ claimId: row.id, status }] });
      return row;
    }

    const found = async (identifier: Identifier) => (await findOpenClaims(t.store.db, identifier)).map((c) => c.claimId).sort();

    it('finds the open claims of an identifier: same type and value, same system when both name one', async () => {
      const value = `MRN-${randomUUID()}`;
      const withSystem = await storeClaim([MRN(value, 'NWMC'), { type: 'ssn', value: '512440193' }]);
      const withoutSystem = await storeClaim([MRN(value)]);
      const otherSystem = await storeClaim([MRN(value, 'OTHERHOSP')]);
      const otherType = await storeClaim([{ type: 'account', value, system: 'NWMC' }]);
      const otherPatient = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')]);

      assert.deepEqual(await found(MRN(value, 'NWMC')), [withSystem.id, withoutSystem.id].sort());
      assert.deepEqual(
        await found(MRN(value)),
        [withSystem.id, withoutSystem.id, otherSystem.id].sort(),
        'an update naming no system matches any',
      );
      const [claim] = await findOpenClaims(t.store.db, MRN(value, 'NWMC'));
      assert.equal(typeof claim.messageId, 'string');
      assert.ok(claim.canonical.patient.identifiers?.length);
      assert.ok(![otherType.id, otherPatient.id].some((id) => claim.claimId === id));
    });

    it('leaves out claims a payer has: submitted, acknowledged, rejected, paid, denied', async () => {
      const value = `MRN-${randomUUID()}`;
      const open = await storeClaim([MRN(value, 'NWMC')]);
      const held = await storeClaim([MRN(value, 'NWMC')], 'held');
      for (const status of ['submitted', 'acknowledged', 'rejected', 'paid', 'denied']) await storeClaim([MRN(value, 'NWMC')], status);
      assert.deepEqual(await found(MRN(value, 'NWMC')), [open.id, held.id].sort());
    });

    it('answers from the partial GIN index on the patient identifiers among many open claims', async () => {
      // 5,000 open claims of other patients, so that the planner weighs the index as it would in production
      const m = message();
      await t.store.commits.commit({ newMessages: [m] });
      await t.store.db.query(
        `INSERT INTO claims (id, message_id, seq, claim_number, claim_type, status, total_charge, mapping, canonical)
         SELECT gen_random_uuid(), $1, n, 'BULK-' || n, 'professional', 'validated', 1, 'test@1.0.0',
                jsonb_build_object('patient', jsonb_build_object('identifiers', jsonb_build_array(
                  jsonb_build_object('type', 'mrn', 'value', 'BULK-' || n, 'system', 'NWMC'))))
         FROM generate_series(1, 5000) AS n`,
        [m.id],
      );
      await t.store.db.query('ANALYZE claims');
      // the lookup's own statement, explained: a Queryable that asks for the plan instead of the rows
      const plan: string[] = [];
      await findOpenClaims(
        {
          query: async <T>(text: string, params?: unknown[]) => {
            const { rows } = await t.store.db.query<Record<string, string>>(`EXPLAIN ${text}`, params);
            plan.push(...rows.map((row) => Object.values(row)[0]!));
            return { rows: [] as T[], rowCount: 0 };
          },
          exec: () => Promise.resolve([]),
        },
        MRN('BULK-17', 'NWMC'),
      );
      assert.match(plan.join('\n'), /claims_open_patient_identifiers/);
    });

    describe('claim patches', () => {
      /** A stored patient-update message and a patch of `claim` it asks for. */
      function patchOf(claim: NewClaim, sourceMessageId: string, fields: Partial<ClaimPatch> = {}): ClaimPatch {
        return {
          claimId: claim.id,
          sourceMessageId,
          patient: { address: { lines: ['17 MAPLE AVE'], city: 'WILMETTE' } },
          coverages: {
            list: [{ rank: 'primary', payer: { name: 'Aetna', payerId: '60054' }, memberId: 'W-2', relationship: 'self' }],
            payerId: '60054',
            payerName: 'Aetna',
            memberId: 'W-2',
          },
          event: {
            messageId: claim.messageId,
            event: 'patient-updated',
            actor: 'test',
            detail: { claimId: claim.id, patientUpdateMessageId: sourceMessageId, changed: ['address', 'coverages'] },
          },
          ...fields,
        };
      }
      const stored = async (claimId: string) =>
        (
          await t.store.db.query<{ status: string; payer_id: string; member_id: string; canonical: Record<string, any> }>(
            'SELECT status, payer_id, member_id, canonical FROM claims WHERE id = $1',
            [claimId],
          )
        ).rows[0]!;
      const patchEvents = async (messageId: string) =>
        (await t.store.reader.view(messageId))!.events.filter((e) => e.event === 'patient-updated');

      it('changes an open claim in the commit of the update that asks for it, with an event on the claim’s message', async () => {
        const claim = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')]);
        const adt = message();
        await t.store.commits.commit({ newMessages: [adt], claimPatches: [patchOf(claim, adt.id)] });
        const row = await stored(claim.id);
        assert.deepEqual(row.canonical.patient.address, { lines: ['17 MAPLE AVE'], city: 'WILMETTE' });
        assert.equal(row.canonical.patient.birthDate, '1984-07-19', 'fields the patch leaves out are kept');
        assert.equal(row.canonical.coverages[0].payer.name, 'Aetna');
        assert.deepEqual([row.payer_id, row.member_id], ['60054', 'W-2']);
        const events = await patchEvents(claim.messageId);
        assert.equal(events.length, 1);
        assert.deepEqual((events[0]!.detail as { changed: string[] }).changed, ['address', 'coverages']);
      });

      it('changes nothing and writes no event on a claim that is closed, or that the same commit submits', async () => {
        const closed = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')], 'submitted');
        const submittedNow = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')]);
        const adt = message();
        await t.store.commits.commit({
          newMessages: [adt],
          claimPatches: [patchOf(closed, adt.id), patchOf(submittedNow, adt.id)],
          claimStatuses: [{ claimId: submittedNow.id, status: 'submitted' }],
        });
        for (const claim of [closed, submittedNow]) {
          const row = await stored(claim.id);
          assert.deepEqual(row.canonical.patient.address, { lines: ['42 LINDEN ST'], city: 'EVANSTON' });
          assert.equal(row.payer_id, '00621');
          assert.deepEqual(await patchEvents(claim.messageId), []);
        }
        assert.equal((await stored(submittedNow.id)).status, 'submitted', 'the status of the same commit lands');
        assert.equal((await stored(submittedNow.id)).canonical.status, 'submitted');
      });

      it('changes nothing when the update’s message is a duplicate of one already stored', async () => {
        const claim = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')]);
        const adt = message('ADT same bytes ' + randomUUID());
        await t.store.commits.commit({ newMessages: [adt] });
        const copy = { ...adt, id: randomUUID() };
        const outcome = await t.store.commits.commit({ newMessages: [copy], claimPatches: [patchOf(claim, copy.id)] });
        assert.equal(outcome.duplicates.get(copy.id), adt.id);
        assert.equal((await stored(claim.id)).canonical.patient.address.city, 'EVANSTON');
        assert.deepEqual(await patchEvents(claim.messageId), []);
      });

      it('applies a patch and the routing of the same claim in one commit (one update of the row)', async () => {
        const claim = await storeClaim([MRN(`MRN-${randomUUID()}`, 'NWMC')]);
        const adt = message();
        await t.store.commits.commit({
          newMessages: [adt],
          claimDestinations: [{ claimId: claim.id, destinations: ['outbox'] }],
          claimPatches: [patchOf(claim, adt.id, { coverages: undefined })],
        });
        const [read] = await t.store.reader.claimsOf(claim.messageId);
        assert.deepEqual(read!.destinations, ['outbox']);
        const row = await stored(claim.id);
        assert.equal(row.canonical.patient.address.city, 'WILMETTE');
        assert.equal(row.canonical.coverages[0].payer.name, 'Blue Cross', 'a patch without coverages keeps the claim’s');
        assert.equal(row.payer_id, '00621');
      });
    });
  });
}
