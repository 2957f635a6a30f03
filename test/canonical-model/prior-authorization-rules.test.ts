import assert from 'node:assert/strict';
import { validateCanonical, type PriorAuthorization } from '../../canonical-model/index.js';
import { acknowledgement, priorAuthorization } from './fixtures.js';

function issuesAfter(change: (auth: PriorAuthorization) => void): string[] {
  const auth = priorAuthorization();
  change(auth);
  return validateCanonical(auth).map((issue) => `${issue.path} ${issue.rule}`);
}

describe('canonical-model prior authorization rules', () => {
  it('accepts a certification number carried only on the granted services', () => {
    assert.deepEqual(
      issuesAfter((a) => {
        delete a.decision!.certificationNumber;
      }),
      [],
    );
  });

  it('refuses an approval nobody can quote on a claim (no certification number)', () => {
    assert.deepEqual(
      issuesAfter((a) => {
        delete a.decision!.certificationNumber;
        delete a.services[0].decision!.certificationNumber;
      }),
      ['$.decision.certificationNumber certification-number-required'],
    );
  });

  it('lets a pended decision through without a certification number', () => {
    assert.deepEqual(
      issuesAfter((a) => {
        a.status = 'pended';
        a.decision = { status: 'pended', reasonCodes: [{ system: 'X12-306', code: '0U' }] };
        delete a.services[0].decision;
      }),
      [],
    );
  });

  it('refuses a validity period that ends before it starts', () => {
    assert.deepEqual(
      issuesAfter((a) => {
        a.decision!.validityPeriod = { start: '2027-01-19', end: '2026-10-21' };
      }),
      ['$.decision.validityPeriod.end period-order'],
    );
  });
});

describe('canonical-model acknowledgements', () => {
  it('requires an error location with at least one coordinate', () => {
    const ack = acknowledgement();
    ack.errors[0].location = {};
    assert.deepEqual(
      validateCanonical(ack).map((i) => `${i.path} ${i.rule}`),
      ['$.errors[0].location minProperties'],
    );
  });
});
