// PatientUpdate (HL7 ADT^A04/A08): the schema accepts every field of the type and declares no
// other, and the rules refuse an update that cannot be recorded against a patient's claims.
import assert from 'node:assert/strict';
import { canonicalSchemas, checkCanonical, validateCanonical, type PatientUpdate } from '../../canonical-model/index.js';

function fullPatientUpdate(): PatientUpdate {
  return {
    resourceType: 'PatientUpdate',
    id: '0b9d1f0e-6a43-4a57-9a53-0f4b1d0c2e11',
    event: 'update',
    trigger: { system: 'HL7-0003', code: 'A08', display: 'update patient information' },
    occurredAt: '2026-03-02T09:15:00-05:00',
    sendingFacility: 'RIVERSIDE',
    patient: {
      name: { family: 'Okafor', given: ['Adaeze', 'N'], suffix: 'JR' },
      birthDate: '1984-07-19',
      gender: 'female',
      address: { lines: ['42 Linden Street', 'Apt 3'], city: 'Columbus', state: 'OH', postalCode: '43215', country: 'USA' },
      identifiers: [
        { type: 'mrn', value: 'MRN004417', system: 'RIVERSIDE' },
        { type: 'ssn', value: '512-44-0193' },
      ],
    },
    accountNumber: 'ACC88120',
    visitNumber: 'V20260302-07',
    coverages: [
      {
        rank: 'primary',
        payer: { name: 'Buckeye Health Plan', payerId: '68069', address: { lines: ['PO Box 6200'], city: 'Farmington', state: 'MO', postalCode: '63640' } },
        memberId: 'BHP7731902',
        groupNumber: 'G-1180',
        groupName: 'Columbus City Schools',
        relationship: 'spouse',
        subscriber: { name: { family: 'Okafor', given: ['Chidi'] }, birthDate: '1982-01-30', gender: 'male' },
        filingIndicator: 'CI',
      },
    ],
    provenance: {
      source: 'adt-feed',
      format: 'hl7v2',
      messageId: '7f1d3a52-2f5e-4c0e-bd55-9d8f1a3c6e77',
      controlNumbers: { controlId: 'ADT000991' },
      mapping: 'hl7v2-adt-patient-update@1.0.0',
      receivedAt: '2026-03-02T09:15:02-05:00',
    },
    extensions: { site: 'east' },
  };
}

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode };

/** Top-level schema properties the full sample leaves out. */
function undeclared(schema: SchemaNode, sample: object): string[] {
  return Object.keys(schema.properties ?? {}).filter((key) => !(key in sample));
}

function issuesAfter(change: (update: PatientUpdate) => void): string[] {
  const update = fullPatientUpdate();
  change(update);
  return validateCanonical(update).map((issue) => `${issue.path} ${issue.rule}`);
}

describe('canonical-model PatientUpdate', () => {
  it('validates a PatientUpdate with every field of its type filled in', () => {
    assert.deepEqual(checkCanonical(fullPatientUpdate()), { errors: [], warnings: [] });
  });

  it('declares no PatientUpdate field that the TypeScript type lacks', () => {
    assert.deepEqual(undeclared(canonicalSchemas.PatientUpdate as SchemaNode, fullPatientUpdate()), []);
  });

  it('accepts occurredAt as a date, or a date-time with or without its offset, and nothing looser', () => {
    for (const occurredAt of ['2026-03-02', '2026-03-02T09:15', '2026-03-02T09:15:00.25Z', '2026-03-02T09:15:00+01:15']) {
      assert.deepEqual(issuesAfter((u) => { u.occurredAt = occurredAt; }), [], occurredAt);
    }
    assert.deepEqual(issuesAfter((u) => { u.occurredAt = '20260302091500'; }), ['$.occurredAt pattern']);
  });

  it('refuses an update without a patient identifier: no claim could be found for it', () => {
    assert.deepEqual(issuesAfter((u) => { u.patient.identifiers = []; }), ['$.patient.identifiers patient-identifier-required']);
    assert.deepEqual(issuesAfter((u) => { delete u.patient.identifiers; }), ['$.patient.identifiers patient-identifier-required']);
  });

  it('refuses two primary coverages', () => {
    assert.deepEqual(issuesAfter((u) => { u.coverages!.push({ ...u.coverages![0], memberId: 'OTHER1' }); }), ['$.coverages[1].rank coverage-rank-unique']);
  });

  it('refuses a patient born after the event', () => {
    assert.deepEqual(issuesAfter((u) => { u.patient.birthDate = '2026-03-03'; }), ['$.patient.birthDate birth-date-after-event']);
  });

  it('refuses an unknown event and a missing sending facility at their paths', () => {
    const update = fullPatientUpdate() as unknown as Record<string, unknown>;
    update.event = 'merge';
    delete update.sendingFacility;
    assert.deepEqual(validateCanonical(update).map((i) => `${i.path} ${i.rule}`).sort(), ['$.event enum', '$.sendingFacility required']);
  });
});
