// Every HL7 v2 file of the shared corpus, with the outcome a user should see: DFTs mapped or refused
// with each reason at its HL7 place, BARs refused for carrying no charges, ADTs made PatientUpdates,
// and the types claimhub does not map (ORU, SIU, VXU) refused naming the type.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim, PatientUpdate } from '../../canonical-model/types.js';
import { validateCanonical } from '../../canonical-model/validate.js';
import { CORPUS } from '../support/corpus.js';
import { claims, patientUpdate, refusal, withField } from './hl7v2-helpers.js';

const HL7 = join(CORPUS, 'hl7v2');
const read = (file: string) => readFileSync(join(HL7, file), 'utf8');

type Expected =
  | { refused: 'parse' | 'map'; errorClass: string; issues: string[]; message: RegExp }
  | { patientUpdate: (update: PatientUpdate) => void };

const notMapped = (type: string): Expected => ({
  refused: 'parse',
  errorClass: 'unsupported',
  issues: ['message-type at MSH-9'],
  message: new RegExp(`^${type.replace('^', '\\^')} is not translated: claimhub maps DFT\\^P03, DFT\\^P11, BAR\\^P01, BAR\\^P12, ADT\\^A04, ADT\\^A08$`),
});
const noCharges = (type: string, ...places: string[]): Expected => ({
  refused: 'map',
  errorClass: 'unsupported',
  issues: places.map((place) => `no-charges at ${place}`),
  message: new RegExp(`${type.replace('^', '\\^')} carries no charges \\(a BAR has no FT1 segment\\): a claim with no service lines cannot be made`),
});
const BILLING = 'billing-provider at MSH-4 (segment 1, line 1)';
const snomed = (...places: string[]) => places.map((place) => `diagnosis-code-system at ${place}`);
const dftRefused = (...issues: string[]): Expected => ({
  refused: 'map', errorClass: 'validation', issues, message: /^refused: DG1\[1\]-3 \(segment \d+, line \d+\): diagnosis 29857009 is coded SCT \(SNOMED-CT\): a claim's diagnoses are ICD-10-CM/,
});

/** What every corpus ADT says about the GHH demo patient (PID-3 PATID1234 typed MR by test1). */
function ghhPatient(update: PatientUpdate, event: 'register' | 'update'): void {
  assert.equal(update.event, event);
  assert.equal(update.occurredAt, '2029-08-01T07:06:24+01:15'); // EVN-2, not MSH-7
  assert.equal(update.sendingFacility, 'GHHSFacility');
  assert.deepEqual(update.patient.identifiers?.slice(0, 2), [
    { type: 'mrn', value: 'PATID1234', system: 'test1' },
    { type: 'ssn', value: '123456789', system: 'USSSA' },
  ]);
  assert.deepEqual(update.patient.name, { family: 'EVERYMAN', given: ['ADAM', 'A'], suffix: 'III' });
  assert.equal(update.patient.birthDate, '1988-08-18');
  assert.deepEqual([update.accountNumber, update.visitNumber], ['4000776', '40007716']);
}

const withCoverage = (update: PatientUpdate) =>
  assert.deepEqual(update.coverages?.map((c) => [c.rank, c.payer.name, c.memberId, c.relationship, c.subscriber?.name.family]), [
    ['primary', 'Blue Cross Blue Shield of Texas', 'PN-145', 'spouse', 'Doe'],
  ]);

const EXPECTED: Record<string, Expected> = {
  'cdcprs-batch-oru-r01-2.hl7': notMapped('ORU^R01'),
  'cdcprs-batch-oru-r01-20.hl7': notMapped('ORU^R01'),
  'msconv-ORU-R01-01.hl7': notMapped('ORU^R01'),
  'msconv-SIU-S12-01.hl7': notMapped('SIU^S12'),
  'msconv-VXU-V04-01.hl7': notMapped('VXU^V04'),
  'msconv-BAR-P01-01.hl7': noCharges('BAR^P01', 'PV1 (segment 7, line 7)'),
  'msconv-BAR-P01-02.hl7': noCharges('BAR^P01', 'PV1[1] (segment 6, line 6)', 'PV1[2] (segment 18, line 18)'),
  'msconv-BAR-P12-01.hl7': noCharges('BAR^P12', 'PV1 (segment 5, line 5)'),
  // the demo DFTs code diagnoses in SNOMED CT and come from a facility no crosswalk lists
  'msconv-DFT-P03-01.hl7': dftRefused(...snomed('DG1[1]-3 (segment 16, line 16)', 'DG1[2]-3 (segment 17, line 17)'), BILLING),
  'msconv-DFT-P03-02.hl7': dftRefused(...snomed('DG1[1]-3 (segment 26, line 26)', 'DG1[2]-3 (segment 27, line 27)'), BILLING),
  'msconv-DFT-P11-01.hl7': dftRefused(...snomed('DG1[1]-3 (segment 10, line 10)', 'DG1[2]-3 (segment 11, line 11)', 'FT1[2]-19 (segment 17, line 17)'), BILLING),
  // P11-02 also repeats IN1 set id 1 in FT1[1]'s group with another insured's ID (IN1-49 HMO-11)
  'msconv-DFT-P11-02.hl7': dftRefused(...snomed('DG1[1]-3 (segment 18, line 18)', 'DG1[2]-3 (segment 19, line 19)', 'FT1[2]-19 (segment 33, line 33)'),
    'coverage-set-id at IN1[2]-1 (segment 31, line 31)', BILLING),
  'msconv-ADT-A04-01.hl7': { patientUpdate: (u) => { ghhPatient(u, 'register'); withCoverage(u); } },
  'msconv-ADT-A04-02.hl7': { patientUpdate: (u) => { ghhPatient(u, 'register'); assert.equal(u.coverages, undefined); } },
  'msconv-ADT-A08-01.hl7': { patientUpdate: (u) => { ghhPatient(u, 'update'); withCoverage(u); } },
  'msconv-ADT-A08-02.hl7': { patientUpdate: (u) => { ghhPatient(u, 'update'); assert.equal(u.coverages, undefined); } },
  'msconv-ADT04-251.hl7': {
    patientUpdate: (u) => {
      // no EVN: MSH-7; PID-3 without an assigning authority: the assigning facility (CX.6) is the system
      assert.deepEqual([u.event, u.occurredAt, u.sendingFacility], ['register', '2019-05-04T18:12:05+07:00', 'RDX']);
      assert.deepEqual(u.patient.identifiers, [{ type: 'mrn', value: 'MRN12345', system: 'Special Hospital' }]);
      assert.deepEqual([u.patient.name, u.patient.birthDate, u.patient.gender], [{ family: 'Doe', given: ['Jane'] }, '1978-01-01', 'female']);
    },
  },
  'msconv-ADT04-28.hl7': {
    patientUpdate: (u) => {
      // PID-3 0000000001^^^MR puts MR in the assigning authority, not the type: kept as sent
      assert.deepEqual(u.patient.identifiers?.map((id) => [id.type, id.system, id.value]), [
        ['other', 'MR', '0000000001'], ['other', 'EHRID', 'e167267c-16c9-4fe3-96ae-9cff5703e90a'], ['other', 'NIST', 'a1d4ee8aba494ca'], ['ssn', undefined, '101-01-0001'],
      ]);
      assert.equal(u.occurredAt, '2018-10-17T02:55:43+07:00');
      // IN1-1 empty, IN1-17 empty and no insured named: the patient's own policy, primary
      assert.deepEqual(u.coverages, [{
        rank: 'primary',
        payer: { name: 'aetna (60054 0131)', payerId: '60054', address: { lines: ['PO Box 14080'], city: 'Lexington', state: 'KY', postalCode: '40512-4079', country: 'US' } },
        memberId: '9140860055', relationship: 'self', groupNumber: '847025-024-0009', groupName: 'Accelerator Labs',
      }]);
    },
  },
};

describe('the HL7 v2 corpus: every file mapped or refused with a precise reason', () => {
  it('has an expectation for every corpus file', () => {
    assert.deepEqual(readdirSync(HL7).filter((file) => !(file in EXPECTED)), []);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    const what = 'patientUpdate' in expected ? 'gives a valid PatientUpdate' : `is refused at ${expected.refused}: ${expected.issues.join(', ')}`;
    it(`${file} ${what}`, async () => {
      if ('patientUpdate' in expected) {
        const update = await patientUpdate(read(file));
        assert.deepEqual(validateCanonical(update), []);
        expected.patientUpdate(update);
        return;
      }
      const refused = await refusal(read(file));
      assert.equal(refused.stage, expected.refused);
      assert.equal(refused.error.errorClass, expected.errorClass, refused.error.message);
      assert.deepEqual([...refused.issues].sort(), [...expected.issues].sort());
      assert.match(refused.error.message, expected.message);
    });
  }

  it('maps the corpus DFT^P03 once its facility is in the crosswalk and its diagnoses are ICD-10-CM', async () => {
    let raw = read('msconv-DFT-P03-01.hl7').replace(/\r\n?/g, '\n');
    raw = withField(raw, 'MSH-4', 'NWMC');
    raw = withField(raw, 'DG1-3', 'R07.9^Chest pain, unspecified^I10', 1);
    raw = withField(raw, 'DG1-3', 'R09.81^Nasal congestion^I10', 2);
    raw = withField(raw, 'FT1-19', 'R07.9^^I10~R09.81^^I10', 1);
    raw = withField(raw, 'FT1-19', 'R07.9^^I10', 2);
    const [claim, ...more]: Claim[] = await claims(raw);
    assert.equal(more.length, 0);
    assert.deepEqual(validateCanonical(claim), []);
    assert.deepEqual([claim.claimNumber, claim.type, claim.totalCharge, claim.placeOfService?.code], ['40007716', 'professional', '220.00', '21']);
    assert.deepEqual(claim.serviceLines.map((l) => [l.procedure?.code, l.modifiers, l.units, l.charge, l.diagnosisPointers, l.ndc?.code]), [
      ['71045', ['26'], '2', '100.00', [1, 2], '0182-1061-05'],
      // FT1-7 626.2 is a charge-master code; FT1-25 99011, sent without a system, is shaped like CPT
      ['99011', undefined, '1', '120.00', [1], undefined],
    ]);
    assert.deepEqual(claim.coverages.map((c) => [c.memberId, c.relationship, c.payer.payerId]), [['548851236L', 'spouse', 'Org-12345']]);
    assert.equal(claim.serviceLines[0].renderingProvider?.npi, '9941339108');
  });
});
