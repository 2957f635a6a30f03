// The audit trail: one append-only row per state change an operator, client or source makes (a
// message stored, a dead letter replayed…), written in the transaction of the change itself. Rows
// are hash-chained (each hash covers the previous one), so an edited or deleted row breaks the
// chain; appends take a transaction-scoped advisory lock so two writers never chain onto the same row.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.js';

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

/** Who acted, as the trail names them: an operator, an API client, a source. */
export type AuditActor = Pick<AuditRecord, 'actor' | 'role' | 'client' | 'requestId' | 'sourceIp'>;

/** The record of `by` doing `action` on `resource`. */
export function auditRecordOf(
  by: AuditActor,
  action: string,
  resource: string,
  detail?: Record<string, unknown>,
  outcome: AuditRecord['outcome'] = 'success',
): AuditRecord {
  return {
    actor: by.actor,
    role: by.role,
    client: by.client,
    action,
    resource,
    outcome,
    requestId: by.requestId,
    sourceIp: by.sourceIp,
    ...(detail ? { detail } : {}),
  };
}

/**
 * Appends records that stand alone (reads, refusals) as a group commit: a record arriving while a
 * commit runs waits for the next one, which takes every record that waited, in one transaction
 * (one lock, one INSERT). Each caller's promise settles when its record is committed, or rejects
 * with the batch's error, so a read is still served only once its record is stored.
 */
export function auditGroupCommit(db: Db, maxBatch = 500): (record: AuditRecord) => Promise<number> {
  let waiting: { record: AuditRecord; resolve: (id: number) => void; reject: (error: unknown) => void }[] = [];
  let committing = false;
  const commitNext = async (): Promise<void> => {
    committing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const ids = await db.transaction((tx) => appendAuditMany(tx, batch.map((entry) => entry.record)));
        batch.forEach((entry, i) => entry.resolve(ids[i]));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    committing = false;
  };
  return (record) =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ record, resolve, reject });
      if (!committing) void commitNext();
    });
}

/** Serialises appends to the chain (any constant shared by every writer). */
const AUDIT_CHAIN_LOCK = 0x636c6d61; // 'clma'

/** Appends `record` inside the caller's transaction; returns its id. */
export async function appendAudit(tx: Queryable, record: AuditRecord): Promise<number> {
  const [id] = await appendAuditMany(tx, [record]);
  return id;
}

/** Appends `record` in a transaction of its own: for an action that changes nothing in the store (a read, a refusal, a queue paused in Redis). */
export function appendAuditAlone(db: Db, record: AuditRecord): Promise<number> {
  return db.transaction((tx) => appendAudit(tx, record));
}

/**
 * Appends `records`, in order, inside the caller's transaction; returns their ids in that order.
 * Whatever their number, it costs one lock, one SELECT and one INSERT: the hashes are chained here
 * from the last one read under the lock. Callers append last in their transaction (after their
 * row locks), so the chain lock is never held while waiting for a row another writer holds.
 */
export async function appendAuditMany(tx: Queryable, records: AuditRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  // The last hash is read by a statement of its own, after the lock (a statement reads the snapshot
  // it started with), in the same round trip: the lock is held for as few round trips as can be.
  const [last] = await tx.exec<{ hash: string }>(
    `SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}); SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`,
  );
  let prevHash = last?.hash ?? null;
  const at = new Date().toISOString();
  const rows = records.map((record, ord) => {
    const row = rowOf(record, at);
    const hash = auditHash(prevHash, row);
    const linked = { ...row, prev_hash: prevHash, hash, ord };
    prevHash = hash;
    return linked;
  });
  // Ids follow `ord`, so the chain's order is the id order verifyAuditChain walks.
  const { rows: inserted } = await tx.query<{ id: number }>(
    `INSERT INTO audit_log (at, actor, role, client, action, resource, outcome, request_id, source_ip, detail, prev_hash, hash)
     SELECT at, actor, role, client, action, resource, outcome, request_id, source_ip, detail, prev_hash, hash
     FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, actor text, role text, client text, action text, resource text,
          outcome text, request_id text, source_ip text, detail jsonb, prev_hash text, hash text, ord int)
     ORDER BY ord
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  return inserted.map((row) => row.id).sort((a, b) => a - b);
}

/** The stored fields of a record, as auditHash reads them. */
function rowOf(record: AuditRecord, at: string) {
  return {
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
}

/**
 * The hash of a row: the previous hash and the row's fields in a fixed order, `detail` with its
 * keys sorted (jsonb keeps its own key order, so the hash must not depend on the writer's).
 */
export function auditHash(prevHash: string | null, row: Record<string, unknown>): string {
  const fields = ['at', 'actor', 'role', 'client', 'action', 'resource', 'outcome', 'request_id', 'source_ip', 'detail'];
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fields.map((field) => sorted(row[field] ?? null))]))
    .digest('hex');
}

/** `value` with every object's keys in sorted order (arrays keep theirs). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  role: string | null;
  client: string | null;
  action: string;
  resource: string;
  outcome: string;
  requestId: string | null;
  sourceIp: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** A resource, or a prefix ending in `/` (`dead-letter/`). */
  resource?: string;
  from?: string;
  to?: string;
}

/** What verification found: every row checked, and the first that breaks the chain. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row whose hash does not match its content or whose link does not match the row before (edited, inserted or deleted rows). */
  broken?: { id: number; problem: 'content' | 'link'; detail: string };
}

const ROW_SELECT = `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, role, client, action, resource,
  outcome, request_id, source_ip, detail, prev_hash, hash FROM audit_log`;

interface Row {
  id: number;
  at: string;
  actor: string;
  role: string | null;
  client: string | null;
  action: string;
  resource: string;
  outcome: string;
  request_id: string | null;
  source_ip: string | null;
  detail: Record<string, unknown> | null;
  prev_hash: string | null;
  hash: string;
}

const PAGE = 1000;

/**
 * Walks the whole chain in id order: each row's hash must be the hash of its content and the hash
 * before it, and its prev_hash the hash of the row before. An edited row fails on its content; a
 * deleted or inserted one breaks the link of the row after it.
 */
export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  let previous: string | null = null;
  let after = 0;
  let checked = 0;
  for (;;) {
    const { rows } = await db.query<Row>(`${ROW_SELECT} WHERE id > $1 ORDER BY id LIMIT ${PAGE}`, [after]);
    for (const row of rows) {
      if (row.prev_hash !== previous) {
        return { ok: false, checked, broken: { id: row.id, problem: 'link', detail: `row ${row.id} follows ${row.prev_hash === null ? 'nothing' : 'a row'} the chain does not have before it: a row before it was deleted or inserted` } };
      }
      if (auditHash(row.prev_hash, row as unknown as Record<string, unknown>) !== row.hash) {
        return { ok: false, checked, broken: { id: row.id, problem: 'content', detail: `row ${row.id} does not match its hash: it was edited after it was written` } };
      }
      previous = row.hash;
      checked++;
    }
    if (rows.length < PAGE) return { ok: true, checked };
    after = rows[rows.length - 1].id;
  }
}

/** Audit rows, newest first, `before` an id for the next page. */
export async function listAudit(db: Queryable, filter: AuditFilter, page: { limit: number; before?: number }): Promise<{ items: AuditRow[]; next?: number }> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.actor) add('actor = ?', filter.actor);
  if (filter.action) add('action = ?', filter.action);
  if (filter.resource) add(filter.resource.endsWith('/') ? "resource LIKE ? || '%'" : 'resource = ?', filter.resource);
  if (filter.from) add('at >= ?::timestamptz', filter.from);
  if (filter.to) add('at < ?::timestamptz', filter.to);
  if (page.before !== undefined) add('id < ?', page.before);
  params.push(page.limit + 1);
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const { rows } = await db.query<Row>(`${ROW_SELECT} ${where} ORDER BY id DESC LIMIT $${params.length}`, params);
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    role: row.role,
    client: row.client,
    action: row.action,
    resource: row.resource,
    outcome: row.outcome,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    detail: row.detail,
  }));
  return { items, ...(rows.length > page.limit ? { next: items[items.length - 1].id } : {}) };
}
