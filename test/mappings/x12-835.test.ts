// The shipped X12 835 mapping (x12-835): every corpus 835 becomes one canonical Remittance per
// payment whose money balances (BPR02 = Σ CLP04 − Σ PLB, and each claim and line), or the input is
// refused with the precise reason; what a claim payment and its lines carry; the refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMoney, parseMoney } from '../../canonical-model/money.js';
import type { CanonicalResource, Money, Remittance } from '../../canonical-model/types.js';
import type { Translation } from '../../mappings/translate.js';
import { CORPUS } from '../support/corpus.js';
import { shippedTranslator } from './helpers.js';

const corpus = (name: string) => readFileSync(join(CORPUS, 'x12/835', name), 'utf8');

async function translate(raw: string): Promise<Translation> {
  return (await shippedTranslator()).translate({ raw, source: 'test' });
}

function isRemittance(object: CanonicalResource): object is Remittance {
  return object.resourceType === 'Remittance';
}

async function remittances(raw: string): Promise<Remittance[]> {
  const translation = await translate(raw);
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  assert.ok(translation.objects.every(isRemittance));
  return translation.objects.filter(isRemittance);
}

async function refusal(raw: string): Promise<Extract<Translation, { ok: false }>> {
  const translation = await translate(raw);
  assert.equal(translation.ok, false, 'expected a refusal');
  return translation as Extract<Translation, { ok: false }>;
}

const sum = (amounts: Money[]) => formatMoney(amounts.reduce((total, amount) => total + parseMoney(amount), 0n));

/** The numbers a payee reconciles: BPR02, Σ CLP04, Σ PLB, Σ CLP03, and how many claims and lines. */
function totals(remittance: Remittance) {
  return {
    trace: remittance.payment.traceNumber,
    payment: remittance.payment.amount,
    claimsPaid: sum(remittance.claimPayments.map((claim) => claim.paid)),
    providerAdjustments: sum((remittance.providerAdjustments ?? []).map((adjustment) => adjustment.amount)),
    charged: sum(remittance.claimPayments.map((claim) => claim.charge)),
    claims: remittance.claimPayments.length,
    lines: remittance.claimPayments.reduce((count, claim) => count + (claim.serviceLines?.length ?? 0), 0),
  };
}

const PROFEE = { trace: '10100000000', payment: '45.75', claimsPaid: '45.75', providerAdjustments: '0.00', charged: '102.50', claims: 3, lines: 10 };

/** Per corpus file: the totals of each remittance, or the refusal (stage, rule of an issue). */
const EXPECTED: Record<string, ReturnType<typeof totals>[] | { stage: string; rule: string }> = {
  // A notification (BPR01 H, NON): one denied claim whose three lines are adjusted to zero.
  'pyx12-835_mult_loops.txt': [
    { trace: '000000000', payment: '0.00', claimsPaid: '0.00', providerAdjustments: '0.00', charged: '915.39', claims: 1, lines: 3 },
  ],
  'tp-profee.edi': [PROFEE],
  'tp-profee-one-line.edi': [PROFEE],
  'tp-multi-line-not-delimited.edi': [PROFEE],
  // The same interchange 156 times over, ISA13 and GS06 never changing: refused whole (a TA1 says
  // duplicate); each interchange alone balances (below).
  'tp-profee-multiple.edi': { stage: 'parse', rule: 'control-number-unique' },
};

describe('X12 835 mapping: every corpus 835 file', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, async () => {
      if ('stage' in expected) {
        const { stage, error } = await refusal(corpus(file));
        assert.equal(stage, expected.stage);
        assert.ok(error.issues.some((issue) => issue.rule === expected.rule), JSON.stringify(error.issues.slice(0, 3)));
        return;
      }
      const mapped = await remittances(corpus(file));
      assert.deepEqual(mapped.map(totals), expected);
      for (const remittance of mapped) {
        // BPR02 = Σ CLP04 − Σ PLB, on the numbers themselves (the canonical rules checked it too)
        assert.equal(formatMoney(parseMoney(totals(remittance).claimsPaid) - parseMoney(totals(remittance).providerAdjustments)), remittance.payment.amount);
        assert.equal(remittance.provenance.mapping, 'x12-835@1.0.0');
        assert.equal(remittance.provenance.controlNumbers?.transactionSet, file.startsWith('tp-') ? '1740' : '0001');
      }
    });
  }

  it('tp-profee-multiple.edi: each of its 156 interchanges alone is a balanced remittance of 45.75', async () => {
    const interchanges = corpus('tp-profee-multiple.edi').split(/(?=ISA\*)/).filter((text) => text.trim() !== '');
    assert.equal(interchanges.length, 156);
    for (const interchange of interchanges) assert.deepEqual((await remittances(interchange)).map(totals), [PROFEE]);
  });
});

describe('x12-835: what a remittance carries', () => {
  it('maps the payer, payee, payment and each claim payment with its lines', async () => {
    const [remittance] = await remittances(corpus('tp-profee.edi'));
    assert.deepEqual(remittance.payer, {
      name: 'NYSDOH',
      address: { lines: ['OFFICE OF HEALTH INSURANCE PROGRAMS', 'CORNING TOWER, EMPIRE STATE PLAZA'], city: 'ALBANY', state: 'NY', postalCode: '122370080' },
    });
    assert.deepEqual(remittance.payee, { entityType: 'organization', name: 'MAJOR MEDICAL PROVIDER', npi: '9999999995', taxId: '000000000' });
    assert.deepEqual(remittance.payment, { method: 'ACH', amount: '45.75', date: '2010-01-01', traceNumber: '10100000000' });
    assert.equal(remittance.productionDate, '2010-01-01');
    assert.equal(remittance.currency, 'USD');
    assert.deepEqual(
      remittance.claimPayments.map((c) => [c.claimNumber, c.status, c.charge, c.paid, c.payerClaimNumber, c.filingIndicator, c.memberId]),
      [
        ['PATIENT ACCOUNT NUMBER', 'processed-primary', '34.25', '34.25', '1000210000000030', 'MC', 'LL99999L'],
        ['PATIENT ACCOUNT NUMBER', 'processed-secondary', '34.00', '0.00', '1000220000000020', 'MC', 'LL88888L'],
        ['PATIENT ACCOUNT NUMBER', 'processed-secondary', '34.25', '11.50', '1000230000000020', 'MC', 'LL77777L'],
      ],
    );
    const [first, , third] = remittance.claimPayments;
    assert.deepEqual(first.patient, { name: { family: 'SUBMITTED LAST', given: ['SUBMITTED FIRST'] }, identifiers: [{ type: 'member-id', value: 'LL99999L' }] });
    assert.deepEqual(first.period, { start: '2010-01-01', end: '2010-01-01' });
    assert.deepEqual(third.serviceLines?.[2], {
      procedure: { system: 'HCPCS', code: 'V2700' },
      modifiers: ['RB'],
      charge: '2.75',
      paid: '0.00',
      units: '0',
      serviceDate: { start: '2010-01-01' },
      adjustments: [{ group: 'CO', reason: { system: 'CARC', code: '251' }, amount: '2.75' }],
      remarkCodes: [{ system: 'RARC', code: 'N206' }],
    });
    assert.deepEqual(
      first.serviceLines?.map((l) => [l.procedure?.code, l.modifiers, l.charge, l.paid, l.allowed, l.units]),
      [
        ['V2020', ['RB'], '6.00', '6.00', '6.00', '1'],
        ['V2700', ['RB'], '2.75', '2.75', '2.75', '1'],
        ['V2103', ['RB'], '5.50', '5.50', '5.50', '1'],
        ['S0580', undefined, '20.00', '20.00', '20.00', '2'],
      ],
    );
  });

  it('maps a denied claim with a patient known by medical record number and its rendering provider', async () => {
    const [remittance] = await remittances(corpus('pyx12-835_mult_loops.txt'));
    assert.deepEqual(remittance.payment, { method: 'NON', amount: '0.00', date: '2004-10-28', traceNumber: '000000000' });
    assert.deepEqual(remittance.payee, { entityType: 'organization', name: 'UNKNOWN', taxId: '444313000' });
    const [claim] = remittance.claimPayments;
    assert.equal(claim.status, 'denied');
    assert.deepEqual(claim.patient?.identifiers, [{ type: 'mrn', value: '00001612' }]);
    assert.equal(claim.memberId, undefined);
    assert.deepEqual(claim.renderingProvider, { entityType: 'organization', name: 'PAYEE' });
    assert.deepEqual(
      claim.serviceLines?.map((l) => [l.procedure?.code, l.units, l.serviceDate, l.adjustments?.map((a) => `${a.group}-${a.reason.code} ${a.amount}`), l.remarkCodes?.map((r) => r.code)]),
      [
        ['T1005', '68', { start: '2003-11-29', end: '2003-11-29' }, ['CO-16 500.04'], ['N14']],
        ['T1005', '16', { start: '2003-10-30', end: '2003-10-30' }, ['OA-A7 127.80'], ['N14']],
        ['T1005', '36', { start: '2003-10-31', end: '2003-10-31' }, ['OA-A7 287.55'], ['N14']],
      ],
    );
  });

  it('balances provider adjustments (PLB): a recovery withheld and interest paid', async () => {
    const text = corpus('tp-profee.edi')
      .replace('BPR*I*45.75*', 'BPR*I*38.25*')
      .replace('SE*65*1740', 'PLB*9999999995*20101231*WO:1000210000000030*10*L6*-2.5~\nSE*66*1740');
    const [remittance] = await remittances(text);
    assert.deepEqual(remittance.providerAdjustments, [
      { reason: { system: 'X12-PLB', code: 'WO' }, reference: '1000210000000030', amount: '10.00', fiscalPeriodDate: '2010-12-31' },
      { reason: { system: 'X12-PLB', code: 'L6' }, amount: '-2.50', fiscalPeriodDate: '2010-12-31' },
    ]);
    assert.deepEqual(totals(remittance), { ...PROFEE, payment: '38.25', providerAdjustments: '7.50' });
  });

  it('maps a debit (BPR03 D) as a negative payment that balances a reversed claim', async () => {
    const segments = corpus('tp-profee.edi').split('~').map((segment) => segment.trim());
    const header = segments.slice(0, segments.findIndex((segment) => segment.startsWith('CLP')));
    const reversal = [
      'CLP*PATIENT ACCOUNT NUMBER*22*-34.25*-34.25**MC*1000210000000030*11',
      'NM1*QC*1*SUBMITTED LAST*SUBMITTED FIRST****MI*LL99999L',
      'SVC*HC:V2020:RB*-34.25*-34.25**1',
      'DTM*472*20100101',
    ];
    const set = [...header.slice(2), ...reversal];
    const text = [...header.slice(0, 2), ...set, `SE*${set.length + 1}*1740`, 'GE*1*6000600', 'IEA*1*006000600', '']
      .join('~\n')
      .replace('BPR*I*45.75*C*', 'BPR*I*34.25*D*');
    const [remittance] = await remittances(text);
    assert.equal(remittance.payment.amount, '-34.25');
    assert.deepEqual(
      remittance.claimPayments.map((c) => [c.status, c.charge, c.paid]),
      [['reversal', '-34.25', '-34.25']],
    );
  });
});

describe('x12-835: refusals', () => {
  it('refuses a remittance whose claim payments do not add up to BPR02, with both sides of each equation', async () => {
    const { stage, error } = await refusal(corpus('tp-profee.edi').replace('CLP*PATIENT ACCOUNT NUMBER*2*34.25*11.5*', 'CLP*PATIENT ACCOUNT NUMBER*2*34.25*11.6*'));
    assert.equal(stage, 'validate');
    assert.deepEqual(error.issues, [
      {
        path: '$.claimPayments[2]',
        rule: 'claim-balances',
        message: 'claim PATIENT ACCOUNT NUMBER: charge 34.25 − paid 11.60 − adjustments 22.75 leaves -0.10, want 0.00',
      },
      {
        path: '$.payment.amount',
        rule: 'payment-balances',
        message: 'payment 45.75 does not equal claims paid 45.85 − provider adjustments 0.00 = 45.85',
      },
    ]);
  });

  it('refuses a claim adjustment group code 005010X221A1 does not have, at its CAS01', async () => {
    // the element check (999 IK4 code 7) finds it before the mapping's own refusal would
    const { stage, error } = await refusal(corpus('tp-profee.edi').replace('CAS*CO*29*12', 'CAS*XX*29*12'));
    assert.equal(stage, 'parse');
    assert.equal(error.errorClass, 'parse');
    assert.deepEqual(error.issues.map((issue) => [issue.rule, issue.path]), [['code-value', 'CAS01 (ISA13 006000600, GS06 6000600, ST02 1740, segment 40, line 42)']]);
    assert.match(error.issues[0].message, /CAS01 "XX" is not a code value 005010X221A1 allows/);
  });

  it('refuses CAS group CR (4010 corrections and reversals), which 5010 replaced with CLP02 22', async () => {
    const { error } = await refusal(corpus('tp-profee.edi').replace('CAS*CO*251*20', 'CAS*CR*251*20'));
    assert.deepEqual(error.issues.map((issue) => [issue.rule, issue.message]), [
      ['code-value', 'CAS01 "CR" is not a code value 005010X221A1 allows in loop 2110 (CO, OA, PI, PR) (loop 2110)'],
    ]);
  });

  it('refuses an unknown claim status and payment method at their elements', async () => {
    const { stage, error } = await refusal(corpus('tp-profee.edi').replace('CLP*PATIENT ACCOUNT NUMBER*1*', 'CLP*PATIENT ACCOUNT NUMBER*9*').replace('*C*ACH*', '*C*CSH*'));
    assert.equal(stage, 'parse');
    assert.deepEqual(error.issues.map((issue) => [issue.path.split(' ')[0], issue.rule]), [
      ['BPR04', 'code-value'],
      ['CLP02', 'code-value'],
    ]);
  });
});
