// A patient's open claims: claims no payer has yet whose canonical patient carries a given
// identifier. A patient update (HL7 ADT^A04/A08) is recorded against these and no others.
import type { Claim, Identifier } from '../canonical-model/types.js';
import type { Queryable } from './db.js';

/**
 * A claim is open until it is submitted to a payer: `received`, `validated` (mapped, routed, or
 * delivered to a destination that does not submit claims: file, HTTP, ERP, MLLP) or `held`. From
 * `submitted` on (acknowledged, rejected, adjudicated, paid, denied, posted) the claim is what the
 * payer has; a registration change made later belongs on a replacement claim, not on that record.
 */
export const OPEN_CLAIM_STATUSES = ['received', 'validated', 'held'] as const;

/** The open-claim rule as SQL on a status column; its text is the predicate of index claims_open_patient_identifiers (0005). */
export function openClaimSql(statusColumn: string): string {
  return `${statusColumn} IN (${OPEN_CLAIM_STATUSES.map((status) => `'${status}'`).join(', ')})`;
}

export interface OpenClaim {
  claimId: string;
  messageId: string;
  claimNumber: string;
  canonical: Claim;
}

interface OpenClaimRow {
  id: string;
  message_id: string;
  claim_number: string;
  canonical: Claim;
}

/**
 * The open claims whose patient has an identifier of the same type and value, and of the same
 * system when both name one (a claim made without the assigning authority still matches). The
 * containment test on type and value is what the partial GIN index answers; the system is checked
 * on the rows it finds.
 */
export async function findOpenClaims(db: Queryable, identifier: Identifier): Promise<OpenClaim[]> {
  const { type, value, system } = identifier;
  const { rows } = await db.query<OpenClaimRow>(
    `SELECT id, message_id, claim_number, canonical FROM claims
     WHERE canonical -> 'patient' -> 'identifiers' @> $1::jsonb AND ${openClaimSql('status')}
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(canonical -> 'patient' -> 'identifiers') AS i(id)
                   WHERE i.id ->> 'type' = $2 AND i.id ->> 'value' = $3
                     AND ($4::text IS NULL OR i.id ->> 'system' IS NULL OR i.id ->> 'system' = $4))
     ORDER BY created_at, id`,
    [JSON.stringify([{ type, value }]), type, value, system ?? null],
  );
  return rows.map((row) => ({ claimId: row.id, messageId: row.message_id, claimNumber: row.claim_number, canonical: row.canonical }));
}
