// The "deliver.<destination>" job: hands the message's claims routed to this destination to its
// connector and records the delivery. A delivery row that already exists means a previous run
// got this far: the job finishes without sending twice.
import type { Job } from 'bullmq';
import { MappingError } from '../canonical-model/errors.js';
import type { DeliveryObject, Destination } from '../connectors/destination.js';
import type { Translator } from '../mappings/translate.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader, StoredClaim } from '../store/messages.js';
import type { JobData } from './queues.js';

export const deliverActor = (destinationId: string) => `worker:deliver.${destinationId}`;

export interface DeliveryDeps {
  reader: MessageReader;
  commits: GroupCommit;
  destination: Destination;
  /** The destination's outbound mapping: each object is sent as the document it makes. */
  outbound?: { mapping: string; translator: Pick<Translator, 'mapOutbound'> };
}

export function deliveryStage(deps: DeliveryDeps): (job: Job<JobData>) => Promise<void> {
  const { destination } = deps;
  return async (job) => {
    const { messageId } = job.data;
    if ((await deps.reader.deliveredTo(messageId)).has(destination.id)) {
      await deps.commits.commit({ completeDeliveries: [messageId] });
      return;
    }
    const claims = (await deps.reader.claimsOf(messageId)).filter((c) => c.destinations?.includes(destination.id));
    const attempt = job.attemptsMade + 1;
    const objects = await Promise.all(claims.map((c) => deliveryObject(c, deps.outbound)));
    const receipt = await destination.deliver({
      messageId,
      destinationId: destination.id,
      idempotencyKey: `${messageId}.${destination.id}`,
      attempt,
      objects,
    });
    await deps.commits.commit({
      deliveries: [{ messageId, destinationId: destination.id, attempts: attempt, receipt }],
      events: [
        { messageId, event: 'delivered', actor: deliverActor(destination.id), destination: destination.id, detail: { attempt, receipt } },
      ],
      completeDeliveries: [messageId],
      ...(destination.submitsClaims
        ? { claimStatuses: claims.filter((c) => c.canonical.resourceType === 'Claim').map((c) => ({ claimId: c.id, status: 'submitted' })) }
        : {}),
    });
  };
}

/**
 * One stored object as the destination gets it, with its outbound mapping's document when it has
 * one. The mapping runs on every attempt with its current version, so a replay after a fix to
 * the mapping sends the fixed document; a refusal is permanent (a dead letter naming the object).
 */
async function deliveryObject(claim: StoredClaim, outbound: DeliveryDeps['outbound']): Promise<DeliveryObject> {
  const object: DeliveryObject = { id: claim.id, seq: claim.seq, canonical: claim.canonical };
  if (!outbound) return object;
  const mapped = await outbound.translator.mapOutbound(outbound.mapping, claim.canonical);
  if (!mapped.ok) {
    const { error } = mapped;
    throw new MappingError(`outbound mapping ${outbound.mapping}, object ${claim.seq} (${claim.id}): ${error.message}`, error.issues, { cause: error });
  }
  return { ...object, document: mapped.document };
}
