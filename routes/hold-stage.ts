// Holds for a missing prior authorization, both ends. Routing: what a message commits when a route
// that requires an authorization matched claims of it that have none. Arrival: a certified
// PriorAuthorization (an inbound 278 response) releases the held claims it covers in the commit that
// stores it — each quotes the certification number from then on, gets a `released` event on its
// message, and its message goes back to `mapped` so the ingest job routes it again.
import type { CanonicalResource, PriorAuthorization } from '../canonical-model/types.js';
import type { CommitUnit } from '../store/records.js';
import { certificationNumber, covers, isCertified, type AuthorizationStore } from './authorization.js';
import type { RouteDecision } from './router.js';

export interface HeldDecision {
  claim: { id: string; claimNumber: string };
  decision: RouteDecision;
}

/**
 * A message some of whose claims are held waits as a whole: it becomes `held`, its held claims
 * `held`, and nothing of it is enqueued; its other claims keep the destinations routing chose and
 * go with it once no claim is held. (Deliveries are one per message and destination, so sending
 * part now would leave a released claim no delivery to travel in.)
 */
export function heldUnit(messageId: string, decisions: HeldDecision[], actor: string): CommitUnit {
  const held = decisions.filter((d) => d.decision.held);
  const routed = decisions.filter((d) => !d.decision.held);
  return {
    claimDestinations: routed.map((d) => ({ claimId: d.claim.id, destinations: d.decision.destinations })),
    claimStatuses: held.map((d) => ({ claimId: d.claim.id, status: 'held' })),
    events: [
      {
        messageId,
        event: 'held',
        actor,
        detail: {
          claims: held.map((d) => ({ claimId: d.claim.id, claimNumber: d.claim.claimNumber, holds: d.decision.held })),
          ...(routed.length > 0 ? { waiting: routed.map((d) => d.claim.claimNumber) } : {}),
        },
      },
    ],
    statusUpdates: [{ messageId, status: 'held' }],
  };
}

/** The writes that release the held claims `objects`' certified authorizations cover, and the messages to route again. */
export async function releaseUnit(
  store: AuthorizationStore | undefined,
  messageId: string,
  objects: readonly CanonicalResource[],
  actor: string,
): Promise<{ unit: CommitUnit; released: string[] }> {
  const authorizations = objects.filter((o): o is PriorAuthorization => o.resourceType === 'PriorAuthorization' && isCertified(o));
  if (!store || authorizations.length === 0) return { unit: {}, released: [] };
  const unit: Required<Pick<CommitUnit, 'claimStatuses' | 'events' | 'statusUpdates'>> = { claimStatuses: [], events: [], statusUpdates: [] };
  const released = new Set<string>();
  const claimsReleased = new Set<string>();
  for (const authorization of authorizations) {
    const number = certificationNumber(authorization)!;
    const held = await store.heldClaims(authorization.coverage.memberId);
    const covered = held.filter((claim) => !claimsReleased.has(claim.claimId) && covers(authorization, claim.canonical));
    for (const claim of covered) {
      claimsReleased.add(claim.claimId);
      unit.claimStatuses.push({ claimId: claim.claimId, status: 'validated', priorAuthorizationNumber: number });
      unit.events.push({
        messageId: claim.messageId,
        event: 'released',
        actor,
        detail: { claimId: claim.claimId, claimNumber: claim.claimNumber, by: 'prior-authorization', authorizationMessageId: messageId },
      });
      if (!released.has(claim.messageId)) unit.statusUpdates.push({ messageId: claim.messageId, status: 'mapped' });
      released.add(claim.messageId);
    }
    unit.events.push({
      messageId,
      event: 'mapped',
      actor,
      detail: {
        releases: { heldClaims: held.length, released: covered.map((c) => c.claimId) },
        ...(covered.length === 0 ? { note: 'no held claim of this member is covered by this authorization' } : {}),
      },
    });
  }
  return { unit, released: [...released] };
}
