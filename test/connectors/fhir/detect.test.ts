import assert from 'node:assert/strict';
import { detectFormat } from '../../../connectors/detect.js';

describe('detectFormat', () => {
  it('recognises FHIR JSON by its opening brace, past whitespace and a byte-order mark', () => {
    assert.equal(detectFormat('{"resourceType":"Claim"}'), 'fhir-json');
    assert.equal(detectFormat('\uFEFF \r\n\t {"resourceType":"Bundle"}'), 'fhir-json');
  });

  it('recognises X12 by ISA and HL7 v2 by MSH, FHS or BHS', () => {
    assert.equal(detectFormat('ISA*00*          *00*'), 'x12');
    assert.equal(detectFormat('\nMSH|^~\\&|EPIC|'), 'hl7v2');
    assert.equal(detectFormat('FHS|^~\\&|'), 'hl7v2');
    assert.equal(detectFormat('BHS|^~\\&|'), 'hl7v2');
  });

  it('lets the content win over a mislabelled Content-Type', () => {
    assert.equal(detectFormat('ISA*00*', 'application/fhir+json'), 'x12');
    assert.equal(detectFormat('{"resourceType":"Claim"}', 'application/edi-x12'), 'fhir-json');
  });

  it('falls back to the Content-Type (parameters and case ignored) when the content says nothing', () => {
    assert.equal(detectFormat('[1, 2]', 'application/fhir+json; fhirVersion=4.0'), 'fhir-json');
    assert.equal(detectFormat('[]', 'Application/JSON'), 'fhir-json');
    assert.equal(detectFormat('\r\nPID|1||', 'x-application/hl7-v2+er7'), 'hl7v2');
    assert.equal(detectFormat('GS*HC*', 'application/edi-x12'), 'x12');
  });

  it('answers unknown for content and type it cannot place', () => {
    assert.equal(detectFormat('hello'), 'unknown');
    assert.equal(detectFormat(''), 'unknown');
    assert.equal(detectFormat('<Claim/>', 'application/fhir+xml'), 'unknown');
  });
});
