// Canonical claims → one 837 interchange: professional claims in a 005010X222A1 group, institutional
// ones in a 005010X223A2 group, each group split into transaction sets of at most
// `maxClaimsPerTransactionSet` claims. Nothing is written unless every claim can be.
import { ValidationError } from '../../../canonical-model/errors.js';
import type { Claim } from '../../../canonical-model/types.js';
import { claim837, GUIDE_VERSIONS, type Claim837 } from './claim-837.js';
import type { ClaimGuide } from './claim-levels.js';
import { chunks, hierarchyOrder, hierarchySegments } from './hierarchy-837.js';
import { writeInterchange, type InterchangeWriteOptions, type PlannedGroup, type WrittenInterchange } from './interchange.js';
import { submitterAndReceiver, type ClaimSubmitterProfile } from './profile.js';
import { ccyymmdd, DEFAULT_DELIMITERS, hhmm } from './serialize.js';

/** The implementation guides' recommended maximum of CLM segments in one transaction set. */
export const DEFAULT_MAX_CLAIMS_PER_TRANSACTION_SET = 5000;

export interface Write837Options extends InterchangeWriteOptions {
  profile: ClaimSubmitterProfile;
  /** Claims per ST/SE; a group with more is split into several sets. Default 5000. */
  maxClaimsPerTransactionSet?: number;
}

/**
 * Writes `claims` as one interchange. Throws ValidationError listing every issue (paths `$[i]…`,
 * `i` the claim's index) when any claim cannot be written, ConfigError when the profile or options
 * cannot be. `items` of each written set are the indexes of its claims, in the order of their CLMs.
 */
export async function write837(claims: readonly Claim[], options: Write837Options): Promise<WrittenInterchange> {
  const max = options.maxClaimsPerTransactionSet ?? DEFAULT_MAX_CLAIMS_PER_TRANSACTION_SET;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxClaimsPerTransactionSet ${max} is not a positive whole number`);
  if (claims.length === 0)
    throw new ValidationError('no claims to write', [{ path: '$', rule: 'required', message: 'an 837 needs at least one claim' }]);
  const delimiters = options.delimiters ?? DEFAULT_DELIMITERS;
  const header = submitterAndReceiver(options.profile, delimiters);
  const results = claims.map((claim) => claim837(claim, delimiters));
  const issues = results.flatMap((result, i) => result.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\$/, `$[${i}]`) })));
  const refused = results.filter((result) => result.parts === null).length;
  if (refused > 0) throw new ValidationError(`${refused} of ${claims.length} claims cannot be written as an 837`, issues);
  const parts = (i: number) => results[i].parts as Claim837;
  const now = options.now ?? new Date();
  const groups = (['837P', '837I'] as ClaimGuide[]).flatMap((guide): PlannedGroup[] => {
    const items = claims.flatMap((_, i) => (parts(i).guide === guide ? [i] : []));
    if (items.length === 0) return [];
    return [
      {
        functionalIdentifier: 'HC',
        version: GUIDE_VERSIONS[guide],
        transactionSet: '837',
        transactionSets: chunks(hierarchyOrder(items, parts), max).map((setItems) => ({
          items: setItems,
          body: (controlNumber) => [
            // BHT: original (00) chargeable (CH) claims; BHT03 repeats ST02, unique per submitter.
            ['BHT', '0019', '00', controlNumber, ccyymmdd(now), hhmm(now), 'CH'],
            ...header,
            ...hierarchySegments(setItems.map(parts)),
          ],
        })),
      },
    ];
  });
  return writeInterchange(options.profile, groups, { ...options, now });
}
