// One stored claim as operators read it: its business keys, status, routing and the canonical
// claim itself (PHI: the route that serves it records the read in the audit trail first).
import type { Claim } from '../canonical-model/types.js';
import type { Queryable } from './db.js';

export interface ClaimView {
  id: string;
  messageId: string;
  claimNumber: string;
  claimType: string;
  status: string;
  payerId: string | null;
  payerName: string | null;
  billingNpi: string | null;
  totalCharge: string;
  serviceStart: string | null;
  mapping: string;
  destinations: unknown;
  createdAt: string;
  updatedAt: string;
  claim: Claim;
}

export async function getClaim(db: Queryable, id: string): Promise<ClaimView | undefined> {
  const { rows } = await db.query<{
    id: string;
    message_id: string;
    claim_number: string;
    claim_type: string;
    status: string;
    payer_id: string | null;
    payer_name: string | null;
    billing_npi: string | null;
    total_charge: string;
    service_start: string | null;
    mapping: string;
    destinations: unknown;
    created_at: Date;
    updated_at: Date;
    canonical: Claim;
  }>(
    `SELECT id, message_id, claim_number, claim_type, status, payer_id, payer_name, billing_npi, total_charge::text,
            service_start::text, mapping, destinations, created_at, updated_at, canonical
     FROM claims WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    messageId: row.message_id,
    claimNumber: row.claim_number,
    claimType: row.claim_type,
    status: row.status,
    payerId: row.payer_id,
    payerName: row.payer_name,
    billingNpi: row.billing_npi,
    totalCharge: row.total_charge,
    serviceStart: row.service_start,
    mapping: row.mapping,
    destinations: row.destinations,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    claim: row.canonical,
  };
}
