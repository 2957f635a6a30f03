// Claims held for a missing prior authorization and the authorizations that release them: the
// stored PriorAuthorization decisions of a member, a member's held claims, held claims for
// operators (cursor pages), and the operator's release of one (route/hold-override.ts).
import type { Claim, PriorAuthorization } from '../canonical-model/types.js';
import type { Queryable } from './db.js';

export interface HeldClaim {
  claimId: string;
  messageId: string;
  claimNumber: string;
  canonical: Claim;
}

/** A held claim as an operator lists it: no PHI, the reason from its latest `held` event. */
export interface HeldClaimSummary {
  id: string;
  messageId: string;
  claimNumber: string;
  claimType: string;
  payerId: string | null;
  heldAt: string;
  reason: unknown;
}

export interface HeldClaimCursor {
  heldAt: string;
  id: string;
}

/**
 * The certified-looking PriorAuthorization decisions stored for a member id (index
 * canonical_objects_authorization_member, 0008); routes/authorization.ts decides which cover a claim.
 */
export async function findAuthorizations(db: Queryable, memberId: string): Promise<{ id: string; messageId: string; canonical: PriorAuthorization }[]> {
  const { rows } = await db.query<{ id: string; message_id: string; canonical: PriorAuthorization }>(
    `SELECT id, message_id, canonical FROM canonical_objects
     WHERE resource_type = 'PriorAuthorization' AND canonical -> 'coverage' ->> 'memberId' = $1
       AND status IN ('approved', 'modified')
     ORDER BY created_at DESC, id`,
    [memberId],
  );
  return rows.map((r) => ({ id: r.id, messageId: r.message_id, canonical: r.canonical }));
}

/** The held claims billed to a member id (claims_member index). */
export async function findHeldClaims(db: Queryable, memberId: string): Promise<HeldClaim[]> {
  const { rows } = await db.query<{ id: string; message_id: string; claim_number: string; canonical: Claim }>(
    `SELECT id, message_id, claim_number, canonical FROM claims WHERE member_id = $1 AND status = 'held' ORDER BY created_at, id`,
    [memberId],
  );
  return rows.map((r) => ({ claimId: r.id, messageId: r.message_id, claimNumber: r.claim_number, canonical: r.canonical }));
}

/** Held claims, longest held first, a page after `after` (keyset on updated_at, id; index claims_held, 0008). */
export async function listHeldClaims(db: Queryable, page: { limit: number; after?: HeldClaimCursor }): Promise<{ items: HeldClaimSummary[]; next?: HeldClaimCursor }> {
  const { rows } = await db.query<{
    id: string;
    message_id: string;
    claim_number: string;
    claim_type: string;
    payer_id: string | null;
    held_at: string;
    reason: unknown;
  }>(
    `SELECT c.id, c.message_id, c.claim_number, c.claim_type, c.payer_id, c.updated_at::text AS held_at,
            (SELECT e.detail FROM message_events e WHERE e.message_id = c.message_id AND e.event = 'held' ORDER BY e.id DESC LIMIT 1) AS reason
     FROM claims c
     WHERE c.status = 'held' AND ($2::timestamptz IS NULL OR (c.updated_at, c.id) > ($2::timestamptz, $3::uuid))
     ORDER BY c.updated_at, c.id LIMIT $1`,
    [page.limit + 1, page.after?.heldAt ?? null, page.after?.id ?? null],
  );
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    messageId: r.message_id,
    claimNumber: r.claim_number,
    claimType: r.claim_type,
    payerId: r.payer_id,
    heldAt: r.held_at,
    reason: reasonFor(r.id, r.reason),
  }));
  const last = rows.length > page.limit ? items[items.length - 1] : undefined;
  return { items, ...(last ? { next: { heldAt: last.heldAt, id: last.id } } : {}) };
}

/** The part of a `held` event's detail about one claim (an event lists every held claim of its message). */
function reasonFor(claimId: string, detail: unknown): unknown {
  const claims = (detail as { claims?: { claimId: string }[] } | null)?.claims;
  return claims?.find((c) => c.claimId === claimId) ?? null;
}

/** A claim's status and message, locked for the caller's transaction. */
export async function lockClaim(tx: Queryable, claimId: string): Promise<{ status: string; messageId: string; claimNumber: string } | undefined> {
  const { rows } = await tx.query<{ status: string; message_id: string; claim_number: string }>(
    'SELECT status, message_id, claim_number FROM claims WHERE id = $1 FOR UPDATE',
    [claimId],
  );
  const row = rows[0];
  return row && { status: row.status, messageId: row.message_id, claimNumber: row.claim_number };
}
