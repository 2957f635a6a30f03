import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimhubError, ParseError, UnsupportedMessageError } from '../../../canonical-model/errors.js';
import { parseFhir } from '../../../connectors/fhir/parse.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../../support/corpus.js';

const R4_CLAIMS = join(CORPUS, 'fhir/r4-claims');
const read = (path: string) => readFileSync(path, 'utf8');

function refusal(raw: string, contentType?: string): ClaimhubError {
  try {
    parseFhir(raw, contentType);
  } catch (error) {
    assert.ok(error instanceof ClaimhubError, `expected a typed error, got ${String(error)}`);
    return error;
  }
  assert.fail('the message was accepted');
}

describe('parseFhir', () => {
  it('reads a Bundle: root type, its Claim with its place, and an index for its references', () => {
    const document = parseFhir(read(ACCEPTANCE_BUNDLE), 'application/fhir+json');
    assert.equal(document.resourceType, 'Bundle');
    assert.equal(document.claims.length, 1);
    assert.equal(document.claims[0].path, 'Bundle.entry[0].resource');
    assert.equal(document.claims[0].resource.id, 'acc-claim-5520');
    const patient = document.references.resolve({ reference: 'urn:uuid:1c9f7b63-8e2a-4f1b-8d44-6a3b2e8f5c21' });
    assert.equal(patient?.resourceType, 'Patient');
  });

  it('reads a bare Claim as the one claim of the message', () => {
    const document = parseFhir(read(join(R4_CLAIMS, 'hl7spec-claim-example-professional.json')));
    assert.equal(document.resourceType, 'Claim');
    assert.deepEqual(document.claims.map((claim) => claim.path), ['Claim']);
  });

  it('finds every Claim of a Synthea transaction bundle', () => {
    const document = parseFhir(read(join(R4_CLAIMS, 'synthea-Lawrence741_Hammes673-claims-eob-cut.json')));
    assert.equal(document.claims.length, 5);
    assert.ok(document.claims.every((claim) => /^Bundle\.entry\[\d+\]\.resource$/.test(claim.path)));
  });

  it('skips the prior Claim a PAS update carries for context (related.claim), keeping the update', () => {
    const document = parseFhir(read(join(R4_CLAIMS, 'pas-Bundle-HomecareAuthorizationUpdateBundleExample.json')));
    assert.deepEqual(document.claims.map((claim) => claim.resource.id), ['HomecareAuthorizationUpdateExample']);
  });

  it('refuses malformed JSON with a ParseError naming line and column', () => {
    const error = refusal('{"resourceType": "Claim", ');
    assert.ok(error instanceof ParseError);
    assert.equal(error.issues[0].path, 'line 1 column 27');
  });

  it('refuses JSON that is not a resource, at $.resourceType', () => {
    for (const raw of ['[{"resourceType":"Claim"}]', '{"id":"x"}', '"Claim"', '{"resourceType": ""}']) {
      const error = refusal(raw);
      assert.ok(error instanceof ParseError, raw);
      assert.equal(error.issues[0].path, '$.resourceType', raw);
    }
  });

  it('refuses an STU3 Claim clearly, naming the STU3 element it was recognised by', () => {
    const error = refusal(read(join(CORPUS, 'fhir/stu3/msconv-Claim.json')));
    assert.ok(error instanceof UnsupportedMessageError);
    assert.match(error.message, /STU3 is not supported.*R4/);
    assert.equal(error.issues[0].path, 'Claim.organization');
    assert.equal(error.issues[0].rule, 'fhir-version');
  });

  it('recognises STU3 by item.service, by use codes, and by the Content-Type fhirVersion', () => {
    const claim = (body: object) => JSON.stringify({ resourceType: 'Claim', use: 'claim', ...body });
    assert.equal(refusal(claim({ item: [{ sequence: 1, service: { coding: [] } }] })).issues[0].path, 'Claim.item[0].service');
    assert.equal(refusal(claim({ use: 'complete' })).issues[0].path, 'Claim.use');
    const byHeader = refusal(claim({}), 'application/fhir+json; fhirVersion=3.0');
    assert.ok(byHeader instanceof UnsupportedMessageError);
    assert.equal(byHeader.issues[0].path, 'Content-Type');
    assert.doesNotThrow(() => parseFhir(claim({}), 'application/fhir+json; fhirVersion=4.0'));
  });

  it('refuses other resource types by name, plainly', () => {
    const error = refusal(read(join(R4_CLAIMS, 'hl7spec-claimresponse-example.json')));
    assert.ok(error instanceof UnsupportedMessageError);
    assert.match(error.message, /^ClaimResponse is not accepted on this path yet/);
    assert.match(refusal(read(join(R4_CLAIMS, 'carin-ExplanationOfBenefit-EOBInpatient2.json'))).message, /^ExplanationOfBenefit is not accepted/);
  });

  it('refuses a PAS response bundle (led by its ClaimResponse) instead of re-reading its echoed Claim', () => {
    const error = refusal(read(join(R4_CLAIMS, 'pas-Bundle-ErrorResponseBundleExample.json')));
    assert.ok(error instanceof UnsupportedMessageError);
    assert.equal(error.issues[0].path, 'Bundle.entry[0].resource');
    assert.match(error.message, /ClaimResponse is not accepted.*response/);
  });

  it('refuses every corpus Bundle without a Claim, saying what it holds', () => {
    const dir = join(CORPUS, 'fhir/r4');
    for (const file of readdirSync(dir)) {
      const error = refusal(read(join(dir, file)));
      assert.ok(error instanceof UnsupportedMessageError, file);
      assert.equal(error.issues[0].rule, 'bundle-without-claim', file);
      assert.match(error.message, /^Bundle holds .*Patient.* but no Claim/, file);
    }
    assert.match(refusal(read(join(dir, 'msconv-ADT04-28-expected.json'))).message,
      /^Bundle holds MessageHeader, Provenance ×2, Organization ×2, Patient, Account, RelatedPerson ×3, Practitioner ×2, Location ×4, Encounter, Coverage but no Claim/);
  });
});
