// The HL levels around one claim in an 837: billing provider (2000A with 2010AA/2010AB), subscriber
// (2000B with 2010BA/2010BB) and, when the patient is not the subscriber, patient (2000C with
// 2010CA). The segments after each HL: claims with equal segments share one HL.
import type { Claim, Coverage, CoverageRank, Person, SubscriberRelationship } from '../../../canonical-model/types.js';
import { addressSegments, demographics, payerNm1, personNm1, providerNm1, specialty } from './parties.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

export type ClaimGuide = '837P' | '837I';

/** SBR01 payer responsibility sequence. */
export const RESPONSIBILITY: Readonly<Record<CoverageRank, string>> = { primary: 'P', secondary: 'S', tertiary: 'T', unknown: 'U' };

/** SBR09 claim filing indicator codes (005010 837P/837I). */
const FILING_INDICATORS = [
  ...['11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV'],
  ...['VA', 'WC', 'ZZ'],
] as const;

/** 2000C PAT01: the patient's relationship to the subscriber. */
const PATIENT_RELATIONSHIP: Readonly<Record<Exclude<SubscriberRelationship, 'self'>, string>> = { spouse: '01', child: '19', other: 'G8' };

export interface RankedCoverage {
  coverage: Coverage;
  index: number;
}

/**
 * The coverage the claim is billed to (2000B) and the others (2320), in the claim's order: the first
 * coverage is the payer the claim goes to (canonical-model: FHIR's focal insurance, X12's 2000B),
 * which is the secondary payer on a coordination-of-benefits claim; the others ride along.
 */
export function rankCoverages(claim: Claim): RankedCoverage[] {
  return claim.coverages.map((coverage, index) => ({ coverage, index }));
}

/** The 2000A segments after HL: PRV, CUR, 2010AA and 2010AB. */
export function billingLevel(v: ValueWriter, claim: Claim): SegmentOut[] {
  const billing = claim.providers.billing;
  const path = '$.providers.billing';
  const segments: SegmentOut[] = [...specialty(v, 'BI', billing.taxonomy, `${path}.taxonomy`, '2000A')];
  // 2000A CUR: required when the amounts are not in US dollars.
  if (claim.currency !== 'USD') segments.push(['CUR', '85', v.text(claim.currency, '$.currency', 'CUR02 currency (2000A)', 3, 3)]);
  segments.push(
    providerNm1(v, '85', billing, path, '2010AA', { npiRequired: true }),
    ...addressSegments(v, billing.address, `${path}.address`, '2010AA', { required: true, zipPlus4: true, street: true }),
    [
      'REF',
      'EI',
      billing.taxId === undefined
        ? v.refuse(`${path}.taxId`, 'required', 'REF*EI (2010AA): the billing provider needs its tax identification number')
        : v.digits(billing.taxId, `${path}.taxId`, 'REF02 tax identification number (2010AA)', [9]),
    ],
  );
  const payTo = claim.providers.payTo;
  // 2010AB: only an address, and only when payment goes somewhere other than the billing address.
  if (payTo?.address !== undefined && JSON.stringify(payTo.address) !== JSON.stringify(billing.address))
    segments.push(
      ['NM1', '87', payTo.entityType === 'person' ? '1' : '2'],
      ...addressSegments(v, payTo.address, '$.providers.payTo.address', '2010AB', { required: true }),
    );
  return segments;
}

/** The 2000B segments after HL: SBR, 2010BA subscriber and 2010BB payer. */
export function subscriberLevel(v: ValueWriter, claim: Claim, ranked: RankedCoverage): SegmentOut[] {
  const { coverage, index } = ranked;
  const path = `$.coverages[${index}]`;
  const self = coverage.relationship === 'self';
  const subscriber = subscriberOf(v, claim, ranked);
  const subscriberPath = self ? '$.patient' : `${path}.subscriber`;
  const segments: SegmentOut[] = [
    [
      'SBR',
      RESPONSIBILITY[coverage.rank],
      self ? '18' : undefined,
      ...group(v, coverage, path, '2000B'),
      undefined,
      undefined,
      undefined,
      undefined,
      filingIndicator(v, coverage, path, '2000B'),
    ],
  ];
  if (subscriber === undefined) return segments;
  segments.push(
    personNm1(v, 'IL', subscriber.name, `${subscriberPath}.name`, '2010BA', ['MI', memberId(v, coverage, path, '2010BA')]),
    // 2010BA N3/N4 and DMG: required when the patient is the subscriber, sent when known otherwise.
    ...addressSegments(v, subscriber.address, `${subscriberPath}.address`, '2010BA', { required: self }),
    ...(self || subscriber.birthDate !== undefined ? [demographics(v, subscriber, subscriberPath, '2010BA')] : []),
    payerNm1(v, 'PR', coverage.payer, `${path}.payer`, '2010BB'),
    ...addressSegments(v, coverage.payer.address, `${path}.payer.address`, '2010BB'),
  );
  return segments;
}

/** The 2000C segments after HL (PAT, 2010CA), or null when the patient is the subscriber. */
export function patientLevel(v: ValueWriter, claim: Claim, ranked: RankedCoverage): SegmentOut[] | null {
  const relationship = ranked.coverage.relationship;
  if (relationship === 'self') return null;
  return [
    ['PAT', PATIENT_RELATIONSHIP[relationship]],
    personNm1(v, 'QC', claim.patient.name, '$.patient.name', '2010CA'),
    ...addressSegments(v, claim.patient.address, '$.patient.address', '2010CA', { required: true }),
    demographics(v, claim.patient, '$.patient', '2010CA'),
  ];
}

/** The person who holds the coverage: the patient for `self`, else the coverage's subscriber. */
export function subscriberOf(v: ValueWriter, claim: Claim, { coverage, index }: RankedCoverage): Person | undefined {
  if (coverage.relationship === 'self') return claim.patient;
  if (coverage.subscriber === undefined)
    v.refuse(
      `$.coverages[${index}].subscriber`,
      'required',
      `the patient is the subscriber's ${coverage.relationship}: the subscriber is required`,
    );
  return coverage.subscriber;
}

/** SBR03 group number, else SBR04 group name (sent only when there is no group number). */
export function group(v: ValueWriter, coverage: Coverage, path: string, loop: string): [string | undefined, string | undefined] {
  const number = v.text(coverage.groupNumber, `${path}.groupNumber`, `SBR03 group number (${loop})`, 50);
  return [number, number === undefined ? v.text(coverage.groupName, `${path}.groupName`, `SBR04 group name (${loop})`, 60) : undefined];
}

export function filingIndicator(v: ValueWriter, coverage: Coverage, path: string, loop: string): string | undefined {
  if (coverage.filingIndicator === undefined)
    return v.refuse(`${path}.filingIndicator`, 'required', `SBR09 (${loop}): the claim filing indicator (CI, MB, MC…) is required`);
  return v.code(coverage.filingIndicator, `${path}.filingIndicator`, `SBR09 claim filing indicator (${loop})`, FILING_INDICATORS);
}

export function memberId(v: ValueWriter, coverage: Coverage, path: string, loop: string): string | undefined {
  return v.required(coverage.memberId, `${path}.memberId`, `NM109 member identifier (${loop})`, 80, 2);
}
