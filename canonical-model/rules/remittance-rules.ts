// Remittance balancing rules (005010X221A1 section 1.10.2): an 835 whose amounts do not add up
// cannot be posted, so each imbalance is reported with both sides of the equation.

import type { Issue } from '../errors.js';
import { formatMoney, parseMoney } from '../money.js';
import type { Adjustment, Remittance } from '../types.js';
import type { Rule } from './rule.js';

const adjusted = (adjustments: readonly Adjustment[] = []): bigint =>
  adjustments.reduce((total, adjustment) => total + parseMoney(adjustment.amount), 0n);

/** Per claim: CLP03 charge − CLP04 paid = claim-level CAS + every service line's CAS. */
export function claimBalances(remittance: Remittance): Issue[] {
  return remittance.claimPayments.flatMap((claim, i) => {
    const lineAdjustments = (claim.serviceLines ?? []).reduce((total, l) => total + adjusted(l.adjustments), 0n);
    const adjustments = adjusted(claim.adjustments) + lineAdjustments;
    const unexplained = parseMoney(claim.charge) - parseMoney(claim.paid) - adjustments;
    if (unexplained === 0n) return [];
    return [
      {
        path: `$.claimPayments[${i}]`,
        rule: 'claim-balances',
        message:
          `claim ${claim.claimNumber}: charge ${claim.charge} − paid ${claim.paid} − adjustments ` +
          `${formatMoney(adjustments)} leaves ${formatMoney(unexplained)}, want 0.00`,
      },
    ];
  });
}

/** Per service line: SVC02 charge − SVC03 paid = the line's CAS adjustments. */
export function serviceLineBalances(remittance: Remittance): Issue[] {
  return remittance.claimPayments.flatMap((claim, i) =>
    (claim.serviceLines ?? []).flatMap((l, j) => {
      const adjustments = adjusted(l.adjustments);
      const unexplained = parseMoney(l.charge) - parseMoney(l.paid) - adjustments;
      if (unexplained === 0n) return [];
      return [
        {
          path: `$.claimPayments[${i}].serviceLines[${j}]`,
          rule: 'service-line-balances',
          message:
            `line charge ${l.charge} − paid ${l.paid} − adjustments ${formatMoney(adjustments)} ` +
            `leaves ${formatMoney(unexplained)}, want 0.00`,
        },
      ];
    }),
  );
}

/** BPR02 = Σ CLP04 − Σ PLB amounts (positive PLB amounts are withheld from the payment). */
export function paymentBalances(remittance: Remittance): Issue[] {
  const paid = remittance.claimPayments.reduce((total, claim) => total + parseMoney(claim.paid), 0n);
  const withheld = (remittance.providerAdjustments ?? []).reduce((total, adjustment) => total + parseMoney(adjustment.amount), 0n);
  const expected = paid - withheld;
  if (parseMoney(remittance.payment.amount) === expected) return [];
  return [
    {
      path: '$.payment.amount',
      rule: 'payment-balances',
      message:
        `payment ${remittance.payment.amount} does not equal claims paid ${formatMoney(paid)} − provider ` +
        `adjustments ${formatMoney(withheld)} = ${formatMoney(expected)}`,
    },
  ];
}

export const remittanceRules: readonly Rule<Remittance>[] = [claimBalances, serviceLineBalances, paymentBalances];
