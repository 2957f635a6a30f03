import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FhirReference } from '../../../connectors/fhir/document.js';
import { parseFhir } from '../../../connectors/fhir/parse.js';
import { ReferenceIndex } from '../../../connectors/fhir/references.js';
import { CORPUS } from '../../support/corpus.js';

const R4_CLAIMS = join(CORPUS, 'fhir/r4-claims');
const load = (file: string) => parseFhir(readFileSync(join(R4_CLAIMS, file), 'utf8'));

describe('ReferenceIndex', () => {
  it('resolves Bundle fullUrls (urn:uuid) and relative Type/id references', () => {
    const synthea = load('synthea-Isaura563_Turner526-claims-eob-cut.json');
    const claim = synthea.claims[0].resource;
    assert.equal(synthea.references.resolve(claim.patient as FhirReference)?.resourceType, 'Patient');
    const pas = load('pas-Bundle-HomecareAuthorizationBundleExample.json');
    assert.equal(pas.references.resolve({ reference: 'Coverage/InsuranceExample' })?.id, 'InsuranceExample');
    assert.equal(pas.references.resolve({ reference: 'http://example.org/fhir/Patient/SubscriberExample' })?.id, 'SubscriberExample');
  });

  it('resolves Synthea conditional references (Type?identifier=system|value) within the bundle', () => {
    const synthea = load('synthea-Isaura563_Turner526-claims-eob-cut.json');
    const claim = synthea.claims[0].resource;
    assert.match(String((claim.provider as FhirReference).reference), /^Organization\?identifier=/);
    assert.equal(synthea.references.resolve(claim.provider as FhirReference)?.resourceType, 'Organization');
    assert.equal(synthea.references.resolve(claim.facility as FhirReference)?.resourceType, 'Location');
  });

  it('resolves #id against the contained resources of the claim being mapped', () => {
    const document = load('hl7spec-claim-example-cms1500-medical.json');
    const claim = document.claims[0].resource;
    assert.equal(document.references.resolve({ reference: '#patient-1' }, claim)?.resourceType, 'Patient');
    assert.equal(document.references.resolve('#coverage-1', claim)?.resourceType, 'Coverage');
    assert.equal(document.references.resolve('#patient-1'), undefined, 'no container, no contained resources');
  });

  it('resolves a logical reference by identifier, and answers undefined for what is not in the message', () => {
    const index = new ReferenceIndex([{ resource: { resourceType: 'Organization', id: 'o1', identifier: [{ system: 'urn:x', value: '42' }] } }]);
    assert.equal(index.resolve({ identifier: { system: 'urn:x', value: '42' } })?.id, 'o1');
    assert.equal(index.resolve({ type: 'Organization', identifier: { value: '42' } })?.id, 'o1');
    assert.equal(index.resolve({ type: 'Patient', identifier: { system: 'urn:x', value: '42' } }), undefined);
    assert.equal(index.resolve({ reference: 'Organization/1' }), undefined);
    assert.equal(index.resolve({ display: 'Anthem' }), undefined);
    assert.equal(index.resolve(undefined), undefined);
  });
});
