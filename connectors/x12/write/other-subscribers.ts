// Loop 2320 with 2330A/2330B: the patient's other coverages, so the payer billed (2000B) can
// coordinate benefits. One 2320 per coverage after the first in rank.
import type { Claim, SubscriberRelationship } from '../../../canonical-model/types.js';
import { filingIndicator, group, memberId, RESPONSIBILITY, subscriberOf, type RankedCoverage } from './claim-levels.js';
import { addressSegments, payerNm1, personNm1 } from './parties.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

/** 2320 SBR02: the patient's relationship to the other subscriber. */
const INDIVIDUAL_RELATIONSHIP: Readonly<Record<SubscriberRelationship, string>> = { self: '18', spouse: '01', child: '19', other: 'G8' };

export function otherSubscribers(v: ValueWriter, claim: Claim, others: RankedCoverage[]): SegmentOut[] {
  if (others.length > 10)
    v.refuse('$.coverages', 'coverage-limit', `loop 2320 repeats 10 times; the claim has ${others.length} other coverages`);
  return others.slice(0, 10).flatMap((ranked) => {
    const { coverage, index } = ranked;
    const path = `$.coverages[${index}]`;
    const subscriber = subscriberOf(v, claim, ranked);
    const subscriberPath = coverage.relationship === 'self' ? '$.patient' : `${path}.subscriber`;
    const segments: SegmentOut[] = [
      [
        'SBR',
        RESPONSIBILITY[coverage.rank],
        INDIVIDUAL_RELATIONSHIP[coverage.relationship],
        ...group(v, coverage, path, '2320'),
        undefined,
        undefined,
        undefined,
        undefined,
        filingIndicator(v, coverage, path, '2320'),
      ],
      // OI03 benefits assigned and OI06 release of information, as on CLM08/CLM09.
      ['OI', undefined, undefined, 'Y', undefined, undefined, 'Y'],
    ];
    if (subscriber === undefined) return segments;
    return [
      ...segments,
      personNm1(v, 'IL', subscriber.name, `${subscriberPath}.name`, '2330A', ['MI', memberId(v, coverage, path, '2330A')]),
      ...addressSegments(v, subscriber.address, `${subscriberPath}.address`, '2330A'),
      payerNm1(v, 'PR', coverage.payer, `${path}.payer`, '2330B'),
      ...addressSegments(v, coverage.payer.address, `${path}.payer.address`, '2330B'),
    ];
  });
}
