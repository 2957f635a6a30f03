import assert from 'node:assert/strict';
import {
  assertCanonical,
  checkCanonical,
  validateCanonical,
  validateClaim,
  validateRemittance,
  ValidationError,
} from '../../canonical-model/index.js';
import { acknowledgement, institutionalClaim, priorAuthorization, professionalClaim, remittance } from './fixtures.js';

const pathsAndRules = (issues: { path: string; rule: string }[]) => issues.map((i) => `${i.path} ${i.rule}`);

describe('canonical-model validateCanonical', () => {
  it('passes the complete professional claim', () => {
    assert.deepEqual(validateCanonical(professionalClaim()), []);
  });

  it('passes the complete institutional claim', () => {
    assert.deepEqual(validateCanonical(institutionalClaim()), []);
  });

  it('passes the sample remittance, prior authorization and 999 acknowledgement', () => {
    for (const sample of [remittance(), priorAuthorization(), acknowledgement()]) {
      assert.deepEqual(validateCanonical(sample), [], sample.resourceType);
    }
  });

  it('names the JSON path of a missing member id', () => {
    const claim = professionalClaim() as unknown as { coverages: Record<string, unknown>[] };
    delete claim.coverages[0].memberId;
    const [issue] = validateCanonical(claim);
    assert.deepEqual(issue, { path: '$.coverages[0].memberId', rule: 'required', message: '"memberId" is required' });
  });

  it('names the nested path of a missing family name', () => {
    const claim = professionalClaim() as unknown as { patient: { name: Record<string, unknown> } };
    delete claim.patient.name.family;
    assert.deepEqual(pathsAndRules(validateCanonical(claim)), ['$.patient.name.family required']);
  });

  it('explains a charge with fractions of a cent at the line path', () => {
    const claim = professionalClaim();
    claim.serviceLines[0].charge = '160.105';
    const [issue] = validateCanonical(claim);
    assert.equal(issue.path, '$.serviceLines[0].charge');
    assert.equal(issue.rule, 'pattern');
    assert.match(issue.message, /at most 2 fraction digits.*"160\.105"/);
  });

  it('lists the allowed values when an enum is wrong', () => {
    const claim = { ...professionalClaim(), type: 'vision' };
    const [issue] = validateCanonical(claim);
    assert.equal(issue.path, '$.type');
    assert.equal(issue.rule, 'enum');
    assert.match(issue.message, /"professional", "institutional", "dental"/);
  });

  it('names an unknown property at its own path', () => {
    const claim = professionalClaim() as unknown as { serviceLines: Record<string, unknown>[] };
    claim.serviceLines[1].copay = '20.00';
    const [issue] = validateCanonical(claim);
    assert.deepEqual(issue, {
      path: '$.serviceLines[1].copay',
      rule: 'additionalProperties',
      message: 'unknown property "copay" is not allowed',
    });
  });

  it('lets site-specific data through in extensions', () => {
    const claim = { ...professionalClaim(), extensions: { 'epic-account': { csn: 12345 } } };
    assert.deepEqual(validateCanonical(claim), []);
  });

  it('rejects an impossible date with the format rule', () => {
    const claim = professionalClaim();
    claim.serviceLines[0].serviceDate = { start: '2026-02-30' };
    assert.deepEqual(pathsAndRules(validateCanonical(claim)), ['$.serviceLines[0].serviceDate.start format']);
  });

  it('reports every schema problem at once, not just the first', () => {
    const claim = professionalClaim() as unknown as Record<string, unknown>;
    claim.currency = 'usd';
    claim.totalCharge = 283.31;
    assert.deepEqual(pathsAndRules(validateCanonical(claim)).sort(), ['$.currency pattern', '$.totalCharge type']);
  });

  it('answers an unknown resourceType with one issue at $.resourceType', () => {
    assert.deepEqual(pathsAndRules(validateCanonical({ resourceType: 'Patient', name: 'x' })), ['$.resourceType resource-type']);
    assert.deepEqual(pathsAndRules(validateCanonical({ claimNumber: 'A1' })), ['$.resourceType resource-type']);
    assert.deepEqual(pathsAndRules(validateCanonical('Claim')), ['$ type']);
  });

  it('checks business rules only once the schema passes', () => {
    const claim = professionalClaim() as unknown as Record<string, unknown>;
    claim.totalCharge = '999.99';
    claim.claimNumber = '';
    assert.deepEqual(pathsAndRules(validateCanonical(claim)), ['$.claimNumber minLength']);
    claim.claimNumber = 'ACC-5520-01';
    assert.deepEqual(pathsAndRules(validateCanonical(claim)), ['$.totalCharge total-equals-lines']);
  });

  it('validates against the named schema with the typed helpers', () => {
    assert.deepEqual(validateClaim(professionalClaim()), []);
    assert.ok(pathsAndRules(validateRemittance(professionalClaim())).includes('$.resourceType const'));
  });

  it('reports an invalid NPI check digit as a warning, not an error', () => {
    const claim = professionalClaim();
    claim.providers.billing.npi = '1497758545';
    const { errors, warnings } = checkCanonical(claim);
    assert.deepEqual(errors, []);
    assert.deepEqual(pathsAndRules(warnings), ['$.providers.billing.npi npi-check-digit']);
  });

  it('throws a permanent ValidationError carrying the issues from assertCanonical', () => {
    const claim = { ...professionalClaim(), totalCharge: '283.30' };
    assert.equal(assertCanonical(professionalClaim()).resourceType, 'Claim');
    assert.throws(
      () => assertCanonical(claim),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.permanent, true);
        assert.deepEqual(pathsAndRules(error.issues), ['$.totalCharge total-equals-lines']);
        assert.match(error.message, /\$\.totalCharge/);
        return true;
      },
    );
  });
});
