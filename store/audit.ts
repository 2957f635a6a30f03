// The audit trail: one append-only row per state change an operator or client makes, written in
// the transaction of the change itself. Rows are hash-chained (each hash covers the previous
// one), so an edited or deleted row breaks the chain; appends take a transaction-scoped advisory
// lock so two writers never chain onto the same row.
import { createHash } from 'node:crypto';
import type { Queryable } from './db.js';

export interface AuditRecord {
  actor: string;
  role?: string | null;
  client?: string | null;
  /** `dead-letter.replay`, `dead-letter.discard`… */
  action: string;
  /** What it acted on: `dead-letter/<id>`, `message/<id>`. */
  resource: string;
  outcome: 'success' | 'failure';
  requestId?: string | null;
  sourceIp?: string | null;
  /** Never PHI: ids, modes, reasons operators typed. */
  detail?: Record<string, unknown>;
}

/** Serialises appends to the chain (any constant shared by every writer). */
const AUDIT_CHAIN_LOCK = 0x636c6d61; // 'clma'

/** Appends `record` inside the caller's transaction; returns its id. */
export async function appendAudit(tx: Queryable, record: AuditRecord): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  const { rows: last } = await tx.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const prevHash = last[0]?.hash ?? null;
  const at = new Date().toISOString();
  const row = {
    at,
    actor: record.actor,
    role: record.role ?? null,
    client: record.client ?? null,
    action: record.action,
    resource: record.resource,
    outcome: record.outcome,
    request_id: record.requestId ?? null,
    source_ip: record.sourceIp ?? null,
    detail: record.detail ?? null,
  };
  const hash = auditHash(prevHash, row);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO audit_log (at, actor, role, client, action, resource, outcome, request_id, source_ip, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12) RETURNING id`,
    [at, row.actor, row.role, row.client, row.action, row.resource, row.outcome, row.request_id, row.source_ip, row.detail === null ? null : JSON.stringify(row.detail), prevHash, hash],
  );
  return rows[0].id;
}

/** The hash of a row: the previous hash and the row's fields in a fixed order. */
export function auditHash(prevHash: string | null, row: Record<string, unknown>): string {
  const fields = ['at', 'actor', 'role', 'client', 'action', 'resource', 'outcome', 'request_id', 'source_ip', 'detail'];
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fields.map((field) => row[field] ?? null)]))
    .digest('hex');
}
