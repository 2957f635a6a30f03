// The shipped X12 278 mapping (x12-278): every corpus 278 becomes a canonical PriorAuthorization
// (a request, or a decision with the HCR status) or is refused with the precise reason; what a
// request and a decision carry; what the 278 writer writes reads back the same; the refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalResource, PriorAuthorization } from '../../canonical-model/types.js';
import { write278 } from '../../connectors/x12/write/write-278.js';
import type { Translation } from '../../mappings/translate.js';
import { priorAuthorization } from '../canonical-model/fixtures.js';
import { fullPriorAuthorization } from '../canonical-model/full-samples.js';
import { NOW, PROFILE } from '../connectors/x12/write/support.js';
import { CORPUS } from '../support/corpus.js';
import { shippedTranslator } from './helpers.js';

const corpus = (name: string) => readFileSync(join(CORPUS, 'x12/278', `stupidedi-278-${name}.edi`), 'utf8');

async function translate(raw: string): Promise<Translation> {
  return (await shippedTranslator()).translate({ raw, source: 'test' });
}

function isPriorAuthorization(object: CanonicalResource): object is PriorAuthorization {
  return object.resourceType === 'PriorAuthorization';
}

async function reviews(raw: string): Promise<PriorAuthorization[]> {
  const translation = await translate(raw);
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  assert.ok(translation.objects.every(isPriorAuthorization));
  return translation.objects.filter(isPriorAuthorization);
}

async function refusal(raw: string): Promise<Extract<Translation, { ok: false }>> {
  const translation = await translate(raw);
  assert.equal(translation.ok, false, 'expected a refusal');
  return translation as Extract<Translation, { ok: false }>;
}

/** What a reader of the review looks at first: kind, status, tracking and certification numbers, services. */
function outline(review: PriorAuthorization) {
  return {
    kind: review.kind,
    status: review.status,
    requestNumber: review.requestNumber,
    certificationNumber: review.decision?.certificationNumber,
    services: review.services.length,
  };
}

const request = (requestNumber: string, services = 1): ReturnType<typeof outline> => ({
  kind: 'request',
  status: 'requested',
  requestNumber,
  certificationNumber: undefined,
  services,
});

/** Per corpus file: the review's outline, or the refusal (stage, rule of an issue). */
const EXPECTED: Record<string, ReturnType<typeof outline> | { stage: string; rule: string }> = {
  // The corpus README: two requests carry an SE count one short, so a 999 rejects them.
  'admission-request-for-review': { stage: 'parse', rule: 'segment-count' },
  'admission-response-to-request-for-review': { kind: 'decision', status: 'modified', requestNumber: '97021001', certificationNumber: 'AUTH0002', services: 1 },
  'emergency-admission-request-for-review': request('YZZ099'),
  'emergency-admission-response-to-request-for-review': { kind: 'decision', status: 'pended', requestNumber: 'YZZ099', certificationNumber: undefined, services: 1 },
  'referral-request-for-review': request('111099'),
  'referral-response-to-request-for-review': { kind: 'decision', status: 'approved', requestNumber: '111099', certificationNumber: 'AUTH0001', services: 1 },
  'request-for-home-health-care': { stage: 'parse', rule: 'segment-count' },
  'request-for-medical-services-reservation': request('5269367'),
  // Its second and third service levels name the one before as their parent (HL02 5, 6): not 2000E.
  'request-for-non-emergency-transportation': { stage: 'parse', rule: 'hl-parent' },
  'response-to-medical-services-reservation': { kind: 'decision', status: 'approved', requestNumber: '5269367', certificationNumber: '6735172961', services: 1 },
  'response-to-non-emergency-transportation': { kind: 'decision', status: 'approved', requestNumber: '165932', certificationNumber: '2005010796321', services: 3 },
};

describe('X12 278 mapping: every corpus 278 file', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      if ('stage' in expected) {
        const { stage, error } = await refusal(corpus(name));
        assert.equal(stage, expected.stage);
        assert.ok(error.issues.some((issue) => issue.rule === expected.rule), JSON.stringify(error.issues.slice(0, 3)));
        return;
      }
      const mapped = await reviews(corpus(name));
      assert.deepEqual(mapped.map(outline), [expected]);
      assert.equal(mapped[0].provenance.mapping, 'x12-278@1.0.0');
      assert.deepEqual(mapped[0].provenance.controlNumbers, { interchange: '000010216', group: '20213', transactionSet: '0001' });
    });
  }

  it('maps the three refused requests once their defects are mended', async () => {
    const admission = await reviews(corpus('admission-request-for-review').replace('SE*25*', 'SE*26*'));
    const homeHealth = await reviews(corpus('request-for-home-health-care').replace('SE*19*', 'SE*20*'));
    const transport = await reviews(
      corpus('request-for-non-emergency-transportation').replace('HL*6*5*SS', 'HL*6*4*SS').replace('HL*7*6*SS', 'HL*7*4*SS'),
    );
    assert.deepEqual([...admission, ...homeHealth, ...transport].map(outline), [request('97021001'), request('B56789', 2), request('165932', 3)]);
    assert.deepEqual(
      homeHealth[0].services.map((s) => [s.procedure?.system, s.procedure?.code, s.placeOfService?.code]),
      [
        ['HCPCS', 'G0154', '12'],
        ['HCPCS', 'B4184', '12'],
      ],
    );
  });
});

describe('x12-278: what a request and a decision carry', () => {
  it('maps a modified admission: the event modified to 5 days, its surgery certified, parties and diagnosis', async () => {
    const [review] = await reviews(corpus('admission-response-to-request-for-review'));
    assert.deepEqual(review.category, { system: 'X12-UM01', code: 'AR' });
    assert.deepEqual(review.certificationType, { system: 'X12-UM02', code: 'I' });
    assert.deepEqual(review.decision, { status: 'modified', certificationNumber: 'AUTH0002', approvedUnits: '5' });
    assert.deepEqual(review.eventPeriod, { start: '2005-05-16' });
    assert.deepEqual(review.payer, { name: 'MARYLAND CAPITAL INSURANCE COMPANY', payerId: '7893122' });
    assert.deepEqual(review.coverage, { rank: 'unknown', payer: review.payer, memberId: '123456789011', relationship: 'self' });
    assert.deepEqual(review.patient.name, { family: 'SMITH', given: ['JOE'] });
    assert.deepEqual(review.providers.requesting, { entityType: 'person', name: 'WATSON', person: { family: 'WATSON', given: ['SUSAN'] }, taxId: '987654' });
    assert.deepEqual(review.providers.facility, {
      entityType: 'organization',
      name: 'MONTGOMERY HOSPITAL',
      taxId: '000012121',
      address: { lines: ['475 MAIN STREET'], city: 'ANYTOWN', state: 'PA', postalCode: '19087' },
    });
    assert.deepEqual(review.diagnoses, [{ sequence: 1, code: { system: 'ICD-9-CM', code: '41090' }, kind: 'other' }]);
    assert.deepEqual(review.services, [
      {
        sequence: 1,
        procedure: { system: 'CPT', code: '33510' },
        serviceType: { system: 'X12-1365', code: '2' },
        serviceDate: { start: '2005-05-16' },
        placeOfService: { system: 'POS', code: '21' },
        servicingProvider: {
          entityType: 'person',
          name: 'WATSON',
          person: { family: 'WATSON', given: ['SUSAN'] },
          taxId: '987654321',
          taxonomy: '203BS0133X',
        },
        decision: { status: 'approved', certificationNumber: 'AUTH0002', validityPeriod: { start: '2005-05-16' } },
      },
    ]);
  });

  it('maps a pended decision with its reason, and a referral certified for a period', async () => {
    const [pended] = await reviews(corpus('emergency-admission-response-to-request-for-review'));
    assert.deepEqual(pended.decision, { status: 'pended', reasonCodes: [{ system: 'X12-306', code: '0U' }] });
    const [referral] = await reviews(corpus('referral-response-to-request-for-review'));
    assert.deepEqual(referral.decision, { status: 'approved', certificationNumber: 'AUTH0001', validityPeriod: { start: '2005-05-02', end: '2005-06-02' } });
  });

  it('without a patient event decision, takes the services\' own: their one status, else modified when part is granted', async () => {
    const withoutEventDecision = corpus('admission-response-to-request-for-review').replace(/HCR\*A6\*AUTH0002~\s*/, '').replace('SE*26*', 'SE*25*');
    const [certified] = await reviews(withoutEventDecision);
    assert.deepEqual([certified.status, certified.decision], ['approved', { status: 'approved' }]);
    const secondServiceDenied = withoutEventDecision.replace('SE*25*', 'HL*6*4*SS*0~\nUM*HS*I*2~\nHCR*A3**0V~\nSV2**HC:33511~\nSE*29*');
    const [partly] = await reviews(secondServiceDenied);
    assert.deepEqual([partly.status, partly.decision], ['modified', { status: 'modified' }]);
    assert.deepEqual(partly.services.map((s) => s.decision?.status), ['approved', 'denied']);
  });

  it('reads a patient event without service levels as the one service it asks for (UM03, UM04, HSD)', async () => {
    const [review] = await reviews(corpus('emergency-admission-request-for-review'));
    assert.deepEqual(review.services, [
      { sequence: 1, serviceType: { system: 'X12-1365', code: 'A4' }, units: '3', unitType: 'DY', placeOfService: { system: 'POS', code: '21' } },
    ]);
    assert.deepEqual(
      [review.providers.facility?.name, review.providers.attending?.name, review.providers.servicing?.name],
      ['GENERAL HOSPITAL', 'JONES', 'BROWN'],
    );
    assert.deepEqual(review.eventPeriod, { start: '2005-05-05' });
  });

  it('reads a cancellation (BHT02 01) as a cancelled request', async () => {
    const [review] = await reviews(corpus('referral-request-for-review').replace('BHT*0007*13*', 'BHT*0007*01*'));
    assert.deepEqual([review.kind, review.status], ['request', 'cancelled']);
  });
});

describe('x12-278: what the 278 writer writes reads back the same', () => {
  let next = 1;
  const controlNumbers = async (_kind: string, count: number) => Array.from({ length: count }, () => next++);

  /** A canonical decision sample turned back into the request it answered. */
  function asked(sample: PriorAuthorization): PriorAuthorization {
    const { decision: _decision, ...rest } = structuredClone(sample);
    return { ...rest, kind: 'request', status: 'requested', services: rest.services.map(({ decision: _d, ...service }) => service) };
  }

  /** The fields a 278 request carries, without displays (X12 has no room for them). */
  function carried(review: PriorAuthorization) {
    const code = (c?: { system: string; code: string }) => c && `${c.system} ${c.code}`;
    const { coverage, providers } = review;
    return {
      kind: review.kind,
      status: review.status,
      requestNumber: review.requestNumber,
      category: code(review.category),
      certificationType: code(review.certificationType),
      patient: review.patient.name,
      birthDate: review.patient.birthDate,
      coverage: [coverage.memberId, coverage.groupNumber, coverage.relationship, coverage.subscriber?.name.family],
      npis: [providers.requesting.npi, providers.servicing?.npi, providers.facility?.npi, providers.attending?.npi],
      diagnoses: review.diagnoses?.map((d) => `${d.kind} ${d.code.system} ${d.code.code.replace('.', '')}`),
      services: review.services.map((s) => [code(s.procedure), code(s.revenueCode), code(s.serviceType), s.modifiers, s.units, s.unitType, s.serviceDate, code(s.placeOfService)]),
      eventPeriod: review.eventPeriod,
    };
  }

  for (const [label, sample] of [
    ['a request for the subscriber', asked(priorAuthorization())],
    ['a request for a dependent with every party', asked(fullPriorAuthorization as PriorAuthorization)],
  ] as const) {
    it(label, async () => {
      const written = await write278([sample], { profile: PROFILE, controlNumbers, now: NOW });
      const [review] = await reviews(written.text);
      assert.deepEqual(carried(review), carried(sample));
    });
  }
});

describe('x12-278: refusals', () => {
  it('refuses a response whose HCR01 is not an 005010X217 action code, at HCR01', async () => {
    const { stage, error } = await refusal(corpus('referral-response-to-request-for-review').replace('HCR*A1*AUTH0001', 'HCR*A9*AUTH0001'));
    // the element check (999 IK4 code 7) finds it before the mapping's own refusal would
    assert.equal(stage, 'parse');
    assert.equal(error.errorClass, 'parse');
    assert.deepEqual(error.issues.map((issue) => [issue.path.split(' ')[0], issue.rule]), [['HCR01', 'code-value']]);
  });

  it('refuses a response the UMO rejected (AAA, no decision) with its reject reason', async () => {
    const rejected = [
      'ISA*00*          *00*          *ZZ*123456789012345*ZZ*123456789012346*080503*1705*>*00501*000010216*0*T*:~',
      'GS*HI*1234567890*1234567890*20080503*1705*20213*X*005010X217~',
      'ST*278*0001*005010X217~',
      'BHT*0007*11*A12345*20050502*1102*18~',
      'HL*1**20*1~',
      'NM1*X3*2*MARYLAND CAPITAL INSURANCE COMPANY*****46*789312~',
      'HL*2*1*21*1~',
      'NM1*1P*1*GARDENER*JAMES****46*8189991234~',
      'HL*3*2*22*0~',
      'NM1*IL*1*SMITH*JOE****MI*12345678901~',
      'AAA*N**72*C~',
      'SE*10*0001~',
      'GE*1*20213~',
      'IEA*1*000010216~',
    ].join('\n');
    const { stage, error } = await refusal(rejected);
    assert.equal(stage, 'map');
    assert.deepEqual(error.issues, [
      {
        path: 'AAA03 (ST*0001 segment 9, line 11)',
        rule: 'request-rejected',
        message: 'the UMO rejected the request (reject reason 72, follow-up action C): the response carries no decision',
      },
    ]);
  });

  it('refuses a request purpose other than 13 or 01 at BHT02', async () => {
    const { error } = await refusal(corpus('referral-request-for-review').replace('BHT*0007*13*', 'BHT*0007*36*'));
    assert.deepEqual(error.issues.map((issue) => [issue.path, issue.rule]), [['BHT02 (ST*0001 segment 2, line 1)', 'transaction-purpose']]);
  });
});
