// The corpus quirks (see the shared corpus README), one test each: what claimhub makes of them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError, UnsupportedMessageError, ValidationError } from '../../canonical-model/errors.js';
import type { Claim } from '../../canonical-model/types.js';
import { CORPUS } from '../support/corpus.js';
import { acceptanceVariant, fixture, shippedTranslator } from './helpers.js';

const R4_CLAIMS = join(CORPUS, 'fhir/r4-claims');
const corpusFile = (name: string) => readFileSync(join(R4_CLAIMS, name), 'utf8');

async function translate(raw: string) {
  return (await shippedTranslator()).translate({ raw, source: 'test' });
}

async function refusal(raw: string) {
  const translation = await translate(raw);
  if (translation.ok) assert.fail('the message was accepted');
  return translation;
}

async function testMapping(raw: string) {
  return (await shippedTranslator()).testMapping('fhir-r4-claim', raw);
}

describe('corpus quirks', () => {
  it('refuses a reference that is neither contained nor in the Bundle, naming it', async () => {
    const { stage, error } = await refusal(corpusFile('hl7spec-claim-example-professional.json'));
    assert.equal(stage, 'map');
    assert.ok(error instanceof ValidationError);
    const patient = error.issues.find((issue) => issue.path === 'Claim.patient');
    assert.equal(patient?.rule, 'unresolved-reference');
    assert.match(patient?.message ?? '', /references Patient\/1, which is neither contained in the Claim nor an entry of the Bundle/);
  });

  it('reads contained resources (#id): patient and coverage of a claim that carries them inside', async () => {
    const result = await testMapping(corpusFile('hl7spec-claim-example-cms1500-medical.json'));
    const claim = result.objects[0] as Claim;
    assert.equal(claim.patient.name.family, 'Ashcraft');
    assert.equal(claim.patient.birthDate, '1954-06-11');
    assert.deepEqual([claim.coverages[0].memberId, claim.coverages[0].groupNumber, claim.coverages[0].payer.name], ['10138556', '80902206', 'Humana Inc.']);
    assert.deepEqual(result.issues.map((i) => [i.path, i.rule]).slice(0, 1), [['Claim.provider', 'unresolved-reference']],
      'what is refused is the one reference that is not contained');
  });

  it('sums the lines exactly when a claim has no total', async () => {
    const translation = await translate(acceptanceVariant((c) => { delete c.total; }));
    assert.ok(translation.ok, translation.ok ? '' : translation.error.message);
    assert.equal((translation.objects[0] as Claim).totalCharge, '283.31');
    const oral = (await testMapping(corpusFile('hl7spec-claim-example-oral-average.json'))).objects[0] as Claim;
    assert.equal(oral.totalCharge, '1340.57', '135.57 + 105 + 1100, no float drift');
  });

  it('keeps a Synthea total that does not equal its lines, and says why it cannot pass', async () => {
    // Synthea puts the encounter's cost in the total but on no priced line (item 1 has no net)
    const result = await testMapping(corpusFile('synthea-Lawrence741_Hammes673-claims-eob-cut.json'));
    const claim = result.objects.find((o) => (o as Claim).provenance.controlNumbers?.claimId === 'ce8930e3-9065-5c23-cac7-149e7f53394c') as Claim;
    assert.equal(claim.totalCharge, '31336.21');
    assert.deepEqual(claim.serviceLines.map((line) => line.charge), [undefined, '710.99', '30496.06']);
    assert.ok(result.issues.some((i) => i.path === 'Bundle.entry[20].resource.item[0].net' && i.rule === 'charge-required'));
    // and when every line is priced but the total disagrees, the canonical rule says so
    const mismatch = await refusal(acceptanceVariant((c) => { c.total.value = 31336.210000000003; }));
    assert.equal(mismatch.stage, 'validate');
    assert.deepEqual(mismatch.error.issues.map((i) => [i.path, i.rule]), [['$.totalCharge', 'total-equals-lines']]);
    assert.match(mismatch.error.issues[0].message, /totalCharge 31336\.21 does not equal the sum of the service line charges 283\.31/);
  });

  it('reads the float total 31336.210000000003 as exactly 31336.21', async () => {
    const translation = await translate(acceptanceVariant((c) => {
      c.total.value = 31336.210000000003;
      c.item[0].net.value = 31213.000000000004;
      c.item[0].unitPrice.value = 31213;
    }));
    assert.ok(translation.ok, translation.ok ? '' : translation.error.message);
    assert.equal((translation.objects[0] as Claim).totalCharge, '31336.21');
    assert.equal((translation.objects[0] as Claim).serviceLines[0].charge, '31213.00');
  });

  it('refuses the PAS update whose item carries a modifierExtension, at that extension', async () => {
    const { error } = await refusal(corpusFile('pas-Bundle-HomecareAuthorizationUpdateBundleExample.json'));
    assert.ok(error instanceof UnsupportedMessageError);
    const modifier = error.issues.find((issue) => issue.rule === 'modifier-extension');
    assert.equal(modifier?.path, 'Bundle.entry[0].resource.item[1].modifierExtension[0]');
    assert.match(modifier?.message ?? '', /modifierextension-infoCancelled changes the meaning of Claim\.item\[1\]/);
    // not a PAS special case: any claim with a modifier extension claimhub does not know
    const plain = await refusal(acceptanceVariant((c) => { c.item[1].modifierExtension = [{ url: 'http://example.org/voided-line', valueBoolean: true }]; }));
    assert.deepEqual(plain.error.issues.map((i) => [i.path, i.rule]), [['Bundle.entry[0].resource.item[1].modifierExtension[0]', 'modifier-extension']]);
  });

  it('refuses an STU3 claim clearly instead of half-mapping it', async () => {
    const { stage, error, format } = await refusal(readFileSync(join(CORPUS, 'fhir/stu3/msconv-Claim.json'), 'utf8'));
    assert.equal(stage, 'parse');
    assert.equal(format, 'fhir-json');
    assert.ok(error instanceof UnsupportedMessageError);
    assert.equal(error.message, 'FHIR STU3 is not supported: Claim.organization is an STU3 element (R4: provider); claimhub expects FHIR R4 (4.0.1)');
  });

  it('refuses a Bundle without a Claim, listing what it holds', async () => {
    const { stage, error } = await refusal(readFileSync(join(CORPUS, 'fhir/r4/msconv-ADT04-251-expected.json'), 'utf8'));
    assert.equal(stage, 'parse');
    assert.ok(error instanceof UnsupportedMessageError);
    assert.equal(error.message, 'Bundle holds MessageHeader, Provenance, Organization, Patient, Account, Practitioner, Encounter, RelatedPerson but no Claim: nothing to translate into a canonical claim');
  });

  it('refuses malformed JSON with its line and column', async () => {
    const { stage, error } = await refusal(fixture('malformed-claim.json'));
    assert.equal(stage, 'parse');
    assert.ok(error instanceof ParseError);
    assert.deepEqual(error.issues.map((i) => [i.path, i.rule]), [['line 5 column 3', 'json-syntax']]);
  });

  it('refuses a claim without a patient at Claim.patient', async () => {
    const { stage, error } = await refusal(acceptanceVariant((c) => { delete c.patient; }));
    assert.equal(stage, 'map');
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(error.issues, [{ path: 'Bundle.entry[0].resource.patient', rule: 'required', message: 'the claim names no patient (Claim.patient)' }]);
  });
});
