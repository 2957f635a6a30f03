import assert from 'node:assert/strict';
import { validateCanonical, type Remittance } from '../../canonical-model/index.js';
import { remittance } from './fixtures.js';

function issuesAfter(change: (remit: Remittance) => void) {
  const remit = remittance();
  change(remit);
  return validateCanonical(remit);
}

describe('canonical-model remittance rules', () => {
  it('passes a remittance whose claims, lines and payment balance to the cent', () => {
    assert.deepEqual(validateCanonical(remittance()), []);
  });

  it('refuses a claim whose charge − paid − adjustments is not zero', () => {
    const issues = issuesAfter((r) => {
      r.claimPayments[1].adjustments![0].amount = '94.99';
    });
    assert.deepEqual(
      issues.map((i) => `${i.path} ${i.rule}`),
      ['$.claimPayments[1] claim-balances'],
    );
    assert.match(issues[0].message, /ACC-5521-01.*leaves 0\.01/);
  });

  it('counts service line adjustments in the claim balance', () => {
    const issues = issuesAfter((r) => {
      r.claimPayments[0].serviceLines![1].adjustments![1].amount = '10.10';
    });
    assert.deepEqual(
      issues.map((i) => `${i.path} ${i.rule}`),
      ['$.claimPayments[0] claim-balances', '$.claimPayments[0].serviceLines[1] service-line-balances'],
    );
  });

  it('refuses a payment that is not claims paid less provider adjustments', () => {
    const issues = issuesAfter((r) => {
      r.payment.amount = '198.40';
    });
    assert.deepEqual(
      issues.map((i) => `${i.path} ${i.rule}`),
      ['$.payment.amount payment-balances'],
    );
    assert.match(issues[0].message, /198\.40 .* 38\.75 = 159\.65/);
  });

  it('balances a payment with no provider adjustments exactly', () => {
    assert.deepEqual(
      issuesAfter((r) => {
        delete r.providerAdjustments;
        r.payment.amount = '198.4';
      }),
      [],
    );
  });

  it('names the path of an unknown adjustment group', () => {
    const remit = remittance() as unknown as { claimPayments: { adjustments: { group: string }[] }[] };
    remit.claimPayments[1].adjustments[0].group = 'XX';
    const [issue] = validateCanonical(remit);
    assert.equal(issue.path, '$.claimPayments[1].adjustments[0].group');
    assert.match(issue.message, /"CO", "PR", "OA", "PI", "CR"/);
  });
});
