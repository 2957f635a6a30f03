// The "ingest" job: takes a message from wherever its status says it is — map (if the inbound
// edge did not), route, then hand each destination its delivery job. Every step commits its
// result and lineage before the next starts, so a re-run after a crash resumes, never repeats.
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader, StoredClaim } from '../store/messages.js';
import { ClaimhubError } from '../canonical-model/errors.js';
import { NoRouteError } from './errors.js';
import type { JobData, Queues } from './queues.js';
import type { Router } from './router.js';
import { mappingStageUnit, type Translator } from './stage-units.js';
import { errorRecord } from './stage-runner.js';
import { randomUUID } from 'node:crypto';

export const INGEST_ACTOR = 'worker:ingest';

export interface IngestDeps {
  reader: MessageReader;
  commits: GroupCommit;
  translator: Translator;
  router: Router;
  queues: Queues;
  log: Logger;
}

interface RoutingResult {
  destinations: string[];
  priority?: number;
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
    let routing: RoutingResult | undefined;
    if (status === 'received') {
      const translation = await deps.translator.translate({
        raw: message.raw, contentType: message.contentType ?? undefined, source: message.source,
        messageId, receivedAt: message.receivedAt,
      });
      await deps.commits.commit(mappingStageUnit(messageId, translation, INGEST_ACTOR));
      if (!translation.ok) return;
      status = 'mapped';
    }
    if (status === 'mapped') {
      routing = await route(deps, messageId);
      if (!routing) return;
      status = 'routed';
    }
    if (status === 'routed') {
      const destinations = routing?.destinations ?? message.destinations ?? [];
      const delivered = await deps.reader.deliveredTo(messageId);
      await Promise.all(destinations.filter((d) => !delivered.has(d))
        .map((d) => deps.queues.enqueueDelivery(messageId, d, routing?.priority)));
    }
  };
}

/** Routes every claim of the message; commits the decision (or the failure) and returns it. */
async function route(deps: IngestDeps, messageId: string): Promise<RoutingResult | undefined> {
  const claims = await deps.reader.claimsOf(messageId);
  try {
    const decisions = await Promise.all(claims.map(async (claim) => ({ claim, decision: await deps.router.decide(claim.canonical) })));
    const unrouted = decisions.filter((d) => d.decision.destinations.length === 0).map((d) => d.claim);
    if (unrouted.length > 0 || claims.length === 0) throw noRoute(unrouted);
    const destinations = [...new Set(decisions.flatMap((d) => d.decision.destinations))];
    const priorities = decisions.map((d) => d.decision.priority).filter((p): p is number => p !== undefined);
    const priority = priorities.length > 0 ? Math.min(...priorities) : undefined;
    await deps.commits.commit({
      claimDestinations: decisions.map((d) => ({ claimId: d.claim.id, destinations: d.decision.destinations })),
      events: [{
        messageId, event: 'routed', actor: INGEST_ACTOR,
        detail: { destinations, routes: [...new Set(decisions.flatMap((d) => d.decision.routes))], ...(priority ? { priority } : {}) },
      }],
      statusUpdates: [{ messageId, status: 'routed', destinations }],
    });
    return { destinations, priority };
  } catch (error) {
    if (!(error instanceof ClaimhubError) || !error.permanent) throw error;
    const record = errorRecord(error);
    await deps.commits.commit({
      events: [{ messageId, event: 'failed', actor: INGEST_ACTOR, detail: { stage: 'route' }, error: record }],
      deadLetters: [{ id: randomUUID(), messageId, stage: 'route', destinationId: '', errorClass: record.class, error: record, attempts: [record] }],
      statusUpdates: [{ messageId, status: 'failed', error: record }],
    });
    return undefined;
  }
}

function noRoute(unrouted: StoredClaim[]): NoRouteError {
  if (unrouted.length === 0) return new NoRouteError('the message holds no canonical object to route');
  return new NoRouteError(`no route matches ${unrouted.length === 1 ? 'claim' : 'claims'} ${unrouted.map((c) => c.claimNumber).join(', ')}`,
    unrouted.map((c) => ({ path: `claims[${c.seq - 1}]`, rule: 'route-matches', message: `claim ${c.claimNumber}: no route's "when" is true and no catch-all route exists` })));
}
