import assert from 'node:assert/strict';
import { MappingError, ParseError, UnsupportedMessageError, ValidationError } from '../../canonical-model/errors.js';
import { validateCanonical } from '../../canonical-model/validate.js';
import type { Claim } from '../../canonical-model/types.js';
import { createTranslator, type Translation } from '../../mappings/translate.js';
import { acceptanceBundle, acceptanceVariant, fixture, mappingYaml, shippedTranslator, tempDir } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from '../support/corpus.js';

function okObjects(translation: Translation): Claim[] {
  if (!translation.ok) assert.fail(`translation failed at ${translation.stage}: ${translation.error.message}`);
  return translation.objects as Claim[];
}

function failure(translation: Translation) {
  if (translation.ok) assert.fail('translation succeeded');
  return translation;
}

describe('translate: FHIR R4 claims into canonical claims', () => {
  it('maps the acceptance bundle to the canonical claim a payer would expect', async () => {
    const translator = await shippedTranslator();
    const translation = await translator.translate({
      raw: JSON.stringify(acceptanceBundle()), contentType: 'application/fhir+json', source: 'epic-fhir',
      messageId: 'msg-1', receivedAt: '2026-10-15T14:05:00Z',
    });
    const [claim] = okObjects(translation);
    assert.equal(claim.claimNumber, 'ACC-5520-01');
    assert.equal(claim.type, 'professional');
    assert.equal(claim.totalCharge, '283.31');
    assert.deepEqual(claim.serviceLines.map((line) => line.charge), ['160.10', '123.21']);
    assert.deepEqual(claim.serviceLines.map((line) => [line.procedure, line.units, line.modifiers, line.diagnosisPointers]), [
      [{ system: 'CPT', code: '99203' }, '1', ['25'], [1, 2]],
      [{ system: 'CPT', code: '97110' }, '3', undefined, [1]],
    ]);
    assert.equal(claim.coverages[0].memberId, 'FRH207734-01');
    assert.deepEqual(claim.coverages[0].payer, { name: 'Front Range Health Alliance', payerId: '84105' });
    assert.equal(claim.coverages[0].groupNumber, 'GRP-5510');
    assert.equal(claim.coverages[0].relationship, 'self');
    assert.equal(claim.providers.billing.npi, '1497758544');
    assert.equal(claim.providers.billing.taxId, '840123456');
    assert.equal(claim.providers.rendering?.npi, '1104025329');
    assert.deepEqual(claim.diagnoses.map((d) => [d.code.system, d.code.code, d.kind]), [['ICD-10-CM', 'M54.50', 'principal'], ['ICD-10-CM', 'E11.9', 'other']]);
    assert.equal(claim.patient.name.family, 'Nakamura');
    assert.deepEqual(claim.patient.identifiers, [{ type: 'mrn', value: 'MRN-207734', system: 'urn:oid:2.16.840.1.113883.3.8888.2' }]);
    assert.deepEqual(claim.placeOfService, { system: 'POS', code: '11' });
    assert.deepEqual(claim.provenance, {
      source: 'epic-fhir', format: 'fhir-r4', messageId: 'msg-1', receivedAt: '2026-10-15T14:05:00Z',
      controlNumbers: { bundleId: 'acceptance-prof-bundle', claimId: 'acc-claim-5520' }, mapping: 'fhir-r4-claim@1.0.0',
    });
    assert.deepEqual(validateCanonical(claim), []);
    assert.equal(translation.format, 'fhir-r4');
    assert.equal(translation.messageType, 'Bundle');
    assert.equal(translation.mapping, 'fhir-r4-claim@1.0.0');
    assert.deepEqual(translation.controlNumbers, { bundleId: 'acceptance-prof-bundle', claimId: 'acc-claim-5520' });
  });

  it('maps an institutional bundle: bill type, admission, discharge, procedures, revenue codes, COB', async () => {
    const [claim] = okObjects(await (await shippedTranslator()).translate({ raw: fixture('claim-bundle-institutional.json'), source: 'test' }));
    assert.equal(claim.type, 'institutional');
    assert.equal(claim.frequency, 'replacement', 'type of bill 137: frequency 7');
    assert.equal(claim.originalClaimNumber, 'ICN-2026-77881');
    assert.deepEqual(claim.institutional, {
      typeOfBill: '0137',
      admission: { date: '2026-09-01', hour: '0730', type: { system: 'NUBC-ADMISSION-TYPE', code: '3' } },
      dischargeHour: '1415',
      dischargeStatus: { system: 'NUBC-DISCHARGE-STATUS', code: '01' },
      procedures: [{ code: { system: 'ICD-10-PCS', code: '0DTJ4ZZ' }, date: '2026-09-01', kind: 'principal' }],
    });
    assert.deepEqual(claim.diagnoses.map((d) => [d.kind, d.presentOnAdmission]), [['principal', 'Y'], ['other', 'N']]);
    assert.deepEqual(claim.serviceLines.map((l) => [l.revenueCode?.code, l.procedure?.code, l.charge]), [
      ['0360', '44970', '8421.50'], ['0120', undefined, '2550.50'], ['0636', 'J1885', '8.40'],
    ]);
    assert.deepEqual(claim.serviceLines[2].ndc, { code: '00409-3795-01', quantity: '0.5', unit: 'ML' });
    assert.deepEqual(claim.serviceLines[1].serviceDate, { start: '2026-09-01', end: '2026-09-03' });
    assert.deepEqual(claim.coverages.map((c) => [c.rank, c.payer.name, c.memberId, c.relationship]), [
      ['primary', 'Badger State Health Plan', 'BSH-883120', 'self'],
      ['secondary', 'Northwoods Mutual', 'NW-5521-02', 'spouse'],
    ], 'the focal coverage first');
    assert.equal(claim.coverages[1].subscriber?.name.family, 'Lindqvist');
    assert.equal(claim.priorAuthorizationNumber, 'AUTH-55-1');
    assert.deepEqual(claim.patient.name, { family: 'Lindqvist', given: ['Ada', 'N'], suffix: 'Jr' }, 'the official name');
    assert.equal(claim.patient.address?.city, 'Madison', 'the home address, not the old one');
    assert.equal(claim.providers.attending?.npi, '1710983663');
    assert.deepEqual([claim.providers.operating?.npi, claim.providers.operating?.taxonomy], ['1922054444', '208600000X'], 'NPI and taxonomy of the PractitionerRole');
    assert.equal(claim.providers.facility?.name, 'Lakeside Main Campus');
  });

  it('maps every Claim of a bundle, each with its own claim id in provenance', async () => {
    const bundle = acceptanceBundle();
    const second = structuredClone(bundle.entry[0]);
    second.fullUrl = 'urn:uuid:0b8e6a52-7d1f-4e0a-9c33-5f2a1d7e4b11';
    second.resource.id = 'acc-claim-5521';
    second.resource.identifier[0].value = 'ACC-5520-02';
    bundle.entry.push(second);
    const translation = await (await shippedTranslator()).translate({ raw: JSON.stringify(bundle), source: 'test' });
    const claims = okObjects(translation);
    assert.deepEqual(claims.map((c) => [c.claimNumber, c.provenance.controlNumbers?.claimId]), [['ACC-5520-01', 'acc-claim-5520'], ['ACC-5520-02', 'acc-claim-5521']]);
    assert.equal(translation.controlNumbers.claimIds, 'acc-claim-5520,acc-claim-5521');
  });

  it('says which claim of a multi-claim bundle broke a rule', async () => {
    const twoClaims = (change: (first: any, second: any) => void) => {
      const bundle = acceptanceBundle();
      const second = structuredClone(bundle.entry[0]);
      second.resource.id = 'acc-claim-5521';
      second.resource.identifier[0].value = 'ACC-5520-02';
      bundle.entry.push(second);
      change(bundle.entry[0].resource, second.resource);
      return JSON.stringify(bundle);
    };
    const translator = await shippedTranslator();
    const refused = failure(await translator.translate({ source: 'test', raw: twoClaims((first, second) => {
      delete first.patient;
      second.total.value = 999;
    }) }));
    assert.equal(refused.stage, 'map', 'nothing is validated while a claim is refused');
    assert.deepEqual(refused.error.issues.map((i) => [i.path, i.rule]), [['Bundle.entry[0].resource.patient', 'required']]);
    assert.match(refused.error.issues[0].message, /^Claim ACC-5520-01: /);

    const invalid = failure(await translator.translate({ source: 'test', raw: twoClaims((first, second) => { second.total.value = 999; }) }));
    assert.equal(invalid.stage, 'validate');
    assert.ok(invalid.error instanceof ValidationError);
    assert.deepEqual(invalid.error.issues.map((i) => [i.path, i.rule]), [['$[1].totalCharge', 'total-equals-lines']]);
    assert.match(invalid.error.issues[0].message, /^Claim ACC-5520-02: totalCharge 999.00 does not equal/);
  });

  it('follows a logical reference by identifier, and bills by its display when nothing matches', async () => {
    const translator = await shippedTranslator();
    const byIdentifier = (npi: string, display: string) => acceptanceVariant((c) => {
      c.provider = { type: 'Organization', identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: npi }, display };
    });
    const [inBundle] = okObjects(await translator.translate({ source: 'test', raw: byIdentifier('1497758544', 'Flatirons') }));
    assert.equal(inBundle.providers.billing.taxId, '840123456', 'the Organization entry with that NPI');
    const [elsewhere] = okObjects(await translator.translate({ source: 'test', raw: byIdentifier('1659384712', 'Elsewhere Billing LLC') }));
    assert.deepEqual(elsewhere.providers.billing, { entityType: 'organization', name: 'Elsewhere Billing LLC', npi: '1659384712' });
  });

  it('refuses references that lead nowhere or to the wrong kind of resource, where they are', async () => {
    const translator = await shippedTranslator();
    const wrongKind = failure(await translator.translate({ source: 'test', raw: acceptanceVariant((c) => {
      c.patient = { reference: 'urn:uuid:2da08c74-9f3b-4a2c-9e55-7b4c3f9a6d32' };
    }) }));
    assert.deepEqual(wrongKind.error.issues.map((i) => [i.path, i.rule, i.message]), [
      ['Bundle.entry[0].resource.patient', 'reference-type', 'points at a Organization, not a Patient or RelatedPerson'],
    ]);
    const nowhere = failure(await translator.translate({ source: 'test', raw: acceptanceVariant((c) => {
      c.careTeam[0].provider = { reference: 'Practitioner/gone' };
    }) }));
    assert.deepEqual(nowhere.error.issues.map((i) => [i.path, i.rule]), [['Bundle.entry[0].resource.careTeam[0].provider', 'unresolved-reference']]);
    assert.match(nowhere.error.message, /references Practitioner\/gone, which is neither contained in the Claim nor an entry of the Bundle/);
  });

  it('never throws for bad input: every failure comes back with its stage and a typed error', async () => {
    const translator = await shippedTranslator();
    const cases: [string, string | undefined, string, abstract new (...args: never[]) => Error][] = [
      ['', undefined, 'parse', ParseError],
      ['hello', undefined, 'parse', ParseError],
      ['{', 'application/fhir+json', 'parse', ParseError],
      ['[]', 'application/json', 'parse', ParseError],
      ['ISA*00*          *00*          *ZZ*SENDER', undefined, 'parse', ParseError],
      ['MSH|^~\\&|EPIC|', undefined, 'parse', UnsupportedMessageError],
      ['{"resourceType":"Patient"}', undefined, 'parse', UnsupportedMessageError],
      ['{"resourceType":"Claim"}', undefined, 'map', ValidationError],
      ['{"resourceType":"Claim","item":"x","patient":7,"insurance":[1],"diagnosis":{}}', undefined, 'map', ValidationError],
    ];
    for (const [raw, contentType, stage, type] of cases) {
      const translation = failure(await translator.translate({ raw, contentType, source: 'test' }));
      assert.equal(translation.stage, stage, raw);
      assert.ok(translation.error instanceof type, `${raw}: ${translation.error.constructor.name}`);
      assert.ok(translation.error.issues.length > 0, raw);
    }
  });

  it('lists what a bare, empty Claim lacks, each at its FHIR path', async () => {
    const translation = failure(await (await shippedTranslator()).translate({ raw: '{"resourceType":"Claim"}', source: 'test' }));
    assert.deepEqual(translation.error.issues.map((i) => `${i.path} ${i.rule}`).sort(), [
      'Claim.identifier required', 'Claim.insurance required', 'Claim.patient required', 'Claim.provider required',
      'Claim.type required', 'Claim.use claim-use',
    ]);
  });

  it('refuses a pharmacy claim as unsupported, saying so', async () => {
    const translation = failure(await (await shippedTranslator()).translate({
      raw: acceptanceVariant((claim) => { claim.type.coding[0].code = 'pharmacy'; }), source: 'test',
    }));
    assert.ok(translation.error instanceof UnsupportedMessageError);
    assert.deepEqual(translation.error.issues.map((i) => [i.path, i.rule]), [['Bundle.entry[0].resource.type', 'claim-type']]);
    assert.match(translation.error.message, /claim type pharmacy is not supported/);
  });

  it('names the mapping, key and position when an expression fails at run time', async () => {
    const dir = tempDir({ 'broken.mapping.yaml': mappingYaml({ name: 'fhir-r4-claim', version: '9.0.0', output: "{\n  'resourceType': 'Claim',\n  'units': $number('many')\n}" }) });
    const translator = await createTranslator({ mappingDirs: [dir] });
    const translation = failure(await translator.translate({ raw: JSON.stringify(acceptanceBundle()), source: 'test' }));
    assert.equal(translation.stage, 'map');
    assert.equal(translation.mapping, 'fhir-r4-claim@9.0.0');
    assert.ok(translation.error instanceof MappingError);
    assert.match(translation.error.message, /^mapping fhir-r4-claim@9\.0\.0 failed: output at position \d+ \(line 3 column \d+\): JSONata D3030: /);
    assert.match(translation.error.issues[0].path, /broken\.mapping\.yaml: output$/);
  });

  it('turns an amount that is not whole cents into a mapping error that shows the value', async () => {
    const translation = failure(await (await shippedTranslator()).translate({
      raw: acceptanceVariant((claim) => { claim.item[0].net.value = 160.105; }), source: 'test',
    }));
    assert.ok(translation.error instanceof MappingError);
    assert.match(translation.error.message, /\$money\(160\.105\).*fractions of a cent/);
    assert.match(translation.error.message, /bindings\.serviceLines at position \d+/);
  });
});

describe('testMapping: a named mapping on a sample, no side effects', () => {
  it('returns the canonical output, the refusals and the validation issues together', async () => {
    const result = await (await shippedTranslator()).testMapping('fhir-r4-claim', acceptanceVariant((claim) => { claim.total.value = 300; }));
    assert.equal(result.ok, false);
    assert.equal(result.stage, 'validate');
    assert.equal(result.mapping, 'fhir-r4-claim@1.0.0');
    assert.equal((result.objects[0] as Claim).totalCharge, '300.00');
    assert.deepEqual(result.issues.map((i) => [i.path, i.rule]), [['$.totalCharge', 'total-equals-lines']]);
  });

  it('reports advisories as warnings and passes a good sample', async () => {
    const result = await (await shippedTranslator()).testMapping('fhir-r4-claim', acceptanceVariant((claim, bundle) => {
      bundle.entry[2].resource.identifier[0].value = '1234567890';
    }));
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings.map((w) => [w.path, w.rule]), [['$.providers.billing.npi', 'npi-check-digit']]);
    assert.equal(result.issues.length, 0);
  });

  it('answers an unknown mapping name or a sample of another format with an error, not a throw', async () => {
    const translator = await shippedTranslator();
    const unknown = await translator.testMapping('no-such-mapping', '{}');
    assert.equal(unknown.ok, false);
    assert.match(unknown.error?.message ?? '', /no mapping is named no-such-mapping \(loaded: .*fhir-r4-claim/);
    const truncated = await translator.testMapping('fhir-r4-claim', 'ISA*00*');
    assert.equal(truncated.stage, 'parse');
    assert.equal(truncated.error?.class, 'parse');
    const x12 = await translator.testMapping('fhir-r4-claim', readFileSync(join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi'), 'utf8'));
    assert.equal(x12.stage, 'map');
    assert.equal(x12.error?.class, 'unsupported');
    assert.match(x12.error?.message ?? '', /reads fhir-r4, but the sample is x12/);
  });

  it('is plain JSON, as the CLI and the API print it', async () => {
    const result = await (await shippedTranslator()).testMapping('fhir-r4-claim', '{"resourceType": "Claim", ');
    assert.deepEqual(JSON.parse(JSON.stringify(result)), {
      mapping: 'fhir-r4-claim@1.0.0', ok: false, stage: 'parse', objects: [], issues: [], warnings: [],
      error: { class: 'parse', message: 'FHIR JSON is malformed at line 1 column 27: expected a double-quoted property name, found the end of the input',
        issues: [{ path: 'line 1 column 27', rule: 'json-syntax', message: 'expected a double-quoted property name, found the end of the input' }] },
    });
  });
});

describe('mappings(): what is loaded', () => {
  it('lists the shipped claim mapping with version, sha-256 checksum and path', async () => {
    const [mapping] = (await shippedTranslator()).mappings().filter((m) => m.name === 'fhir-r4-claim');
    assert.equal(mapping.version, '1.0.0');
    assert.match(mapping.checksum, /^[0-9a-f]{64}$/);
    assert.match(mapping.path, /mappings\/fhir-r4\/claim\.mapping\.yaml$/);
    assert.deepEqual(mapping.source, { format: 'fhir-r4', messageTypes: ['Claim', 'Bundle'] });
  });
});
