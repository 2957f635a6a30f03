// The "deliver.<destination>" job: hands the message's claims routed to this destination to its
// connector and records the delivery. A delivery row that already exists means a previous run
// got this far: the job finishes without sending twice.
import type { Job } from 'bullmq';
import type { Destination } from '../connectors/destination.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader } from '../store/messages.js';
import type { JobData } from './queues.js';

export const deliverActor = (destinationId: string) => `worker:deliver.${destinationId}`;

export interface DeliveryDeps {
  reader: MessageReader;
  commits: GroupCommit;
  destination: Destination;
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
    const receipt = await destination.deliver({
      messageId,
      destinationId: destination.id,
      idempotencyKey: `${messageId}.${destination.id}`,
      attempt,
      objects: claims.map((c) => ({ id: c.id, seq: c.seq, canonical: c.canonical })),
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
