// One of each canonical object with every optional field filled in. Typed as DeepRequired<T>, so
// the compiler refuses it when types.ts gains a field the sample lacks (types.test.ts then checks
// the schema knows every field and declares none the sample lacks).

import type {
  Acknowledgement,
  Address,
  Claim,
  Code,
  Coverage,
  Person,
  PriorAuthorization,
  PriorAuthorizationDecision,
  Provenance,
  Provider,
  Remittance,
} from '../../canonical-model/index.js';

export type DeepRequired<T> = T extends readonly (infer U)[]
  ? DeepRequired<U>[]
  : T extends object
    ? { [K in keyof T]-?: DeepRequired<Exclude<T[K], undefined>> }
    : T;

const code = (system: string, value: string): DeepRequired<Code> => ({ system, code: value, display: `${system} ${value}` });
const address: DeepRequired<Address> = {
  lines: ['1200 Pearl St', 'Suite 4'],
  city: 'Boulder',
  state: 'CO',
  postalCode: '803024321',
  country: 'US',
};
const person: DeepRequired<Person> = {
  name: { family: 'Nakamura', given: ['Jun', 'K'], suffix: 'Jr' },
  birthDate: '1979-08-30',
  gender: 'male',
  address,
  identifiers: [{ type: 'mrn', value: 'MRN-207734', system: 'urn:oid:2.16.840.1.113883.3.8888.2' }],
};
const provider = (npi: string): DeepRequired<Provider> => ({
  entityType: 'person',
  name: 'Alvarez',
  person: { family: 'Alvarez', given: ['Rosa'], suffix: 'MD' },
  npi,
  taxId: '840123456',
  taxonomy: '208100000X',
  address,
});
const payer = { name: 'Front Range Health Alliance', payerId: '84105', address };
const coverage: DeepRequired<Coverage> = {
  rank: 'primary',
  payer,
  memberId: 'FRH207734-01',
  groupNumber: 'GRP-5510',
  groupName: 'Boulder Valley Employers',
  relationship: 'child',
  subscriber: person,
  filingIndicator: 'CI',
};
const provenance: DeepRequired<Provenance> = {
  source: 'epic-charges',
  format: 'hl7v2-dft-p03',
  messageId: '0b8e6a52-7d1f-4e0a-9c33-5f2a1d7e4b10',
  controlNumbers: { 'MSH-10': 'MSG00042' },
  mapping: 'hl7v2-dft@2',
  receivedAt: '2026-10-15T14:02:05Z',
};
const period = { start: '2026-10-14', end: '2026-10-15' };

export const fullClaim: DeepRequired<Claim> = {
  resourceType: 'Claim',
  id: '7d5c9a1e-4e2b-4c1a-9f0e-2b1d3c4e5f60',
  claimNumber: 'ACC-5520-02',
  type: 'professional',
  use: 'claim',
  frequency: 'replacement',
  status: 'validated',
  currency: 'USD',
  totalCharge: '160.10',
  patientPaid: '20.00',
  billablePeriod: period,
  createdDate: '2026-10-16',
  patient: person,
  coverages: [coverage],
  providers: {
    billing: provider('1497758544'),
    payTo: provider('1497758544'),
    rendering: provider('1104025329'),
    referring: provider('1842037156'),
    attending: provider('1326584905'),
    operating: provider('1098652138'),
    supervising: provider('1604528731'),
    facility: provider('1497758544'),
  },
  placeOfService: code('POS', '11'),
  diagnoses: [{ sequence: 1, code: code('ICD-10-CM', 'M54.50'), kind: 'principal', presentOnAdmission: 'Y' }],
  institutional: {
    typeOfBill: '0131',
    admission: { date: '2026-10-14', hour: '0800', type: code('NUBC-ADMIT-TYPE', '3'), source: code('NUBC-ADMIT-SOURCE', '1') },
    dischargeHour: '1730',
    dischargeStatus: code('NUBC-DISCHARGE-STATUS', '01'),
    conditionCodes: [code('NUBC-CONDITION', '07')],
    occurrenceCodes: [{ code: code('NUBC-OCCURRENCE', '11'), date: '2026-10-13' }],
    occurrenceSpanCodes: [{ code: code('NUBC-OCCURRENCE-SPAN', '74'), period }],
    valueCodes: [{ code: code('NUBC-VALUE', 'A3'), amount: '250.00' }],
    procedures: [{ code: code('ICD-10-PCS', '0QS734Z'), date: '2026-10-14', kind: 'principal' }],
    drgCode: '563',
  },
  serviceLines: [
    {
      sequence: 1,
      procedure: code('CPT', '99203'),
      revenueCode: code('NUBC-REV', '0510'),
      modifiers: ['25', 'GP'],
      units: '1',
      unitType: 'UN',
      charge: '160.10',
      unitPrice: '160.10',
      serviceDate: period,
      placeOfService: code('POS', '11'),
      ndc: { code: '00409128331', quantity: '2', unit: 'ML' },
      diagnosisPointers: [1],
      renderingProvider: provider('1104025329'),
      priorAuthorizationNumber: 'FRH-AUTH-6620193',
      tooth: [{ number: '14', surfaces: ['M', 'O'] }],
      lineControlNumber: 'ACC-5520-02-1',
      extensions: { epicLineId: 'L1' },
    },
  ],
  priorAuthorizationNumber: 'FRH-AUTH-6620193',
  referralNumber: 'REF-00912',
  originalClaimNumber: 'FRH26307000412',
  accident: { date: '2026-10-13', causes: ['OA'], state: 'CO' },
  attachments: [{ reportType: '09', transmission: 'EL', controlNumber: 'ATT-5520' }],
  provenance,
  extensions: { site: 'boulder' },
};

const decision: DeepRequired<PriorAuthorizationDecision> = {
  status: 'approved',
  certificationNumber: 'FRH-AUTH-6620193',
  reasonCodes: [code('X12-306', '0P')],
  validityPeriod: { start: '2026-10-21', end: '2027-01-19' },
  decisionDate: '2026-10-20',
  approvedUnits: '12',
  note: 'approved as requested',
};

export const fullPriorAuthorization: DeepRequired<PriorAuthorization> = {
  resourceType: 'PriorAuthorization',
  id: 'pa-1',
  kind: 'decision',
  requestNumber: 'FPM-UM-20261020-7',
  status: 'approved',
  category: code('X12-UM01', 'HS'),
  certificationType: code('X12-UM02', 'I'),
  decision,
  patient: person,
  coverage,
  payer,
  providers: {
    requesting: provider('1497758544'),
    servicing: provider('1104025329'),
    facility: provider('1842037156'),
    attending: provider('1326584905'),
  },
  diagnoses: [{ sequence: 1, code: code('ICD-10-CM', 'M54.50'), kind: 'principal', presentOnAdmission: 'U' }],
  services: [
    {
      sequence: 1,
      procedure: code('CPT', '97110'),
      revenueCode: code('NUBC-REV', '0420'),
      serviceType: code('X12-1365', 'PT'),
      modifiers: ['GP'],
      units: '12',
      unitType: 'VS',
      serviceDate: decision.validityPeriod,
      placeOfService: code('POS', '11'),
      diagnosisPointers: [1],
      servicingProvider: provider('1104025329'),
      decision,
      extensions: { pasItem: 1 },
    },
  ],
  eventPeriod: decision.validityPeriod,
  provenance,
  extensions: { pas: true },
};

export const fullRemittance: DeepRequired<Remittance> = {
  resourceType: 'Remittance',
  id: 'ra-1',
  currency: 'USD',
  payer,
  payee: provider('1497758544'),
  payment: { method: 'CHK', amount: '100.00', date: '2026-11-06', traceNumber: '0004417' },
  productionDate: '2026-11-04',
  claimPayments: [
    {
      claimNumber: 'ACC-5520-01',
      status: 'processed-primary',
      charge: '165.10',
      paid: '112.00',
      patientResponsibility: '20.00',
      payerClaimNumber: 'FRH26307000412',
      filingIndicator: '12',
      patient: person,
      memberId: 'FRH207734-01',
      renderingProvider: provider('1104025329'),
      period,
      adjustments: [{ group: 'OA', reason: code('CARC', '23'), amount: '5.00', quantity: '1' }],
      remarkCodes: [code('RARC', 'N381')],
      serviceLines: [
        {
          lineControlNumber: 'ACC-5520-01-1',
          procedure: code('CPT', '99203'),
          revenueCode: code('NUBC-REV', '0510'),
          modifiers: ['25'],
          charge: '160.10',
          paid: '112.00',
          allowed: '132.00',
          units: '1',
          serviceDate: period,
          adjustments: [
            { group: 'CO', reason: code('CARC', '45'), amount: '28.10', quantity: '1' },
            { group: 'PR', reason: code('CARC', '2'), amount: '20.00', quantity: '1' },
          ],
          remarkCodes: [code('RARC', 'M15')],
        },
      ],
      extensions: { icn: 'X' },
    },
  ],
  providerAdjustments: [{ reason: code('X12-PLB', 'WO'), reference: 'FRH26201000977', amount: '12.00', fiscalPeriodDate: '2026-12-31' }],
  provenance,
  extensions: { batch: 7 },
};

export const fullAcknowledgement: DeepRequired<Acknowledgement> = {
  resourceType: 'Acknowledgement',
  id: 'ack-1',
  kind: 'x12-277ca',
  status: 'partially-accepted',
  controlNumber: '0001',
  createdAt: '2026-10-15T20:05:31Z',
  sender: { name: 'Peak Clearinghouse', identifiers: [{ type: 'other', value: 'PEAKCH', system: 'x12' }], address },
  acknowledged: [
    {
      level: 'claim',
      controlNumber: 'ACC-5520-01',
      status: 'accepted',
      payerClaimNumber: 'FRH26307000412',
      statusCodes: [code('X12-507', 'A1:20')],
      charge: '283.31',
    },
  ],
  errors: [
    {
      location: {
        controlNumber: '0002',
        segment: 'CLM',
        segmentPosition: 23,
        loop: '2300',
        element: 5,
        component: 3,
        repetition: 1,
        field: 'PV1-2',
        expression: 'Claim.item[0].net',
      },
      code: code('X12-IK403', '7'),
      severity: 'warning',
      message: 'invalid code value',
      badValue: '9',
    },
  ],
  provenance,
  extensions: { note: 'x' },
};
