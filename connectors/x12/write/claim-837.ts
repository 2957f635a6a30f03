// One canonical claim as the pieces of an 837P or 837I: the segments under each HL level it sits in
// and its 2300 loop, or every reason it cannot be written (JSON paths into the claim).
import type { Issue } from '../../../canonical-model/errors.js';
import type { Claim } from '../../../canonical-model/types.js';
import { validateClaim } from '../../../canonical-model/validate.js';
import type { Delimiters } from '../segment.js';
import { institutionalCodes, professionalCodes } from './claim-codes.js';
import { claimInformation, claimPlaceOfService } from './claim-information.js';
import { billingLevel, patientLevel, rankCoverages, subscriberLevel, type ClaimGuide } from './claim-levels.js';
import { claimProviders } from './claim-providers.js';
import { otherSubscribers } from './other-subscribers.js';
import { DEFAULT_DELIMITERS, type SegmentOut } from './serialize.js';
import { serviceLines } from './service-lines.js';
import { ValueWriter } from './values.js';

export const GUIDE_VERSIONS: Readonly<Record<ClaimGuide, string>> = { '837P': '005010X222A1', '837I': '005010X223A2' };

export interface Claim837 {
  guide: ClaimGuide;
  /** After HL*…*20: PRV, CUR, 2010AA, 2010AB. */
  billing: SegmentOut[];
  /** After HL*…*22: SBR, 2010BA, 2010BB. */
  subscriber: SegmentOut[];
  /** After HL*…*23 (PAT, 2010CA); null when the patient is the subscriber. */
  patient: SegmentOut[] | null;
  /** Loop 2300 with its 2310x, 2320/2330x and 2400 loops. */
  claim: SegmentOut[];
}

export type Claim837Result = { parts: Claim837; issues: [] } | { parts: null; issues: Issue[] };

/**
 * Builds a claim's 837 pieces. Refuses (issues) what breaks the canonical schema or its blocking
 * rules (those alone, when there are any), then what the guide cannot carry: a dental claim or a preauthorization, a value with a
 * delimiter, a missing billing NPI, tax id or filing indicator, a professional line without a
 * procedure or diagnosis pointer, more codes than HI holds…
 */
export function claim837(claim: Claim, delimiters: Delimiters = DEFAULT_DELIMITERS): Claim837Result {
  // The canonical schema and blocking rules first: the writer below relies on a valid claim.
  const canonicalIssues = validateClaim(claim);
  if (canonicalIssues.length > 0) return { parts: null, issues: canonicalIssues };
  const v = new ValueWriter(delimiters);
  const guide = guideOf(v, claim);
  const ranked = rankCoverages(claim);
  if (ranked.length === 0) v.refuse('$.coverages', 'required', 'loop 2000B needs the coverage the claim is billed to');
  const [billedTo, ...others] = ranked;
  const parts: Claim837 = {
    guide,
    billing: billingLevel(v, claim),
    subscriber: billedTo === undefined ? [] : subscriberLevel(v, claim, billedTo),
    patient: billedTo === undefined ? null : patientLevel(v, claim, billedTo),
    claim: claim2300(v, claim, guide, others),
  };
  return v.issues.length === 0 ? { parts, issues: [] } : { parts: null, issues: v.issues };
}

/** Why `claim` cannot be written as an 837 (empty when it can). */
export function check837(claim: Claim, options: { delimiters?: Delimiters } = {}): Issue[] {
  return claim837(claim, options.delimiters).issues;
}

function guideOf(v: ValueWriter, claim: Claim): ClaimGuide {
  if (claim.type === 'dental') v.refuse('$.type', 'unsupported-claim-type', 'dental claims (837D) are not written by claimhub');
  if (claim.use !== 'claim') v.refuse('$.use', 'unsupported-use', `an 837P/837I carries claims, not a ${claim.use}`);
  return claim.type === 'institutional' ? '837I' : '837P';
}

function claim2300(v: ValueWriter, claim: Claim, guide: ClaimGuide, others: ReturnType<typeof rankCoverages>): SegmentOut[] {
  if (guide === '837P') {
    const placeOfService = claimPlaceOfService(v, claim);
    const diagnoses = professionalCodes(v, claim);
    return [
      ...claimInformation(v, claim, guide, placeOfService),
      ...diagnoses.segments,
      ...claimProviders(v, claim, guide),
      ...otherSubscribers(v, claim, others),
      ...serviceLines(v, claim, guide, { placeOfService, diagnosisPositions: diagnoses.positions }),
    ];
  }
  return [
    ...claimInformation(v, claim, guide, undefined),
    ...institutionalCodes(v, claim),
    ...claimProviders(v, claim, guide),
    ...otherSubscribers(v, claim, others),
    ...serviceLines(v, claim, guide, { diagnosisPositions: new Map() }),
  ];
}
