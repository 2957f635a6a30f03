// HL7 v2 DFT^P03/P11 → canonical Claim (mappings/hl7v2/dft.mapping.yaml): what the fixtures give,
// and every refusal the mapping and its helpers make, each at its HL7 place.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCanonical } from '../../canonical-model/validate.js';
import { createTranslator } from '../../mappings/translate.js';
import { tempDir } from './helpers.js';
import { claims, hl7Fixture, issue, refusal, withField, withSegment } from './hl7v2-helpers.js';

const professional = hl7Fixture('dft-p03-professional.hl7');
const institutional = hl7Fixture('dft-p03-institutional.hl7');

describe('hl7v2 DFT → Claim', () => {
  it('maps the professional DFT^P03: one claim for the visit, lines, diagnoses with pointers, both coverages', async () => {
    const [claim, ...more] = await claims(professional);
    assert.equal(more.length, 0);
    assert.deepEqual(validateCanonical(claim), []);
    assert.equal(claim.claimNumber, 'V20260302-07');
    assert.equal(claim.type, 'professional');
    assert.equal(claim.totalCharge, '272.30');
    assert.deepEqual(claim.placeOfService, { system: 'POS', code: '22' });
    assert.deepEqual(claim.billablePeriod, { start: '2026-03-02', end: '2026-03-02' });
    assert.deepEqual(claim.patient.identifiers, [
      { type: 'mrn', value: 'MRN004417', system: 'NWMC' },
      { type: 'ssn', value: '512440193', system: 'SSA' },
    ]);
    assert.deepEqual(claim.patient.name, { family: 'OKAFOR', given: ['ADAEZE', 'N'] });
    assert.equal(claim.patient.birthDate, '1984-07-19');
    assert.deepEqual(claim.diagnoses.map((d) => [d.sequence, d.code.code, d.code.system, d.kind]), [
      [1, 'J45.40', 'ICD-10-CM', 'principal'],
      [2, 'R05.9', 'ICD-10-CM', 'other'],
    ]);
    assert.deepEqual(claim.serviceLines.map((l) => [l.procedure?.system, l.procedure?.code, l.modifiers, l.units, l.charge, l.unitPrice, l.diagnosisPointers, l.lineControlNumber]), [
      ['CPT', '99214', ['25'], '1', '185.00', '185.00', [1, 2], 'TX1001'],
      ['CPT', '94010', undefined, '1', '62.50', '62.50', [1], 'TX1002'],
      // no FT1-11: 2 × FT1-12 12.40
      ['HCPCS', 'J7613', undefined, '2', '24.80', '12.40', [1], 'TX1003'],
    ]);
    assert.deepEqual(claim.serviceLines[2].ndc, { code: '00487980125', quantity: '6', unit: 'ML' });
    assert.equal(claim.serviceLines[0].renderingProvider?.npi, '1122334455');
    assert.deepEqual(claim.coverages.map((c) => [c.rank, c.payer.name, c.payer.payerId, c.memberId, c.relationship, c.subscriber?.name.family]), [
      ['primary', 'Blue Cross Blue Shield of Illinois', '00621', 'XOF884129301', 'spouse', 'OKAFOR'],
      ['secondary', 'Aetna', '60054', 'W229384011', 'self', undefined],
    ]);
    assert.deepEqual(claim.coverages[0].subscriber?.identifiers, [{ type: 'ssn', value: '378220011' }]);
    assert.deepEqual(claim.providers.billing, {
      entityType: 'organization', name: 'Northwind Lakeshore Clinic', npi: '1987654328', taxId: '361234568', taxonomy: '261QM1300X',
      address: { lines: ['220 Sheridan Road'], city: 'Evanston', state: 'IL', postalCode: '602021005' },
    });
    assert.equal(claim.providers.referring?.npi, '1678901236');
    assert.deepEqual(claim.provenance.controlNumbers, { controlId: 'CHG000481', sendingApplication: 'EPICCHG', sendingFacility: 'NWMC', visit: 'V20260302-07' });
    assert.equal(claim.provenance.mapping, 'hl7v2-dft@1.0.0');
  });

  it('bills coverages in IN1-1 order, whatever order the IN1s come in', async () => {
    const swapped = withField(withField(professional, 'IN1-1', '2', 1), 'IN1-1', '1', 2);
    const [claim] = await claims(swapped);
    assert.deepEqual(claim.coverages.map((c) => [c.rank, c.memberId]), [['primary', 'W229384011'], ['secondary', 'XOF884129301']]);
  });

  it('maps the institutional DFT (revenue codes on every FT1): type of bill, admission, ICD-10-PCS procedure', async () => {
    const [claim] = await claims(institutional);
    assert.deepEqual(validateCanonical(claim), []);
    assert.equal(claim.type, 'institutional');
    assert.equal(claim.claimNumber, 'V20260228-01');
    assert.equal(claim.totalCharge, '3244.75');
    assert.equal(claim.placeOfService, undefined);
    assert.deepEqual(claim.billablePeriod, { start: '2026-02-28', end: '2026-03-01' });
    assert.deepEqual(claim.serviceLines.map((l) => [l.revenueCode?.code, l.procedure?.code ?? null, l.units, l.charge]), [
      ['0120', null, '2', '3100.00'],
      ['0300', '85025', '1', '48.00'],
      ['0636', 'J0696', '1', '96.75'],
    ]);
    assert.deepEqual(claim.serviceLines[0].serviceDate, { start: '2026-02-28', end: '2026-03-01' });
    assert.deepEqual(claim.institutional, {
      typeOfBill: '0111',
      admission: { date: '2026-02-28', hour: '14' },
      dischargeStatus: { system: 'NUBC-DISCHARGE-STATUS', code: '01' },
      procedures: [{ code: { system: 'ICD-10-PCS', code: '5A09357' }, date: '2026-02-28', kind: 'principal' }],
    });
    assert.deepEqual(claim.diagnoses.map((d) => [d.code.code, d.kind]), [['J18.9', 'principal'], ['J44.1', 'admitting']]);
    // no PV1-3.4 entry NWMC/NWMC in the crosswalk: the sending facility's own
    assert.equal(claim.providers.billing.npi, '1543782100');
    assert.equal(claim.providers.attending?.name, 'PATEL');
  });

  it('gives one claim per visit of a DFT^P11 that repeats PV1, each with the DG1s of its own FT1 group as pointers', async () => {
    const [first, second, ...more] = await claims(hl7Fixture('dft-p11-two-visits.hl7'));
    assert.equal(more.length, 0);
    assert.deepEqual([first.claimNumber, first.totalCharge, first.serviceLines.length], ['V20260303-02', '120.00', 1]);
    assert.deepEqual([second.claimNumber, second.totalCharge, second.serviceLines.length], ['V20260305-01', '115.00', 2]);
    assert.deepEqual(first.diagnoses.map((d) => d.code.code), ['J45.40']);
    assert.deepEqual(second.diagnoses.map((d) => d.code.code), ['E11.9']);
    assert.deepEqual(second.serviceLines.map((l) => l.diagnosisPointers), [[1], [1]]);
    assert.equal(second.provenance.controlNumbers?.visit, 'V20260305-01');
    for (const claim of [first, second]) assert.deepEqual(validateCanonical(claim), []);
  });

  it('keeps PV1 blocks with the same visit number as one claim', async () => {
    const sameVisit = withField(hl7Fixture('dft-p11-two-visits.hl7'), 'PV1-19', 'V20260303-02^^^NWMC^VN', 2);
    const [claim, ...more] = await claims(sameVisit);
    assert.equal(more.length, 0);
    assert.equal(claim.totalCharge, '235.00');
    assert.deepEqual(claim.diagnoses.map((d) => d.code.code), ['J45.40', 'E11.9']);
  });

  it('numbers the claim by PID-18 when PV1-19 is empty', async () => {
    const [claim] = await claims(withField(professional, 'PV1-19', ''));
    assert.equal(claim.claimNumber, 'ACC88120');
  });

  it('makes a claim institutional when one FT1 has a revenue code, and refuses the FT1s without one', async () => {
    const refused = await refusal(withField(professional, 'FT1-41', '0510^CLINIC^NUBC', 2));
    assert.equal(refused.stage, 'map');
    assert.deepEqual(refused.issues.sort(), [
      'revenue-code at FT1[1]-41 (segment 5, line 5)',
      'revenue-code at FT1[3]-41 (segment 7, line 7)',
    ]);
    assert.match(refused.error.issues[0].message, /FT1-41 revenue code is empty: other charges of the visit carry one, so its claim is institutional/);
  });
});

describe('hl7v2 DFT refusals, each at its HL7 place', () => {
  const cases: [what: string, raw: () => string, rule: string, path: string, message: RegExp][] = [
    ['no visit or account number', () => withField(withField(professional, 'PV1-19', ''), 'PID-18', ''),
      'claim-number', 'PV1-19 (segment 4, line 4)', /no visit number \(PV1-19\) and no patient account number \(PID-18\)/],
    ['no diagnosis at all', () => withField(withField(withField(withField(withField(professional, 'DG1', undefined), 'DG1', undefined), 'FT1-19', '', 1), 'FT1-19', '', 2), 'FT1-19', '', 3),
      'diagnosis-required', 'FT1[1]-19 (segment 5, line 5)', /no DG1 and no FT1-19 diagnosis/],
    ['no insurance', () => withField(withField(withField(professional, 'IN1', undefined), 'IN2', undefined), 'IN1', undefined),
      'coverage-required', 'MSH-9 (segment 1, line 1)', /no IN1 insurance: a claim needs the coverage it is billed to/],
    ['a payment line', () => withField(professional, 'FT1-6', 'PY', 2),
      'transaction-type', 'FT1[2]-6 (segment 6, line 6)', /transaction type PY is not a charge \(CG\)/],
    ['a line with only a charge-master code', () => withField(professional, 'FT1-25', '', 2),
      'procedure-code', 'FT1[2]-25 (segment 6, line 6)', /no CPT\/HCPCS procedure code in FT1-25 or FT1-7/],
    ['a procedure in SNOMED', () => withField(professional, 'FT1-25', '71388002^Procedure^SCT', 2),
      'procedure-code-system', 'FT1[2]-25 (segment 6, line 6)', /procedure 71388002 is coded SCT: a claim line bills CPT \(C4\) or HCPCS/],
    ['five modifiers', () => withField(professional, 'FT1-26', '25~59~GT~95~XS', 1),
      'modifiers', 'FT1[1]-26 (segment 5, line 5)', /holds 5 modifiers; a claim line has room for 4/],
    ['no amount', () => withField(withField(professional, 'FT1-11', '', 1), 'FT1-12', '', 1),
      'charge', 'FT1[1]-11 (segment 5, line 5)', /no charge: FT1-11 extended amount and FT1-12 unit amount are empty/],
    ['an amount that is no number', () => withField(professional, 'FT1-11', 'ABC&USD', 1),
      'amount', 'FT1[1]-11 (segment 5, line 5)', /FT1-11 amount "ABC" is not a number/],
    ['an amount with three decimals', () => withField(professional, 'FT1-11', '185.005&USD', 1),
      'amount', 'FT1[1]-11 (segment 5, line 5)', /FT1-11 amount 185\.005 has more than two decimals/],
    ['an amount in euros', () => withField(professional, 'FT1-11', '185.00&EUR', 1),
      'currency', 'FT1[1]-11 (segment 5, line 5)', /FT1-11 is in EUR: claimhub bills in USD/],
    ['a negative quantity', () => withField(professional, 'FT1-10', '-1', 1),
      'quantity', 'FT1[1]-10 (segment 5, line 5)', /FT1-10 quantity "-1" is not a number of units \(negative\)/],
    ['no service date', () => withField(professional, 'FT1-4', '', 3),
      'service-date', 'FT1[3]-4 (segment 7, line 7)', /FT1-4 transaction date is empty/],
    ['a service date precise to the month', () => withField(professional, 'FT1-4', '202603', 3),
      'date', 'FT1[3]-4.1 (segment 7, line 7)', /FT1-4\.1 "202603" is only precise to the month: a date needs YYYYMMDD/],
    ['a birth date that is no calendar date', () => withField(professional, 'PID-7', '19840231'),
      'date', 'PID-7 (segment 3, line 3)', /PID-7 "19840231" is not a calendar date/],
    ['a patient without a family name', () => withField(professional, 'PID-5', '^ADAEZE'),
      'patient-name', 'PID-5 (segment 3, line 3)', /PID-5 patient name has no family name/],
    ['a diagnosis in ICD-9', () => withField(professional, 'DG1-3', '493.90^Asthma^I9C', 2),
      'diagnosis-code-system', 'DG1[2]-3 (segment 9, line 9)', /diagnosis 493\.90 is coded I9C \(ICD-9-CM\): a claim's diagnoses are ICD-10-CM/],
    ['a performer with an ID and no name', () => withField(professional, 'FT1-20', '1122334455^^^^^^^^^^^^NPI', 2),
      'provider-name', 'FT1[2]-20 (segment 6, line 6)', /gives the ID 1122334455 but no family name/],
    ['a performer NPI of nine digits', () => withField(professional, 'FT1-20', '112233445^PATEL^RAVI^^^^^^^^^^NPI', 2),
      'npi', 'FT1[2]-20 (segment 6, line 6)', /NPI "112233445" is not ten digits/],
    ['no member id', () => withField(professional, 'IN1-36', '', 2),
      'member-id', 'IN1[2]-36 (segment 13, line 13)', /no member id: IN1-36 policy number and IN1-49 insured's ID number are empty/],
    ['no payer name', () => withField(professional, 'IN1-4', '', 1),
      'payer-name', 'IN1[1]-4 (segment 11, line 11)', /IN1-4 insurance company name is empty/],
    ['a relationship code outside table 0063', () => withField(professional, 'IN1-17', 'ZZZ', 1),
      'relationship', 'IN1[1]-17 (segment 11, line 11)', /IN1-17 relationship code "ZZZ" is not in the relationship crosswalk/],
    ['an insured named without a relationship', () => withField(professional, 'IN1-17', '', 1),
      'relationship', 'IN1[1]-17 (segment 11, line 11)', /IN1-17 insured's relationship to the patient is empty while IN1-16 names an insured/],
    ['two plans under one IN1 set id', () => withField(professional, 'IN1-1', '1', 2),
      'coverage-set-id', 'IN1[2]-1 (segment 13, line 13)', /IN1-1 set id 1 is used again with other plan data/],
    ['an unknown sending facility', () => withField(professional, 'MSH-4', 'ELSEWHERE'),
      'billing-provider', 'MSH-4 (segment 1, line 1)',
      /no billing provider for sending facility ELSEWHERE \(MSH-4\), facility NWMC CLINIC \(PV1-3\.4\): add "ELSEWHERE\.name", "ELSEWHERE\.npi".* to the mapping's billingProvider crosswalk \(shipped: mappings\/crosswalks\/hl7-billing-provider\.yaml\)/],
    ['an institutional procedure in CPT', () => withField(institutional, 'PR1-3', '31500^Intubation^C4'),
      'procedure-code-system', 'PR1-3 (segment 10, line 10)', /procedure 31500 is coded C4: an institutional claim's procedures are ICD-10-PCS \(I10P\)/],
  ];

  for (const [what, raw, rule, path, message] of cases) {
    it(`refuses ${what}: ${rule} at ${path}`, async () => {
      const refused = await refusal(raw());
      assert.equal(refused.stage, 'map', refused.error.message);
      assert.equal(refused.error.errorClass, 'validation');
      const found = refused.error.issues.find((i) => i.rule === rule && i.path === path);
      assert.ok(found, `no ${rule} at ${path} among:\n  ${refused.issues.join('\n  ')}`);
      assert.match(found.message, message);
    });
  }

  it('refuses a subscriber without a name when the relationship says spouse', async () => {
    const refused = await refusal(withField(professional, 'IN1-16', '', 1));
    assert.deepEqual(issue(refused, 'subscriber-name'), {
      path: 'IN1[1]-16 (segment 11, line 11)', message: 'IN1-16 names no insured (family name) for a patient who is not the subscriber',
    });
  });

  it('names the sending facility alone when the visit gives no PV1-3 facility', async () => {
    const refused = await refusal(withField(withField(professional, 'MSH-4', 'ELSEWHERE'), 'PV1-3', ''));
    assert.match(issue(refused, 'billing-provider').message, /^no billing provider for sending facility ELSEWHERE \(MSH-4\): add/);
  });

  it('refuses a billing provider crosswalk entry without an NPI, naming the entry', async () => {
    const dir = tempDir();
    const shipped = join(process.cwd(), 'mappings');
    writeFileSync(join(dir, 'billing.yaml'), 'NWMC.name: Northwind Medical Center\nNWMC.npi: "15437821"\n');
    const mapping = hl7Fixture('../../../mappings/hl7v2/dft.mapping.yaml')
      .replace('version: "1.0.0"', 'version: "1.0.1-test"')
      .replaceAll('../crosswalks/', `${shipped}/crosswalks/`)
      .replace(`${shipped}/crosswalks/hl7-billing-provider.yaml`, join(dir, 'billing.yaml'));
    writeFileSync(join(dir, 'dft.mapping.yaml'), mapping);
    const translator = await createTranslator({ mappingDirs: [dir] });
    const translation = await translator.translate({ raw: institutional, source: 'test' });
    assert.ok(!translation.ok);
    assert.equal(translation.mapping, 'hl7v2-dft@1.0.1-test');
    const found = translation.error.issues.find((i) => i.rule === 'billing-provider');
    assert.equal(found?.path, 'MSH-4 (segment 1, line 1)');
    assert.match(found?.message ?? '', /the billing provider "NWMC" in the mapping's billingProvider crosswalk .* needs a ten-digit NPI \(has "15437821"\)/);
  });

  it('refuses every broken place of one message at once', async () => {
    const broken = withField(withField(withField(professional, 'FT1-11', 'ABC&USD', 1), 'DG1-3', '29857009^Chest pain^SCT', 1), 'MSH-4', 'ELSEWHERE');
    const refused = await refusal(broken);
    assert.deepEqual(refused.issues.map((i) => i.split(' at ')[0]).sort(), ['amount', 'billing-provider', 'diagnosis-code-system']);
    assert.match(refused.error.message, /^refused: /);
  });

  it('leaves an empty performer (FT1-20 ^^^) out without refusing it', async () => {
    const [claim] = await claims(withSegment(withField(professional, 'FT1-20', '^^^', 2), 'FT1', 'NTE|1||patient tolerated well', 2));
    assert.equal(claim.serviceLines[1].renderingProvider, undefined);
  });
});
