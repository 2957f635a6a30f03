// Every FHIR file of the shared corpus, with the outcome a user should see: mapped, or refused
// at a stage, with an error class and (at least) this rule at this path.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateCanonical } from '../../canonical-model/validate.js';
import { CORPUS } from '../support/corpus.js';
import { shippedTranslator } from './helpers.js';

type Outcome =
  | { ok: true; claims: number }
  | { ok: false; stage: 'parse' | 'map' | 'validate'; errorClass: string; issues: [path: string, rule: string][] };

const refused = (stage: 'parse' | 'map' | 'validate', errorClass: string, ...issues: [string, string][]): Outcome =>
  ({ ok: false, stage, errorClass, issues });
const notAClaim = refused('parse', 'unsupported', ['$.resourceType', 'resource-type']);
const responseBundle = refused('parse', 'unsupported', ['Bundle.entry[0].resource', 'resource-type']);
const pasRequest = refused('map', 'unsupported', ['Bundle.entry[0].resource.meta.profile', 'pas-request']);
const noClaim = refused('parse', 'unsupported', ['$.entry', 'bundle-without-claim']);

const EXPECTED: Record<string, Outcome> = {
  // R4 specification examples: they point at Patient/1, Organization/1 … that travel without them
  'r4-claims/hl7spec-claim-example-cms1500-medical.json': refused('map', 'validation', ['Claim.provider', 'unresolved-reference']),
  'r4-claims/hl7spec-claim-example-institutional-rich.json': refused('map', 'validation',
    ['Claim.patient', 'unresolved-reference'], ['Claim.provider', 'unresolved-reference'], ['Claim.facility', 'unresolved-reference'],
    ['Claim.diagnosis[0].diagnosisCodeableConcept', 'code-system-required']),
  'r4-claims/hl7spec-claim-example-institutional.json': refused('map', 'validation',
    ['Claim.patient', 'unresolved-reference'], ['Claim.procedure[0].procedureCodeableConcept', 'code-system-required']),
  'r4-claims/hl7spec-claim-example-oral-average.json': refused('map', 'validation',
    ['Claim.patient', 'unresolved-reference'], ['Claim.item[0].productOrService', 'code-system']),
  'r4-claims/hl7spec-claim-example-oral-contained.json': refused('map', 'validation',
    ['Claim.provider', 'provider-name-required'], ['Claim.insurance[0].coverage', 'payer-required'],
    ['Claim.item[0].productOrService', 'code-system-required']),
  'r4-claims/hl7spec-claim-example-oral-orthoplan.json': refused('map', 'validation', ['Claim.patient', 'unresolved-reference']),
  'r4-claims/hl7spec-claim-example-pharmacy-medication.json': refused('map', 'unsupported', ['Claim.type', 'claim-type']),
  'r4-claims/hl7spec-claim-example-professional.json': refused('map', 'validation',
    ['Claim.patient', 'unresolved-reference'], ['Claim.insurance[0].coverage', 'unresolved-reference']),
  'r4-claims/hl7spec-claim-example-vision-glasses-3tier.json': refused('map', 'validation',
    ['Claim.patient', 'unresolved-reference'], ['Claim.item[0].revenue', 'code-system']),
  'r4-claims/hl7spec-claimresponse-example.json': notAClaim,
  'r4-claims/hl7spec-claimresponse-example-2.json': notAClaim,
  'r4-claims/hl7spec-claimresponse-example-additem.json': notAClaim,
  'r4-claims/hl7spec-claimresponse-example-unsolicited-preauth.json': notAClaim,
  'r4-claims/hl7spec-explanationofbenefit-example.json': notAClaim,
  'r4-claims/hl7spec-explanationofbenefit-example-2.json': notAClaim,
  'r4-claims/carin-ExplanationOfBenefit-EOBInpatient2.json': notAClaim,
  'r4-claims/carin-ExplanationOfBenefit-EOBOutpatient2.json': notAClaim,
  'r4-claims/carin-ExplanationOfBenefit-EOBPharmacy1.json': notAClaim,
  'r4-claims/carin-ExplanationOfBenefit-EOBProfessional2.json': notAClaim,
  // Da Vinci PAS: requests are prior authorizations (no canonical mapping yet), responses are responses
  'r4-claims/pas-Bundle-HomecareAuthorizationBundleExample.json': pasRequest,
  'r4-claims/pas-Bundle-HomecareAuthorizationUpdateBundleExample.json': refused('map', 'unsupported',
    ['Bundle.entry[0].resource.meta.profile', 'pas-request'], ['Bundle.entry[0].resource.item[1].modifierExtension[0]', 'modifier-extension']),
  'r4-claims/pas-Bundle-PASClaimInquiryBundleExample.json': pasRequest,
  'r4-claims/pas-Bundle-ReferralAuthorizationBundleExample.json': pasRequest,
  'r4-claims/pas-Bundle-SurgicalRequestBundleExample.json': pasRequest,
  'r4-claims/pas-Bundle-ErrorResponseBundleExample.json': responseBundle,
  'r4-claims/pas-Bundle-PASClaimInquiryResponseBundleExample.json': responseBundle,
  'r4-claims/pas-Bundle-ReferralAuthorizationResponseBundleExample.json': responseBundle,
  'r4-claims/pas-Bundle-ReferralPendingAuthorizationResponseBundleExample.json': responseBundle,
  'r4-claims/pas-Bundle-RejectionResponseBundleExample.json': responseBundle,
  // Synthea: coverage given only by name, SNOMED codes, unpriced lines, pharmacy claims
  'r4-claims/synthea-Isaura563_Turner526-claims-eob-cut.json': refused('map', 'validation',
    ['Bundle.entry[3].resource.insurance[0].coverage', 'coverage-not-resolvable'],
    ['Bundle.entry[3].resource.diagnosis[0].diagnosisReference', 'code-system'],
    ['Bundle.entry[3].resource.item[0].net', 'charge-required'],
    ['Bundle.entry[9].resource.type', 'claim-type']),
  'r4-claims/synthea-Lawrence741_Hammes673-claims-eob-cut.json': refused('map', 'validation',
    ['Bundle.entry[6].resource.type', 'claim-type'], ['Bundle.entry[8].resource.type', 'claim-type'],
    ['Bundle.entry[20].resource.insurance[0].coverage', 'coverage-not-resolvable'],
    ['Bundle.entry[20].resource.item[0].net', 'charge-required']),
  // HL7 v2 conversions: Bundles without a Claim
  'r4/msconv-ADT-A04-01-expected.json': noClaim,
  'r4/msconv-ADT-A04-02-expected.json': noClaim,
  'r4/msconv-ADT-A08-01-expected.json': noClaim,
  'r4/msconv-ADT-A08-02-expected.json': noClaim,
  'r4/msconv-ADT04-23-expected.json': noClaim,
  'r4/msconv-ADT04-251-expected.json': noClaim,
  'r4/msconv-ADT04-28-expected.json': noClaim,
  'r4/msconv-BAR-P01-01-expected.json': noClaim,
  // STU3
  'stu3/msconv-Claim.json': refused('parse', 'unsupported', ['Claim.organization', 'fhir-version']),
  'stu3/msconv-ClaimResponse.json': notAClaim,
  'stu3/msconv-ExplanationOfBenefit.json': notAClaim,
};

const FHIR = join(CORPUS, 'fhir');

describe('the FHIR corpus: every file mapped or refused with a precise reason', () => {
  it('has an expectation for every corpus file', () => {
    const files = ['r4-claims', 'r4', 'stu3'].flatMap((dir) => readdirSync(join(FHIR, dir)).map((file) => `${dir}/${file}`));
    assert.deepEqual(files.filter((file) => !(file in EXPECTED)), [], 'corpus files without an expected outcome');
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    const what = expected.ok ? `maps ${expected.claims} valid claim(s)`
      : `is refused at ${expected.stage} (${expected.errorClass}): ${expected.issues.map(([path, rule]) => `${rule} at ${path}`).join(', ')}`;
    it(`${file} ${what}`, async () => {
      const translation = await (await shippedTranslator()).translate({ raw: readFileSync(join(FHIR, file), 'utf8'), source: 'corpus' });
      if (expected.ok) {
        assert.ok(translation.ok, translation.ok ? '' : translation.error.message);
        assert.equal(translation.objects.length, expected.claims);
        for (const claim of translation.objects) assert.deepEqual(validateCanonical(claim), []);
        return;
      }
      assert.ok(!translation.ok, 'expected a refusal');
      assert.equal(translation.stage, expected.stage);
      assert.equal(translation.error.errorClass, expected.errorClass, translation.error.message);
      const found = translation.error.issues.map((issue) => `${issue.rule} at ${issue.path}`);
      for (const [path, rule] of expected.issues) assert.ok(found.includes(`${rule} at ${path}`), `missing ${rule} at ${path} among:\n  ${found.join('\n  ')}`);
      for (const issue of translation.error.issues) assert.ok(issue.message.length > 10, `issue at ${issue.path} says too little`);
    });
  }
});
