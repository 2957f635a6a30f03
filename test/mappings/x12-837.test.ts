// The shipped X12 837 mappings (x12-837p, x12-837i) on every corpus 837: each claim maps to a
// canonical claim that passes validation, or the whole set is refused with the precise reason.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim } from '../../canonical-model/types.js';
import type { Translation } from '../../mappings/translate.js';
import { CORPUS } from '../support/corpus.js';
import { shippedTranslator } from './helpers.js';

const X12 = join(CORPUS, 'x12');

async function translate(raw: string): Promise<Translation> {
  return (await shippedTranslator()).translate({ raw, source: 'test' });
}

function claims(translation: Translation): Claim[] {
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  return translation.objects as Claim[];
}

const corpus = (file: string) => readFileSync(join(X12, file), 'utf8');

/**
 * The guides' own examples give the billing provider (2010AA) and the service facility (2310C) a
 * five-digit ZIP, where 005010X222A1 and X223A2 require ZIP+4: claimhub rejects them there (N403,
 * IK403 I12), as a payer would. With the four digits added, the rest of each example is read as written.
 */
const zip9 = (text: string) => text.replace(/(NM1\*(?:85|77)\*[^~]*~\s*N3\*[^~]*~\s*N4\*[^*~]*\*[A-Z]{2}\*)(\d{5})~/g, '$1$20001~');

/** Expected outcome per corpus file: claim number → total charge, or the refusal (stage, first issue rule). */
const EXPECTED: Record<string, Record<string, string> | { stage: string; rule: string }> = {
  '837p/stupidedi-837p-ambulance.edi': { '051068': '766.50' },
  '837i/stupidedi-837i-out-of-network-repriced-claim.edi': { 'W392-49141': '14.84' },
  '837i/stupidedi-837i-ppo-repriced-claim.edi': { '456DFH43': '237.50' },
  // five-digit billing-provider ZIPs (see zip9): rejected at 2010AA N403 as written
  '837p/stupidedi-837p-COB-claim-from-billing-provider-to-payer-b.edi': { stage: 'parse', rule: 'pattern' }, // 2010AA and 2310C
  '837p/stupidedi-837p-COB-claim-from-payer-a-to-payer-b-in-payer-to-payer.edi': { stage: 'parse', rule: 'pattern' },
  '837p/stupidedi-837p-drug-administered-in-the-physician-office.edi': { stage: 'parse', rule: 'pattern' },
  '837p/stupidedi-837p-home-infusion-therapy-pharmacy-ndc-in-loop-2410.edi': { stage: 'parse', rule: 'pattern' },
  '837p/stupidedi-837p-medicare-secondary-payer-COB.edi': { stage: 'parse', rule: 'pattern' },
  '837i/stupidedi-837i-automobile-accident.edi': { stage: 'parse', rule: 'pattern' },
  '837i/stupidedi-837i-institutional-claim.edi': { stage: 'parse', rule: 'pattern' },
  '837i/stupidedi-837i-two-claims-for-the-same-provider.edi': { stage: 'parse', rule: 'pattern' },
  // The ims-x12 samples carry SE01 25 whatever their length (pyx12 reports the same): rejected whole.
  '837p/ims-x12_ambiguous_loop.txt': { stage: 'parse', rule: 'segment-count' },
  '837p/ims-x12_valid.txt': { stage: 'parse', rule: 'segment-count' },
  '837p/ims-x12_valid_different_separators.txt': { stage: 'parse', rule: 'segment-count' },
  '837p/ims-x12_writer_test.txt': { stage: 'parse', rule: 'segment-count' },
  '837p/ims-x12_no_errors.txt': { stage: 'parse', rule: 'segment-count' },
  '837i/ims-x223-test.txt': { stage: 'parse', rule: 'segment-count' },
};

describe('X12 837 mappings: every corpus 837 file', () => {
  for (const folder of ['837p', '837i']) {
    for (const name of readdirSync(join(X12, folder))) {
      const file = `${folder}/${name}`;
      it(file, async () => {
        const translation = await translate(corpus(file));
        const expected = EXPECTED[file];
        if (expected === undefined) {
          // Multi-interchange/multi-group ims files: rejected for their envelope defects (see the envelope tests).
          assert.equal(translation.ok, false);
          assert.equal(translation.ok ? '' : translation.stage, 'parse');
          return;
        }
        if ('stage' in expected) {
          assert.equal(translation.ok, false);
          if (translation.ok) return;
          assert.equal(translation.stage, expected.stage);
          assert.ok(translation.error.issues.some((issue) => issue.rule === expected.rule), JSON.stringify(translation.error.issues.slice(0, 3)));
          return;
        }
        const mapped = claims(translation);
        assert.deepEqual(Object.fromEntries(mapped.map((c) => [c.claimNumber, c.totalCharge])), expected);
        for (const claim of mapped) {
          assert.equal(claim.type, folder === '837p' ? 'professional' : 'institutional');
          assert.equal(claim.provenance.mapping, folder === '837p' ? 'x12-837p@1.0.0' : 'x12-837i@1.0.0');
          assert.equal(claim.provenance.controlNumbers?.claim, claim.claimNumber);
        }
      });
    }
  }
  // The same examples with ZIP+4 for the billing provider: every claim maps, totals exact.
  const WITH_ZIP9: Record<string, Record<string, string> | { stage: string; rule: string }> = {
    '837p/stupidedi-837p-COB-claim-from-billing-provider-to-payer-b.edi': { '26407789': '79.04' },
    '837p/stupidedi-837p-COB-claim-from-payer-a-to-payer-b-in-payer-to-payer.edi': { '26407789': '79.04' },
    '837p/stupidedi-837p-drug-administered-in-the-physician-office.edi': { CLMNO12345: '103.37' },
    '837p/stupidedi-837p-home-infusion-therapy-pharmacy-ndc-in-loop-2410.edi': { CLMNO12345: '2232.93' },
    '837p/stupidedi-837p-medicare-secondary-payer-COB.edi': { '101KEN6055': '120.00' },
    '837i/stupidedi-837i-automobile-accident.edi': { '67236695521': '545.00' },
    // its statement dates are DTP*434*RD8*19960911: a range with one date (IK403 8)
    '837i/stupidedi-837i-institutional-claim.edi': { stage: 'parse', rule: 'date' },
    '837i/stupidedi-837i-two-claims-for-the-same-provider.edi': { '756048Q': '89.95', '756049Q': '50.00' },
  };
  for (const [file, expected] of Object.entries(WITH_ZIP9)) {
    it(`${file} with ZIP+4 for the billing provider`, async () => {
      const translation = await translate(zip9(corpus(file)));
      if ('stage' in expected) {
        assert.equal(translation.ok, false);
        if (translation.ok) return;
        assert.deepEqual(translation.error.issues.map((i) => [translation.stage, i.rule]), [[expected.stage, expected.rule]]);
        return;
      }
      assert.deepEqual(Object.fromEntries(claims(translation).map((c) => [c.claimNumber, c.totalCharge])), expected);
    });
  }

  it('refuses 837D (dental) plainly as not translated', async () => {
    const translation = await translate(corpus('837d/stupidedi-837d-sales-tax.edi'));
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.error.errorClass, 'unsupported');
    assert.match(translation.error.message, /837 Dental \(005010X224A2\) is read but not translated/);
  });
});

describe('x12-837p: what a professional claim carries', () => {
  it('maps the ambulance claim field by field', async () => {
    const [claim] = claims(await translate(corpus('837p/stupidedi-837p-ambulance.edi')));
    assert.equal(claim.frequency, 'original');
    assert.deepEqual(claim.patient.name, { family: 'JONES', given: ['SARAH', 'A'] });
    assert.equal(claim.patient.birthDate, '1963-07-29');
    assert.equal(claim.patient.gender, 'female');
    assert.deepEqual(claim.coverages.map((c) => [c.rank, c.payer.name, c.payer.payerId, c.memberId, c.relationship, c.filingIndicator]), [
      ['primary', 'MEDICARE PART B', '123245', '012345678A', 'self', 'MB'],
    ]);
    assert.deepEqual([claim.providers.billing.npi, claim.providers.billing.taxId, claim.providers.billing.taxonomy], ['2366554859', '376985369', '3416L0300X']);
    assert.deepEqual(claim.placeOfService, { system: 'POS', code: '41' });
    assert.deepEqual(claim.diagnoses.map((d) => `${d.sequence} ${d.kind} ${d.code.system} ${d.code.code}`), [
      '1 principal ICD-9-CM 8628',
      '2 other ICD-9-CM E8888',
      '3 other ICD-9-CM 9592',
      '4 other ICD-9-CM 8540',
    ]);
    assert.deepEqual(claim.serviceLines.map((l) => [l.sequence, l.procedure?.code, l.modifiers, l.units, l.charge, l.serviceDate?.start, l.lineControlNumber]), [
      [1, 'A0427', ['RH'], '1', '700.00', '2005-02-08', '1001'],
      [2, 'A0425', ['RH'], '21', '8.20', '2005-02-08', '1002'],
      [3, 'A0422', ['RH'], '1', '46.00', '2005-02-08', '1003'],
      [4, 'A0382', ['RH'], '1', '12.30', '2005-02-08', '1004'],
    ]);
    assert.deepEqual(claim.serviceLines[0].diagnosisPointers, [1, 2, 3, 4]);
    assert.deepEqual(claim.accident, { date: '2005-02-08', causes: ['OA'] });
  });

  it('maps secondary coverage (2320/2330) behind the primary one', async () => {
    const [claim] = claims(await translate(zip9(corpus('837p/stupidedi-837p-COB-claim-from-billing-provider-to-payer-b.edi'))));
    assert.equal(claim.coverages.length, 2);
    assert.deepEqual(claim.coverages.map((c) => c.rank), ['secondary', 'primary']);
    assert.ok(claim.coverages.every((c) => c.payer.name && c.memberId));
  });

  it('maps an NDC from loop 2410', async () => {
    const [claim] = claims(await translate(zip9(corpus('837p/stupidedi-837p-home-infusion-therapy-pharmacy-ndc-in-loop-2410.edi'))));
    assert.ok(claim.serviceLines.some((line) => line.ndc?.code && line.ndc.quantity));
  });

  it('keeps HI*BG condition codes apart from the diagnoses the lines point at', async () => {
    const text = corpus('837p/stupidedi-837p-ambulance.edi')
      .replace('HI*BK:8628*BF:E8888*BF:9592*BF:8540~', 'HI*BK:8628*BF:E8888*BF:9592*BF:8540~HI*BG:01*BG:02~')
      .replace('SE*52*', 'SE*53*');
    const [claim] = claims(await translate(text));
    assert.equal(claim.diagnoses.length, 4);
    assert.deepEqual(claim.institutional, {
      conditionCodes: [
        { system: 'NUBC-CONDITION', code: '01' },
        { system: 'NUBC-CONDITION', code: '02' },
      ],
    });
  });

  it('refuses an unknown claim frequency at CLM05-3 with segment position and line', async () => {
    const text = corpus('837p/stupidedi-837p-ambulance.edi').replace('41:B:1', '41:B:9');
    const translation = await translate(text);
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'map');
    assert.deepEqual(translation.error.issues.map((i) => [i.path, i.rule]), [['CLM05-3 (ST*000017712 segment 21, line 1)', 'claim-frequency']]);
  });

  it('rejects an unknown relationship code at SBR02 (the element check, a 999 IK4 7, before the mapping)', async () => {
    const translation = await translate(corpus('837p/stupidedi-837p-ambulance.edi').replace('SBR*P*18*', 'SBR*P*99*'));
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'parse');
    assert.deepEqual(translation.error.issues.map((i) => i.rule), ['code-value']);
    assert.match(translation.error.issues[0].path, /^SBR02 \(ISA13 000010216, GS06 20213, ST02 000017712, segment \d+, line 1\)$/);
  });

  it('refuses a claim whose lines do not add up to CLM02 (total-equals-lines)', async () => {
    const translation = await translate(corpus('837p/stupidedi-837p-ambulance.edi').replace('CLM*051068*766.50', 'CLM*051068*766.51'));
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'validate');
    assert.deepEqual(translation.error.issues.map((i) => [i.path, i.rule]), [['$.totalCharge', 'total-equals-lines']]);
  });

  it('rejects the whole set when its SE count is wrong, naming the control numbers', async () => {
    const translation = await translate(corpus('837p/stupidedi-837p-ambulance.edi').replace('SE*52*', 'SE*51*'));
    assert.equal(translation.ok, false);
    if (translation.ok) return;
    assert.equal(translation.stage, 'parse');
    assert.match(translation.error.issues[0].path, /^SE01 \(ISA13 000010216, GS06 20213, ST02 000017712, segment 52, line 1\)$/);
  });
});

describe('x12-837i: what an institutional claim carries', () => {
  it('maps the repriced claim with its institutional codes', async () => {
    const [claim] = claims(await translate(corpus('837i/stupidedi-837i-ppo-repriced-claim.edi')));
    assert.equal(claim.type, 'institutional');
    assert.equal(claim.institutional?.typeOfBill, '0131');
    assert.deepEqual(claim.billablePeriod, { start: '2005-07-06', end: '2005-07-06' });
    assert.deepEqual(claim.institutional?.admission, {
      date: '2005-07-06',
      hour: '0800',
      type: { system: 'NUBC-ADMISSION-TYPE', code: '1' },
      source: { system: 'NUBC-ADMISSION-SOURCE', code: '2' },
    });
    assert.deepEqual(claim.institutional?.dischargeStatus, { system: 'NUBC-DISCHARGE-STATUS', code: '01' });
    assert.deepEqual(claim.institutional?.occurrenceCodes, [{ code: { system: 'NUBC-OCCURRENCE', code: '11' }, date: '2005-07-06' }]);
    assert.deepEqual(claim.diagnoses.map((d) => `${d.kind} ${d.code.code}`), ['principal 38181', 'other 38900']);
    assert.deepEqual(claim.serviceLines.map((l) => [l.revenueCode?.code, l.procedure?.code, l.charge, l.units]), [
      ['0471', '92557', '178.00', '1'],
      ['0471', '92567', '59.50', '1'],
    ]);
    assert.equal(claim.patient.name.family, 'JONES');
    assert.equal(claim.coverages[0].relationship, 'child');
    assert.equal(claim.providers.attending?.npi, '5544332211');
  });
});
