// Claim business rules beyond the schema: the checks a payer or clearinghouse would reject an
// 837 or FHIR claim on. Each is a small named function; `claimRules` lists the blocking ones,
// `claimAdvisories` the ones we report but do not reject on.

import type { Issue } from '../errors.js';
import { compareMoney, parseMoney, sumMoney } from '../money.js';
import { isValidNpi } from '../npi.js';
import type { Claim, Provider } from '../types.js';
import { duplicates, periodEndsBeforeStart, type Rule } from './rule.js';

const line = (index: number) => `$.serviceLines[${index}]`;

/** CLM02 must equal the sum of the SV102/SV203 line charges (005010X222A1 2300 CLM02 note). */
export function totalEqualsLines(claim: Claim): Issue[] {
  const sum = sumMoney(claim.serviceLines.map((serviceLine) => serviceLine.charge));
  if (compareMoney(claim.totalCharge, sum) === 0) return [];
  return [
    {
      path: '$.totalCharge',
      rule: 'total-equals-lines',
      message: `totalCharge ${claim.totalCharge} does not equal the sum of the service line charges ${sum}`,
    },
  ];
}

export function chargesNotNegative(claim: Claim): Issue[] {
  const negative = (amount: string) => parseMoney(amount) < 0n;
  const issues: Issue[] = claim.serviceLines.flatMap((serviceLine, i) =>
    negative(serviceLine.charge)
      ? [{ path: `${line(i)}.charge`, rule: 'charge-not-negative', message: `line charge ${serviceLine.charge} is negative` }]
      : [],
  );
  if (negative(claim.totalCharge)) {
    issues.unshift({ path: '$.totalCharge', rule: 'charge-not-negative', message: `totalCharge ${claim.totalCharge} is negative` });
  }
  return issues;
}

/** SV104/SV205 service unit count must be greater than zero. */
export function unitsPositive(claim: Claim): Issue[] {
  return claim.serviceLines.flatMap((serviceLine, i) =>
    /[1-9]/.test(serviceLine.units)
      ? []
      : [
          {
            path: `${line(i)}.units`,
            rule: 'units-positive',
            message: `units ${serviceLine.units} must be greater than 0`,
          },
        ],
  );
}

export function diagnosisSequencesUnique(claim: Claim): Issue[] {
  return duplicates(
    claim.diagnoses,
    (d) => d.sequence,
    (i) => `$.diagnoses[${i}].sequence`,
    'diagnosis-sequence-unique',
    'diagnosis sequence',
  );
}

export function serviceLineSequencesUnique(claim: Claim): Issue[] {
  return duplicates(
    claim.serviceLines,
    (l) => l.sequence,
    (i) => `${line(i)}.sequence`,
    'service-line-sequence-unique',
    'service line sequence',
  );
}

export function diagnosisPointersExist(claim: Claim): Issue[] {
  const sequences = new Set(claim.diagnoses.map((diagnosis) => diagnosis.sequence));
  return claim.serviceLines.flatMap((serviceLine, i) =>
    (serviceLine.diagnosisPointers ?? []).flatMap((pointer, j) =>
      sequences.has(pointer)
        ? []
        : [
            {
              path: `${line(i)}.diagnosisPointers[${j}]`,
              rule: 'diagnosis-pointer-exists',
              message: `points at diagnosis ${pointer}, but the claim has no diagnosis with that sequence`,
            },
          ],
    ),
  );
}

/** 837P SV107 and 837D SV311 hold four pointers; 837I lines carry none. */
export function diagnosisPointerLimit(claim: Claim): Issue[] {
  if (claim.type === 'institutional') return [];
  return claim.serviceLines.flatMap((serviceLine, i) =>
    (serviceLine.diagnosisPointers?.length ?? 0) > 4
      ? [
          {
            path: `${line(i)}.diagnosisPointers`,
            rule: 'diagnosis-pointer-limit',
            message: `${serviceLine.diagnosisPointers?.length} diagnosis pointers; a ${claim.type} line allows at most 4`,
          },
        ]
      : [],
  );
}

/**
 * Room on the wire: 837P HI holds 12 diagnosis codes and 837D four; 837I has its own segments
 * for principal, admitting and reason-for-visit codes and room for 24 other diagnoses.
 */
export function diagnosisLimit(claim: Claim): Issue[] {
  const [counted, limit, what] =
    claim.type === 'institutional'
      ? [claim.diagnoses.filter((d) => d.kind === 'other').length, 24, 'other diagnoses']
      : [claim.diagnoses.length, claim.type === 'professional' ? 12 : 4, 'diagnoses'];
  if (counted <= limit) return [];
  return [{ path: '$.diagnoses', rule: 'diagnosis-limit', message: `${counted} ${what}; a ${claim.type} claim allows at most ${limit}` }];
}

/** 837P and 837I require the HI diagnosis segment; dental claims may have none. */
export function diagnosisRequired(claim: Claim): Issue[] {
  if (claim.type === 'dental' || claim.diagnoses.length > 0) return [];
  return [{ path: '$.diagnoses', rule: 'diagnosis-required', message: `a ${claim.type} claim needs at least one diagnosis` }];
}

/** 837I HI*ABK: exactly one principal diagnosis on an institutional claim. */
export function principalDiagnosis(claim: Claim): Issue[] {
  if (claim.type !== 'institutional' || claim.diagnoses.length === 0) return [];
  const principals = claim.diagnoses.filter((diagnosis) => diagnosis.kind === 'principal').length;
  if (principals === 1) return [];
  return [
    {
      path: '$.diagnoses',
      rule: 'principal-diagnosis',
      message: `an institutional claim needs exactly one principal diagnosis, found ${principals}`,
    },
  ];
}

/** Professional and dental lines bill a CPT/HCPCS/CDT procedure (SV101, SV301). */
export function procedureCodeRequired(claim: Claim): Issue[] {
  if (claim.type === 'institutional') return [];
  return claim.serviceLines.flatMap((serviceLine, i) =>
    serviceLine.procedure
      ? []
      : [
          {
            path: `${line(i)}.procedure`,
            rule: 'procedure-code-required',
            message: `a ${claim.type} service line needs a procedure code`,
          },
        ],
  );
}

/** Institutional lines bill a NUBC revenue code (SV201). */
export function revenueCodeRequired(claim: Claim): Issue[] {
  if (claim.type !== 'institutional') return [];
  return claim.serviceLines.flatMap((serviceLine, i) =>
    serviceLine.revenueCode
      ? []
      : [
          {
            path: `${line(i)}.revenueCode`,
            rule: 'revenue-code-required',
            message: 'an institutional service line needs a revenue code',
          },
        ],
  );
}

export function billablePeriodOrder(claim: Claim): Issue[] {
  return periodEndsBeforeStart(claim.billablePeriod, '$.billablePeriod', 'period-order');
}

export function serviceDateOrder(claim: Claim): Issue[] {
  return claim.serviceLines.flatMap((serviceLine, i) =>
    periodEndsBeforeStart(serviceLine.serviceDate, `${line(i)}.serviceDate`, 'period-order'),
  );
}

/**
 * Line service dates inside the statement period (837I 2400 DTP*472 within 2300 DTP*434). Only
 * checked when the claim states a complete billablePeriod.
 */
export function serviceDatesWithinBillablePeriod(claim: Claim): Issue[] {
  const period = claim.billablePeriod;
  if (!period?.end) return [];
  const { start, end } = period;
  return claim.serviceLines.flatMap((serviceLine, i) => {
    const date = serviceLine.serviceDate;
    if (!date || (date.start >= start && (date.end ?? date.start) <= end)) return [];
    return [
      {
        path: `${line(i)}.serviceDate`,
        rule: 'service-date-within-billable-period',
        message: `service ${date.start}${date.end ? `..${date.end}` : ''} falls outside the billable period ${start}..${end}`,
      },
    ];
  });
}

/** CLM05-3 frequency 7/8 must quote the payer claim control number (REF*F8). */
export function originalClaimNumberRequired(claim: Claim): Issue[] {
  if (claim.frequency === 'original' || claim.originalClaimNumber) return [];
  return [
    {
      path: '$.originalClaimNumber',
      rule: 'original-claim-number-required',
      message: `a ${claim.frequency} claim must quote the payer's original claim number`,
    },
  ];
}

/** SBR01: one primary, one secondary, one tertiary payer at most. */
export function coverageRanksUnique(claim: Claim): Issue[] {
  const ranked = claim.coverages.map((coverage, index) => ({ coverage, index })).filter(({ coverage }) => coverage.rank !== 'unknown');
  return duplicates(
    ranked,
    ({ coverage }) => coverage.rank,
    (i) => `$.coverages[${ranked[i].index}].rank`,
    'coverage-rank-unique',
    'coverage rank',
  );
}

/** 2010AA NM109: the billing provider is identified by NPI. */
export function billingNpiRequired(claim: Claim): Issue[] {
  if (claim.providers.billing.npi) return [];
  return [{ path: '$.providers.billing.npi', rule: 'billing-npi-required', message: 'the billing provider needs an NPI' }];
}

/** Every provider NPI on the claim with its path. */
function npis(claim: Claim): { path: string; npi: string }[] {
  const roles = Object.entries(claim.providers) as [string, Provider | undefined][];
  return [
    ...roles.map(([role, provider]) => ({ path: `$.providers.${role}.npi`, npi: provider?.npi })),
    ...claim.serviceLines.map((l, i) => ({ path: `${line(i)}.renderingProvider.npi`, npi: l.renderingProvider?.npi })),
  ].filter((entry): entry is { path: string; npi: string } => entry.npi !== undefined);
}

/**
 * NPI check digit (Luhn over 80840 + NPI). Advisory, not blocking: the implementation guides'
 * own worked examples (and pyx12) carry NPIs that fail it, so the clearinghouse or payer decides.
 */
export function npiCheckDigit(claim: Claim): Issue[] {
  return npis(claim).flatMap(({ path, npi }) =>
    isValidNpi(npi)
      ? []
      : [
          {
            path,
            rule: 'npi-check-digit',
            message: `NPI ${npi} fails the NPI check digit (Luhn with prefix 80840)`,
          },
        ],
  );
}

export const claimRules: readonly Rule<Claim>[] = [
  totalEqualsLines,
  chargesNotNegative,
  unitsPositive,
  diagnosisSequencesUnique,
  serviceLineSequencesUnique,
  diagnosisPointersExist,
  diagnosisPointerLimit,
  diagnosisLimit,
  diagnosisRequired,
  principalDiagnosis,
  procedureCodeRequired,
  revenueCodeRequired,
  billablePeriodOrder,
  serviceDateOrder,
  serviceDatesWithinBillablePeriod,
  originalClaimNumberRequired,
  coverageRanksUnique,
  billingNpiRequired,
];

export const claimAdvisories: readonly Rule<Claim>[] = [npiCheckDigit];
