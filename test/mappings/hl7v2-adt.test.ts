// HL7 v2 ADT^A04/A08 → canonical PatientUpdate (mappings/hl7v2/adt.mapping.yaml): the patient's
// identifiers are those the claims of the same sender carry, so a later stage finds them.
import assert from 'node:assert/strict';
import { validateCanonical } from '../../canonical-model/validate.js';
import { claims, hl7Fixture, issue, patientUpdate, refusal, withField } from './hl7v2-helpers.js';

const a08 = hl7Fixture('adt-a08.hl7');

describe('hl7v2 ADT → PatientUpdate', () => {
  it('maps the A08 fixture: event, when, who, the patient now and the coverage', async () => {
    const update = await patientUpdate(a08);
    assert.deepEqual(validateCanonical(update), []);
    assert.deepEqual([update.event, update.trigger, update.occurredAt, update.sendingFacility],
      ['update', { system: 'HL7-0003', code: 'A08' }, '2026-03-10T09:14:55-05:00', 'NWMC']);
    // the home address (XAD-7 H), not the permanent one listed second
    assert.deepEqual(update.patient.address, { lines: ['17 MAPLE AVE'], city: 'WILMETTE', state: 'IL', postalCode: '60091', country: 'USA' });
    assert.deepEqual([update.accountNumber, update.visitNumber], ['ACC88120', 'V20260302-07']);
    assert.deepEqual(update.coverages?.map((c) => [c.rank, c.memberId, c.relationship, c.subscriber?.identifiers]), [
      ['primary', 'XOF884129301', 'spouse', [{ type: 'ssn', value: '378220011' }]],
    ]);
    assert.deepEqual(update.provenance.controlNumbers, { controlId: 'ADT000991', sendingApplication: 'EPICADT', sendingFacility: 'NWMC' });
  });

  it("finds the patient's claim: the update's first identifier and its visit number are the claim's", async () => {
    const update = await patientUpdate(a08);
    const [claim] = await claims(hl7Fixture('dft-p03-professional.hl7'));
    // PID-3 lists the SSN first in the ADT; the MRN (type MR) still leads, as on the claim
    assert.deepEqual(update.patient.identifiers?.[0], { type: 'mrn', value: 'MRN004417', system: 'NWMC' });
    assert.deepEqual(update.patient.identifiers?.[0], claim.patient.identifiers?.[0]);
    assert.deepEqual(new Set(update.patient.identifiers?.map((id) => JSON.stringify(id))), new Set(claim.patient.identifiers?.map((id) => JSON.stringify(id))));
    assert.equal(update.visitNumber, claim.claimNumber);
  });

  it('registers on A04, and takes MSH-7 when there is no EVN-2', async () => {
    const update = await patientUpdate(withField(withField(withField(a08, 'MSH-9', 'ADT^A04^ADT_A01'), 'EVN-1', 'A04'), 'EVN-2', ''));
    assert.deepEqual([update.event, update.trigger.code, update.occurredAt], ['register', 'A04', '2026-03-10T09:15:00-05:00']);
  });

  it('refuses an update that says nothing of when it happened', async () => {
    const refused = await refusal(withField(withField(a08, 'EVN-2', ''), 'MSH-7', ''));
    assert.deepEqual(issue(refused, 'occurred-at'), { path: 'MSH-7 (segment 1, line 1)', message: 'neither EVN-2 nor MSH-7 says when the event happened' });
  });

  it('refuses an event time that is not a time of day, at EVN-2', async () => {
    const refused = await refusal(withField(a08, 'EVN-2', '20260310251500'));
    assert.deepEqual(issue(refused, 'date'), { path: 'EVN-2 (segment 2, line 2)', message: 'EVN-2 "20260310251500" is not a time of day' });
  });

  it('refuses a patient without identifiers: no claim could be found for the update', async () => {
    const refused = await refusal(withField(a08, 'PID-3', ''));
    assert.equal(refused.stage, 'map');
    assert.equal(issue(refused, 'patient-identifier').path, 'PID-3 (segment 3, line 3)');
  });

  it('refuses an update without a sending facility', async () => {
    const refused = await refusal(withField(a08, 'MSH-4', ''));
    assert.match(issue(refused, 'sending-facility').message, /MSH-4 sending facility is empty/);
  });

  it('refuses at validation a patient born after the event', async () => {
    const refused = await refusal(withField(a08, 'PID-7', '20270101'));
    assert.equal(refused.stage, 'validate');
    assert.deepEqual(refused.issues, ['birth-date-after-event at $.patient.birthDate']);
  });
});
