import assert from 'node:assert/strict';
import { ConfigError, ValidationError, type Claim, type Issue } from '../../../../canonical-model/index.js';
import { check837 } from '../../../../connectors/x12/write/claim-837.js';
import type { ReserveControlNumbers } from '../../../../connectors/x12/write/interchange.js';
import { write837, type Write837Options } from '../../../../connectors/x12/write/write-837.js';
import { drugLineClaim, institutionalClaim, professionalClaim } from './claims.js';
import { elements, loops, NOW, PROFILE, readBack } from './support.js';

/** An in-memory control number source that counts what it handed out. */
function counting(): ReserveControlNumbers & { reserved: number } {
  const source = Object.assign(
    async (_kind: string, count: number) => {
      source.reserved += count;
      return Array.from({ length: count }, (_, i) => source.reserved - count + i + 1);
    },
    { reserved: 0 },
  );
  return source;
}

/** The issues write837 refuses `claims` with; nothing written, no control number spent. */
async function refusal(claims: Claim[], options: Partial<Write837Options> = {}): Promise<Issue[]> {
  const controlNumbers = counting();
  const error = await write837(claims, { profile: PROFILE, controlNumbers, now: NOW, ...options }).then(
    () => assert.fail('the claims were written'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, String(error));
  assert.equal(controlNumbers.reserved, 0, 'a refused file spends no control number');
  return error.issues;
}

const paths = (issues: Issue[]) => issues.map((issue) => `${issue.path} ${issue.rule}`);

/** A professional claim changed by `change`. */
function professional(change: (claim: Claim) => void): Claim {
  const claim = professionalClaim();
  change(claim);
  return claim;
}

describe('837 writer refusals', () => {
  it('refuses a claim whose billing provider has no NPI', async () => {
    const issues = await refusal([professional((c) => delete c.providers.billing.npi)]);
    assert.deepEqual(paths(issues), ['$[0].providers.billing.npi billing-npi-required']);
  });

  it('refuses a value holding a delimiter of the interchange, naming the field', async () => {
    const claim = professional((c) => {
      c.patient.name.family = "O'Brien*Smith";
      c.claimNumber = 'ACC:5520';
      c.patient.address!.lines = ['88 Aspen Way~Unit 2'];
    });
    const issues = await refusal([claim]);
    assert.deepEqual(paths(issues).sort(), [
      '$[0].claimNumber delimiter-in-value',
      '$[0].patient.address.lines[0] delimiter-in-value',
      '$[0].patient.name.family delimiter-in-value',
    ]);
    assert.match(issues.find((i) => i.path === '$[0].claimNumber')!.message, /CLM01.*":"/);
  });

  it('refuses a professional line without a procedure, or without a diagnosis pointer', async () => {
    const withoutProcedure = professional((c) => delete c.serviceLines[0].procedure);
    assert.deepEqual(paths(await refusal([withoutProcedure])), ['$[0].serviceLines[0].procedure procedure-code-required']);
    const withoutPointer = professional((c) => delete c.serviceLines[1].diagnosisPointers);
    assert.deepEqual(paths(await refusal([withoutPointer])), ['$[0].serviceLines[1].diagnosisPointers required']);
  });

  it('refuses dental claims and preauthorizations, which an 837P/837I cannot carry', async () => {
    assert.deepEqual(paths(await refusal([professional((c) => (c.type = 'dental'))])), ['$[0].type unsupported-claim-type']);
    assert.deepEqual(paths(await refusal([professional((c) => (c.use = 'preauthorization'))])), ['$[0].use unsupported-use']);
  });

  it('refuses what a required element would lack: filing indicator, tax id, nine-digit billing ZIP, auto accident state', async () => {
    const claim = professional((c) => {
      delete c.coverages[0].filingIndicator;
      delete c.providers.billing.taxId;
      c.providers.billing.address!.postalCode = '80302';
      c.accident = { date: '2026-10-13', causes: ['AA'] };
    });
    assert.deepEqual(paths(await refusal([claim])).sort(), [
      '$[0].accident.state required',
      '$[0].coverages[0].filingIndicator required',
      '$[0].providers.billing.address.postalCode digits',
      '$[0].providers.billing.taxId required',
    ]);
  });

  it('refuses an institutional claim whose type of bill and frequency disagree', async () => {
    const claim = institutionalClaim();
    claim.frequency = 'replacement';
    claim.originalClaimNumber = 'RMM26307000412';
    assert.deepEqual(paths(await refusal([claim])), ['$[0].institutional.typeOfBill frequency-mismatch']);
  });

  it('refuses a replacement without the payer claim number and more diagnoses than HI holds', async () => {
    const claim = professional((c) => {
      c.frequency = 'replacement';
      c.diagnoses = Array.from({ length: 13 }, (_, i) => ({
        sequence: i + 1,
        code: { system: 'ICD-10-CM', code: `M54.${i + 10}` },
        kind: i === 0 ? 'principal' : 'other',
      }));
    });
    assert.deepEqual(paths(await refusal([claim])), [
      '$[0].diagnoses diagnosis-limit',
      '$[0].originalClaimNumber original-claim-number-required',
    ]);
  });

  it('refuses a malformed NDC, a drug line without its quantity, and a code system the guide has no qualifier for', async () => {
    const claim = drugLineClaim();
    claim.serviceLines[1].ndc = { code: '0026063512', unit: 'ML' };
    claim.diagnoses[1].code.system = 'ICD-9-CM';
    assert.deepEqual(paths(await refusal([claim])).sort(), [
      '$[0].diagnoses[1].code.system code-system',
      '$[0].serviceLines[1].ndc.code ndc',
      '$[0].serviceLines[1].ndc.quantity required',
    ]);
  });

  it('refuses a claim that breaks the canonical schema or its rules before looking further', async () => {
    const claim = professional((c) => (c.totalCharge = '283.315'));
    const issues = await refusal([claim]);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].path, '$[0].totalCharge');
  });

  it('drops accents but refuses characters X12 cannot carry at all', async () => {
    const accented = professional((c) => (c.patient.name.given = ['Zoë']));
    const written = await write837([accented], { profile: PROFILE, controlNumbers: counting(), now: NOW });
    const [claim] = (await readBack(written.text)).claims;
    assert.equal(elements(loops(claim.subscriber, '2010BA')[0], 'NM1')?.[3], 'Zoe');
    const han = professional((c) => (c.patient.name.given = ['李']));
    assert.deepEqual(paths(await refusal([han])), ['$[0].patient.name.given[0] x12-character']);
  });

  it('refuses the whole batch for one bad claim, naming it by index', async () => {
    const bad = professional((c) => (c.claimNumber = 'X'.repeat(39)));
    assert.deepEqual(paths(await refusal([professionalClaim(), bad, institutionalClaim()])), ['$[1].claimNumber element-length']);
  });

  it('answers check837 with the same issues for one claim, rooted at $', () => {
    assert.deepEqual(check837(professionalClaim()), []);
    assert.deepEqual(paths(check837(professional((c) => delete c.providers.billing.npi))), [
      '$.providers.billing.npi billing-npi-required',
    ]);
  });

  it('refuses a profile the envelope cannot carry, before spending a control number', async () => {
    const controlNumbers = counting();
    const profile = {
      ...PROFILE,
      senderId: 'SIXTEEN-CHARS-ID',
      receiverId: ' PEAKCLEARING',
      submitter: { ...PROFILE.submitter, contact: { name: 'EDI Desk' } },
    };
    const error = await write837([professionalClaim()], { profile, controlNumbers, now: NOW }).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(paths(error.issues).sort(), [
      'profile.receiverId x12-character',
      'profile.senderId element-length',
      'profile.submitter.contact required',
    ]);
    assert.equal(controlNumbers.reserved, 0);
  });

  it('refuses delimiters that cannot separate an interchange, and a control number source that misbehaves', async () => {
    const delimiters = { element: '*', component: '*', repetition: '^', segment: '~' };
    const error = await write837([professionalClaim()], { profile: PROFILE, controlNumbers: counting(), now: NOW, delimiters }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError);
    assert.equal(error.issues[0].path, 'options.delimiters');
    const zero: ReserveControlNumbers = async (_kind, count) => Array.from({ length: count }, () => 0);
    await assert.rejects(write837([professionalClaim()], { profile: PROFILE, controlNumbers: zero, now: NOW }), ConfigError);
  });
});
