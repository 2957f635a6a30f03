// The routing stage as a pure step: canonical claims in, the commit unit out — destinations per
// claim, the routed event and status, or (when a claim has no route, or a route predicate fails)
// the failure with a dead letter. Intake runs it inline; the ingest job runs it for the rest.
import { randomUUID } from 'node:crypto';
import { ClaimhubError } from '../canonical-model/errors.js';
import type { CommitUnit } from '../store/records.js';
import { NoRouteError } from './errors.js';
import type { Router } from './router.js';
import { errorRecord } from './stage-runner.js';
import { acknowledgementUnit, type SubmittedClaimLookup } from './acknowledgement-stage.js';
import { heldUnit, releaseUnit } from './hold-stage.js';
import { patientUpdateUnit, type OpenClaimLookup } from './patient-update-stage.js';
import { mappingStageUnit, objectLabel, type Translation } from './stage-units.js';

export interface RoutableClaim {
  id: string;
  seq: number;
  claimNumber: string;
  canonical: unknown;
}

export interface RoutingOutcome {
  unit: CommitUnit;
  /** Empty when routing failed or held the message (the unit then records which). */
  destinations: string[];
  priority?: number;
  /** Claims of the message wait for what a route requires (routes/hold-stage.ts): nothing is enqueued. */
  held?: boolean;
}

export async function routingStage(router: Router, messageId: string, claims: RoutableClaim[], actor: string): Promise<RoutingOutcome> {
  try {
    const decisions = await Promise.all(claims.map(async (claim) => ({ claim, decision: await router.decide(claim.canonical) })));
    const unrouted = decisions.filter((d) => d.decision.destinations.length === 0 && !d.decision.held).map((d) => d.claim);
    if (unrouted.length > 0 || claims.length === 0) throw noRoute(unrouted);
    if (decisions.some((d) => d.decision.held)) return { destinations: [], held: true, unit: heldUnit(messageId, decisions, actor) };
    // A claim routed on a stored authorization quotes its certification number from now on (an 837 carries it).
    const authorized = decisions.flatMap(({ claim, decision: { authorization } }) =>
      authorization?.kind === 'stored' ? [{ claimId: claim.id, status: 'validated', priorAuthorizationNumber: authorization.certificationNumber }] : [],
    );
    const destinations = [...new Set(decisions.flatMap((d) => d.decision.destinations))];
    const priorities = decisions.map((d) => d.decision.priority).filter((p): p is number => p !== undefined);
    const priority = priorities.length > 0 ? Math.min(...priorities) : undefined;
    return {
      destinations,
      priority,
      unit: {
        claimDestinations: decisions.map((d) => ({ claimId: d.claim.id, destinations: d.decision.destinations })),
        ...(authorized.length > 0 ? { claimStatuses: authorized } : {}),
        events: [
          {
            messageId,
            event: 'routed',
            actor,
            detail: { destinations, routes: [...new Set(decisions.flatMap((d) => d.decision.routes))], ...(priority ? { priority } : {}) },
          },
        ],
        statusUpdates: [{ messageId, status: 'routed', destinations }],
      },
    };
  } catch (error) {
    if (!(error instanceof ClaimhubError) || !error.permanent) throw error;
    const record = errorRecord(error);
    return {
      destinations: [],
      unit: {
        events: [{ messageId, event: 'failed', actor, detail: { stage: 'route' }, error: record }],
        deadLetters: [
          { id: randomUUID(), messageId, stage: 'route', destinationId: '', errorClass: record.class, error: record, attempts: [record] },
        ],
        statusUpdates: [{ messageId, status: 'failed', error: record }],
      },
    };
  }
}

function noRoute(unrouted: RoutableClaim[]): NoRouteError {
  if (unrouted.length === 0) return new NoRouteError('the message holds no canonical object to route');
  return new NoRouteError(
    `no route matches ${unrouted.length === 1 ? 'claim' : 'claims'} ${unrouted.map((c) => c.claimNumber).join(', ')}`,
    unrouted.map((c) => ({
      path: `claims[${c.seq - 1}]`,
      rule: 'route-matches',
      message: `claim ${c.claimNumber}: no route's "when" is true and no catch-all route exists`,
    })),
  );
}

/** Merges commit units of consecutive stages of one message into one atomic unit. */
export function mergeUnits(...units: CommitUnit[]): CommitUnit {
  const merged: CommitUnit = {};
  for (const unit of units) {
    for (const [key, rows] of Object.entries(unit) as [keyof CommitUnit, unknown[]][]) {
      (merged[key] as unknown[]) = [...((merged[key] as unknown[] | undefined) ?? []), ...rows];
    }
  }
  return merged;
}

/**
 * What a freshly translated message commits: the mapping stage's writes and, when mapping
 * succeeded, the routing stage's with them — one atomic unit, with what the message's acknowledgements,
 * patient updates and prior authorizations change on claims of other messages (`released`: the
 * messages of held claims an authorization released, for the caller to enqueue after the commit).
 * Intake and the ingest job share it.
 */
export async function mapAndRoute(
  router: Router,
  messageId: string,
  translation: Translation,
  actor: string,
  submittedClaims?: SubmittedClaimLookup,
  openClaims?: OpenClaimLookup,
): Promise<{ unit: CommitUnit; routing?: RoutingOutcome; released: string[] }> {
  const mapped = mappingStageUnit(messageId, translation, actor);
  if (!translation.ok) return { unit: mapped, released: [] };
  const claims = translation.objects.map((c, i) => ({ id: c.id!, seq: i + 1, claimNumber: objectLabel(c), canonical: c }));
  const [routing, acknowledged, patientUpdated, releases] = await Promise.all([
    routingStage(router, messageId, claims, actor),
    acknowledgementUnit(submittedClaims, messageId, translation.objects, actor),
    patientUpdateUnit(openClaims, messageId, translation.objects, actor),
    releaseUnit(router.authorizations, messageId, translation.objects, actor),
  ]);
  return { unit: mergeUnits(mapped, acknowledged, patientUpdated, releases.unit, routing.unit), routing, released: releases.released };
}
