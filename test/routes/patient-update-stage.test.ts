// A patient update (ADT^A04/A08 as a canonical PatientUpdate) is recorded against the patient's open
// claims in the commit that stores it: demographics and coverages change, an event on each claim's
// message names the fields (never their values), closed claims and other patients stay as they were.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { CanonicalResource, Claim, Coverage, PatientUpdate } from '../../canonical-model/types.js';
import { claimPatch, matchIdentifier } from '../../routes/patient-update-stage.js';
import { Router } from '../../routes/router.js';
import { mapAndRoute } from '../../routes/routing-stage.js';
import { findOpenClaims } from '../../store/open-claims.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/services.js';

const BLUE_CROSS: Coverage = {
  rank: 'primary',
  payer: { name: 'Blue Cross Blue Shield of Illinois', payerId: '00621', address: { lines: ['PO BOX 805107'], city: 'CHICAGO' } },
  memberId: 'XOF884129301',
  groupName: 'NORTHSHORE SCHOOLS',
  relationship: 'spouse',
  subscriber: { name: { family: 'OKAFOR', given: ['CHIDI'] }, birthDate: '1982-01-30' },
};
const AETNA: Coverage = { rank: 'secondary', payer: { name: 'Aetna', payerId: '60054' }, memberId: 'W229384011', relationship: 'self' };
const CIGNA: Coverage = { rank: 'primary', payer: { name: 'Cigna', payerId: '62308' }, memberId: 'U7731200', relationship: 'self' };

function claim(mrn: string, options: { coverages?: Coverage[]; system?: string } = {}): Claim {
  return {
    resourceType: 'Claim',
    claimNumber: `V-${randomUUID().slice(0, 8)}`,
    type: 'professional',
    use: 'claim',
    frequency: 'original',
    status: 'validated',
    currency: 'USD',
    totalCharge: '185.00',
    patient: {
      name: { family: 'OKAFOR', given: ['ADAEZE', 'N'] },
      birthDate: '1984-07-19',
      gender: 'female',
      address: { lines: ['42 LINDEN ST', 'APT 3'], city: 'EVANSTON', state: 'IL', postalCode: '60201' },
      identifiers: [
        {
          type: 'mrn',
          value: mrn,
          ...(options.system === undefined ? { system: 'NWMC' } : options.system ? { system: options.system } : {}),
        },
        { type: 'ssn', value: '512440193', system: 'SSA' },
      ],
    },
    coverages: options.coverages ?? [BLUE_CROSS, AETNA],
    providers: { billing: { entityType: 'organization', name: 'NORTHWEST MEDICAL CLINIC', npi: '1234567893' } },
    diagnoses: [{ sequence: 1, code: { system: 'ICD-10-CM', code: 'J45.40' }, kind: 'principal' }],
    serviceLines: [{ sequence: 1, procedure: { system: 'CPT', code: '99214' }, units: '1', charge: '185.00' }],
    provenance: { source: 'epic', format: 'hl7v2', mapping: 'hl7v2-dft-claim@1.0.0' },
  };
}

function patientUpdate(mrn: string, patient: Partial<PatientUpdate['patient']> = {}, coverages?: Coverage[]): PatientUpdate {
  return {
    resourceType: 'PatientUpdate',
    event: 'update',
    trigger: { system: 'HL7-0003', code: 'A08' },
    occurredAt: '2026-03-10T09:14:55-05:00',
    sendingFacility: 'NWMC',
    patient: {
      name: { family: 'OKAFOR', given: ['ADAEZE', 'N'] },
      identifiers: [{ type: 'mrn', value: mrn, system: 'NWMC' }],
      ...patient,
    },
    ...(coverages ? { coverages } : {}),
    provenance: { source: 'epic-adt', format: 'hl7v2', mapping: 'hl7v2-adt-patient-update@1.0.0' },
  };
}

const NEW_ADDRESS = { lines: ['17 MAPLE AVE'], city: 'WILMETTE', state: 'IL', postalCode: '60091' };

describe('patient update stage: what an update changes on a claim', () => {
  it('names the changed fields and leaves out what the update does not carry', () => {
    const patch = claimPatch(claim('MRN1'), patientUpdate('MRN1', { address: NEW_ADDRESS }));
    assert.deepEqual(patch?.changed, ['address']);
    assert.deepEqual(patch?.fields, { patient: { address: NEW_ADDRESS } });
  });

  it('changes nothing when the update says what the claim already has', () => {
    const current = claim('MRN1');
    assert.equal(claimPatch(current, patientUpdate('MRN1', { ...current.patient }, [BLUE_CROSS, AETNA])), undefined);
  });

  it('merges identifiers: a corrected SSN replaces the old, a new one is added, the match key stays', () => {
    const patch = claimPatch(
      claim('MRN1'),
      patientUpdate('MRN1', {
        identifiers: [
          { type: 'mrn', value: 'MRN1', system: 'NWMC' },
          { type: 'ssn', value: '512440199', system: 'SSA' },
          { type: 'member-id', value: 'XOF884129301' },
        ],
      }),
    );
    assert.deepEqual(patch?.changed, ['identifiers']);
    assert.deepEqual(patch?.fields.patient?.identifiers, [
      { type: 'mrn', value: 'MRN1', system: 'NWMC' },
      { type: 'ssn', value: '512440199', system: 'SSA' },
      { type: 'member-id', value: 'XOF884129301' },
    ]);
  });

  it('replaces the coverages, keeping what the claim knew of the same policy and the billed rank first', () => {
    const sparse: Coverage = {
      rank: 'secondary',
      payer: { name: 'Blue Cross Blue Shield of Illinois', payerId: '00621' },
      memberId: 'XOF884129301',
      relationship: 'spouse',
    };
    // a secondary claim (billed to Blue Cross as secondary) stays billed to the secondary coverage
    const secondaryClaim = claim('MRN1', { coverages: [{ ...BLUE_CROSS, rank: 'secondary' }, { ...CIGNA }] });
    // the primary policy has a new member id
    const patch = claimPatch(secondaryClaim, patientUpdate('MRN1', {}, [{ ...CIGNA, memberId: 'U7731299' }, sparse]));
    assert.deepEqual(patch?.changed, ['coverages']);
    const list = patch!.fields.coverages!.list as Coverage[];
    assert.deepEqual(
      list.map((c) => [c.rank, c.payer.name]),
      [
        ['secondary', 'Blue Cross Blue Shield of Illinois'],
        ['primary', 'Cigna'],
      ],
    );
    assert.deepEqual(list[0]!.payer.address, BLUE_CROSS.payer.address, 'the payer address the ADT left out is kept');
    assert.equal(list[0]!.groupName, 'NORTHSHORE SCHOOLS');
    // the row's payer and member columns follow the primary coverage, as when the claim was stored
    assert.deepEqual([patch!.fields.coverages!.payerId, patch!.fields.coverages!.memberId], ['62308', 'U7731299']);
  });

  it('drops a subscriber when the patient now holds the policy', () => {
    const patch = claimPatch(
      claim('MRN1'),
      patientUpdate('MRN1', {}, [{ ...BLUE_CROSS, relationship: 'self', subscriber: undefined }, AETNA]),
    );
    assert.equal((patch!.fields.coverages!.list as Coverage[])[0]!.subscriber, undefined);
  });

  it('matches claims on the first identifier that is not an SSN', () => {
    const update = patientUpdate('MRN1', {
      identifiers: [
        { type: 'ssn', value: '512440193', system: 'SSA' },
        { type: 'other', value: 'X77', system: 'NWMC' },
      ],
    });
    assert.deepEqual(matchIdentifier(update), { type: 'other', value: 'X77', system: 'NWMC' });
    assert.equal(matchIdentifier(patientUpdate('MRN1', { identifiers: [{ type: 'ssn', value: '512440193' }] })), undefined);
  });
});

for (const kind of STORE_KINDS) {
  describe(`patient update stage: recorded against open claims in the update's commit (${kind})`, () => {
    let t: TestStore;
    const router = new Router([{ name: 'everything', to: ['outbox'] }], 'first-match', new Set(['outbox']));
    before(async () => {
      t = await openTestStore(kind);
    });
    after(async () => {
      await t.close();
    });

    const openClaims = (identifier: Parameters<typeof findOpenClaims>[1]) => findOpenClaims(t.store.db, identifier);

    /** Receives one message holding `objects` the way intake does: mapped, routed and applied in one commit. */
    async function receive(objects: CanonicalResource[]): Promise<string> {
      const id = randomUUID();
      const translation = {
        ok: true as const,
        format: 'hl7v2',
        messageType: 'ADT^A08',
        controlNumbers: {},
        mapping: 'test@1.0.0',
        objects,
      };
      const { unit } = await mapAndRoute(router, id, translation, 'intake', undefined, openClaims);
      unit.newMessages = [
        {
          id,
          source: 'test',
          format: 'hl7v2',
          messageType: null,
          contentType: null,
          contentHash: createHash('sha256').update(id).digest('hex'),
          raw: id,
          status: 'received',
          error: null,
          controlIds: {},
          mapping: null,
        },
      ];
      await t.store.commits.commit(unit);
      return id;
    }

    const storedClaim = async (messageId: string) => {
      const [row] = await t.store.reader.claimsOf(messageId);
      return row!.canonical as unknown as Claim;
    };
    const eventsOf = async (messageId: string, event: string) =>
      (await t.store.reader.view(messageId))!.events.filter((e) => e.event === event);

    it('changes the address and coverages of the open claim, with an event naming the fields on its message', async () => {
      const mrn = `MRN-${randomUUID()}`;
      const open = await receive([claim(mrn)]);
      const submitted = await receive([claim(mrn)]);
      const [submittedRow] = await t.store.reader.claimsOf(submitted);
      await t.store.commits.commit({ claimStatuses: [{ claimId: submittedRow!.id, status: 'submitted' }] });
      const otherPatient = await receive([claim(`MRN-${randomUUID()}`)]);

      const adt = await receive([patientUpdate(mrn, { address: NEW_ADDRESS }, [CIGNA])]);

      const updated = await storedClaim(open);
      assert.deepEqual(updated.patient.address, NEW_ADDRESS);
      assert.equal(updated.patient.birthDate, '1984-07-19');
      assert.deepEqual(
        updated.coverages.map((c) => c.payer.name),
        ['Cigna'],
      );
      const { rows } = await t.store.db.query<{ payer_id: string; member_id: string }>(
        'SELECT payer_id, member_id FROM claims WHERE message_id = $1',
        [open],
      );
      assert.deepEqual(rows[0], { payer_id: '62308', member_id: 'U7731200' });

      const [event] = await eventsOf(open, 'patient-updated');
      assert.ok(event, 'a patient-updated event on the claim’s message');
      const detail = event.detail as Record<string, unknown>;
      assert.deepEqual(Object.keys(detail).sort(), ['changed', 'claimId', 'claimNumber', 'patientUpdateMessageId']);
      assert.deepEqual(detail.changed, ['address', 'coverages']);
      assert.equal(detail.patientUpdateMessageId, adt);
      // never PHI in lineage: no MRN, name, address or member id
      const text = JSON.stringify([...(await t.store.reader.view(open))!.events, ...(await t.store.reader.view(adt))!.events]);
      for (const phi of [mrn, 'MAPLE', 'OKAFOR', 'U7731200', '1984-07-19']) assert.ok(!text.includes(phi), `no ${phi} in events`);

      const [summary] = (await eventsOf(adt, 'mapped')).filter((e) => (e.detail as { patientUpdate?: unknown }).patientUpdate);
      assert.deepEqual((summary!.detail as { patientUpdate: unknown }).patientUpdate, {
        matchedOn: { type: 'mrn', system: 'NWMC' },
        openClaims: 1,
        changed: 1,
      });

      for (const untouched of [submitted, otherPatient]) {
        assert.deepEqual((await storedClaim(untouched)).patient.address, claim(mrn).patient.address);
        assert.deepEqual(await eventsOf(untouched, 'patient-updated'), []);
      }
    });

    it('finds claims stored without the assigning authority, and writes nothing when nothing changes', async () => {
      const mrn = `MRN-${randomUUID()}`;
      const open = await receive([claim(mrn, { system: '' })]);
      const same = await receive([
        patientUpdate(mrn, { ...claim(mrn).patient, identifiers: [{ type: 'mrn', value: mrn, system: 'NWMC' }] }),
      ]);
      assert.deepEqual(await eventsOf(open, 'patient-updated'), []);
      const [summary] = (await eventsOf(same, 'mapped')).filter((e) => (e.detail as { patientUpdate?: unknown }).patientUpdate);
      assert.deepEqual((summary!.detail as { patientUpdate: unknown }).patientUpdate, {
        matchedOn: { type: 'mrn', system: 'NWMC' },
        openClaims: 1,
        changed: 0,
      });

      // the same update again (an ingest re-run) finds the claim as the first run left it
      await receive([patientUpdate(mrn, { gender: 'other' })]);
      await receive([patientUpdate(mrn, { gender: 'other' })]);
      assert.equal((await eventsOf(open, 'patient-updated')).length, 1);
      assert.equal((await storedClaim(open)).patient.gender, 'other');
    });

    it('notes an update with no identifier to match and changes no claim', async () => {
      const mrn = `MRN-${randomUUID()}`;
      const open = await receive([claim(mrn)]);
      const adt = await receive([
        patientUpdate(mrn, { identifiers: [{ type: 'ssn', value: '512440193', system: 'SSA' }], address: NEW_ADDRESS }),
      ]);
      assert.deepEqual(await eventsOf(open, 'patient-updated'), []);
      const [summary] = (await eventsOf(adt, 'mapped')).filter((e) => (e.detail as { patientUpdate?: unknown }).patientUpdate);
      assert.match((summary!.detail as { note: string }).note, /no patient identifier claims are matched on/);
    });
  });
}
