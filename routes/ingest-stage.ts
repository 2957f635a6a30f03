// The "ingest" job: takes a message from wherever its status says it is — map (if the inbound
// edge did not) and route in one commit, or route a mapped one, then hand each destination its delivery job. Every step commits its
// result and lineage before the next starts, so a re-run after a crash resumes, never repeats.
import type { SubmittedClaimLookup } from './acknowledgement-stage.js';
import type { OpenClaimLookup } from './patient-update-stage.js';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader } from '../store/messages.js';
import type { JobData, Queues } from './queues.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Router } from './router.js';
import type { Translator } from './stage-units.js';
import { mapAndRoute, routingStage, type RoutingOutcome } from './routing-stage.js';

export const INGEST_ACTOR = 'worker:ingest';

export interface IngestDeps {
  reader: MessageReader;
  commits: GroupCommit;
  translator: Translator;
  router: Router;
  queues: Queues;
  log: Logger;
  submittedClaims?: SubmittedClaimLookup;
  openClaims?: OpenClaimLookup;
  /** The ingest retry policy, to enqueue the messages of claims an authorization released (else the recovery sweeper does). */
  ingest?: { retry: RetryPolicy };
}

export function ingestStage(deps: IngestDeps): (job: Job<JobData>) => Promise<void> {
  return async (job) => {
    const { messageId } = job.data;
    const message = await deps.reader.message(messageId);
    if (!message) {
      deps.log.warn({ messageId }, 'ingest job for a message the store does not have');
      return;
    }
    let status = message.status;
    let routing: RoutingOutcome | undefined;
    if (status === 'received') {
      const translation = await deps.translator.translate({
        raw: message.raw,
        contentType: message.contentType ?? undefined,
        source: message.source,
        messageId,
        receivedAt: message.receivedAt,
      });
      const stage = await mapAndRoute(deps.router, messageId, translation, INGEST_ACTOR, deps.submittedClaims, deps.openClaims);
      await deps.commits.commit(stage.unit);
      const retry = deps.ingest?.retry;
      if (retry) await Promise.all(stage.released.map((id) => deps.queues.enqueueIngest(id, retry)));
      if (!stage.routing?.destinations.length) return;
      routing = stage.routing;
      status = 'routed';
    }
    if (status === 'mapped') {
      const claims = await deps.reader.claimsOf(messageId);
      routing = await routingStage(deps.router, messageId, claims, INGEST_ACTOR);
      await deps.commits.commit(routing.unit);
      if (routing.destinations.length === 0) return;
      status = 'routed';
    }
    if (status === 'routed') {
      const destinations = routing?.destinations ?? message.destinations ?? [];
      const [delivered, deadLettered] = await Promise.all([deps.reader.deliveredTo(messageId), deps.reader.deadLetteredTo(messageId)]);
      // A destination whose delivery is an open dead letter waits for its operator (a replay of
      // another destination's dead letter must not retry it behind their back).
      const pending = destinations.filter((d) => !delivered.has(d) && !deadLettered.has(d));
      if (pending.length === 0) {
        // Every destination has it but the status never said so (its completion lost a race): say so now.
        if (deadLettered.size === 0) await deps.commits.commit({ completeDeliveries: [messageId] });
        else await deps.commits.commit({ statusUpdates: [{ messageId, status: 'dead-lettered' }] });
      }
      await Promise.all(pending.map((d) => deps.queues.enqueueDelivery(messageId, d, routing?.priority)));
    }
  };
}
