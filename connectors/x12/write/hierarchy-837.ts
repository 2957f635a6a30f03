// The HL tree of an 837 transaction set: one 2000A per billing provider, one 2000B per subscriber
// and payer under it, one 2000C per patient under that, claims under the lowest level. Claims share
// an HL when the segments of that level are the same, so a level never says two different things.
import type { Claim837 } from './claim-837.js';
import type { SegmentOut } from './serialize.js';

/** 2300 repeats 100 times under one subscriber or patient HL: more claims open another HL like it. */
const CLAIMS_PER_HL = 100;

const levelKey = (segments: SegmentOut[] | null) => JSON.stringify(segments);

/** `items` reordered so that claims under the same HLs are together, groups in order of first appearance. */
export function hierarchyOrder(items: number[], parts: (item: number) => Claim837): number[] {
  return groupBy(items, (i) => levelKey(parts(i).billing)).flatMap((byProvider) =>
    groupBy(byProvider, (i) => levelKey(parts(i).subscriber)).flatMap((bySubscriber) =>
      groupBy(bySubscriber, (i) => levelKey(parts(i).patient)).flat(),
    ),
  );
}

/** HL loops with their claims, HL01 counting from 1 and HL02 naming the parent. */
export function hierarchySegments(claims: Claim837[]): SegmentOut[] {
  const segments: SegmentOut[] = [];
  let count = 0;
  const hl = (parent: number | undefined, level: string, hasChildren: boolean): number => {
    segments.push(['HL', String(++count), parent === undefined ? undefined : String(parent), level, hasChildren ? '1' : '0']);
    return count;
  };
  for (const byProvider of groupBy(claims, (c) => levelKey(c.billing))) {
    const provider = hl(undefined, '20', true);
    segments.push(...byProvider[0].billing);
    for (const bySubscriber of groupBy(byProvider, (c) => levelKey(c.subscriber))) {
      const { subscriber, patient } = bySubscriber[0];
      if (patient === null) {
        for (const some of chunks(bySubscriber, CLAIMS_PER_HL)) {
          hl(provider, '22', false);
          segments.push(...subscriber, ...some.flatMap((c) => c.claim));
        }
        continue;
      }
      const subscriberHl = hl(provider, '22', true);
      segments.push(...subscriber);
      for (const byPatient of groupBy(bySubscriber, (c) => levelKey(c.patient)))
        for (const some of chunks(byPatient, CLAIMS_PER_HL)) {
          hl(subscriberHl, '23', false);
          segments.push(...byPatient[0].patient!, ...some.flatMap((c) => c.claim));
        }
    }
  }
  return segments;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return [...groups.values()];
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length; at += size) result.push(items.slice(at, at + size));
  return result;
}
