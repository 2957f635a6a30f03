// What the x12 destination tests share: claims stored as the pipeline stores them (so the
// submissions they are recorded under refer to real rows), the delivery of them, and each claim's
// control numbers read out of a written file.
import { createHash, randomUUID } from 'node:crypto';
import type { Claim } from '../../../../canonical-model/index.js';
import type { Delivery } from '../../../../connectors/destination.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';
import type { Queryable } from '../../../../store/db.js';
import type { Store } from '../../../../store/index.js';

/** Stores a message with `claims` (claims rows, in order) and answers its delivery to `destinationId`. */
export async function storedDelivery(store: Store, claims: Claim[], destinationId: string): Promise<Delivery> {
  const messageId = randomUUID();
  const raw = `test message ${messageId}`;
  const rows = claims.map((claim, i) => ({
    id: randomUUID(),
    messageId,
    seq: i + 1,
    claimNumber: claim.claimNumber,
    claimType: claim.type,
    status: 'received',
    payerId: null,
    payerName: null,
    billingNpi: null,
    memberId: null,
    totalCharge: claim.totalCharge,
    serviceStart: null,
    mapping: 'test@1',
    canonical: claim,
    destinations: [destinationId],
  }));
  await store.commits.commit({
    newMessages: [
      {
        id: messageId,
        source: 'test',
        format: 'canonical',
        messageType: 'Claim',
        contentType: 'application/json',
        contentHash: createHash('sha256').update(raw).digest('hex'),
        raw,
        status: 'routed',
        error: null,
        controlIds: {},
        mapping: null,
        destinations: [destinationId],
      },
    ],
    claims: rows,
  });
  return {
    messageId,
    destinationId,
    idempotencyKey: `${messageId}.${destinationId}`,
    attempt: 1,
    objects: rows.map((row) => ({ id: row.id, seq: row.seq, canonical: row.canonical as unknown as Record<string, unknown> })),
  };
}

/** Each CLM of an interchange as `claimNumber ISA13 GS06 ST02`, in file order. */
export function placesInFile(text: string): string[] {
  let isa13 = '';
  let gs06 = '';
  let st02 = '';
  return tokenize(text).flatMap((segment) => {
    if (segment.id === 'ISA') isa13 = segment.elements[12];
    if (segment.id === 'GS') gs06 = segment.elements[5];
    if (segment.id === 'ST') st02 = segment.elements[1];
    return segment.id === 'CLM' ? [`${segment.elements[0]} ${isa13} ${gs06} ${st02}`] : [];
  });
}

/** The values of the 837 submission counters, to see that nothing was spent. */
export async function submissionCounters(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ name: string; value: string }>(
    "SELECT name, value::text AS value FROM counters WHERE name LIKE 'x12.837.%'",
  );
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.value)]));
}
