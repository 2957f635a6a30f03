// Dead letters as operators see them: found by what failed (stage, destination, error class),
// where it came from (source, message type) and age; one read with its message's lineage; and
// resolved once — replayed or discarded — by whoever did it, with why.
import type { Queryable } from './db.js';
import type { MessageStatus } from './records.js';

export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

export interface DeadLetterFilter {
  status?: DeadLetterStatus;
  source?: string;
  destination?: string;
  errorClass?: string;
  stage?: string;
  messageType?: string;
  /** Created at least this many seconds ago. */
  olderThanSeconds?: number;
  /** Created at most this many seconds ago. */
  newerThanSeconds?: number;
}

export interface DeadLetterCursor {
  createdAt: string;
  id: string;
}

export interface DeadLetter {
  id: string;
  messageId: string;
  stage: string;
  /** null for stages before routing (parse, map, validate, ingest). */
  destination: string | null;
  errorClass: string;
  error: { class: string; message: string; issues?: unknown[] };
  attempts: unknown[];
  status: DeadLetterStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  message: { source: string; format: string | null; messageType: string | null; status: MessageStatus; controlIds: Record<string, string>; receivedAt: string };
}

interface Row {
  id: string;
  message_id: string;
  stage: string;
  destination_id: string;
  error_class: string;
  error: DeadLetter['error'];
  attempts: unknown[];
  status: DeadLetterStatus;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  source: string;
  format: string | null;
  message_type: string | null;
  message_status: MessageStatus;
  control_ids: Record<string, string>;
  received_at: string;
}

const SELECT = `
  SELECT d.id, d.message_id, d.stage, d.destination_id, d.error_class, d.error, d.attempts, d.status,
         d.created_at::text AS created_at, d.resolved_at::text AS resolved_at, d.resolved_by, d.resolution,
         m.source, m.format, m.message_type, m.status AS message_status, m.control_ids, m.received_at::text AS received_at
  FROM dead_letters d JOIN messages m ON m.id = d.message_id`;

/** The filter as a WHERE clause and its parameters, from `$first` on. */
function where(filter: DeadLetterFilter, first = 1): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${first + params.length - 1}`));
  };
  add('d.status = ?', filter.status ?? 'open');
  if (filter.source !== undefined) add('m.source = ?', filter.source);
  if (filter.destination !== undefined) add('d.destination_id = ?', filter.destination);
  if (filter.errorClass !== undefined) add('d.error_class = ?', filter.errorClass);
  if (filter.stage !== undefined) add('d.stage = ?', filter.stage);
  if (filter.messageType !== undefined) add('m.message_type = ?', filter.messageType);
  if (filter.olderThanSeconds !== undefined) add('d.created_at <= now() - make_interval(secs => ?)', filter.olderThanSeconds);
  if (filter.newerThanSeconds !== undefined) add('d.created_at >= now() - make_interval(secs => ?)', filter.newerThanSeconds);
  return { sql: clauses.join(' AND '), params };
}

/** One page, oldest first; `next` continues after the last item. */
export async function listDeadLetters(
  db: Queryable,
  filter: DeadLetterFilter,
  page: { limit: number; after?: DeadLetterCursor },
): Promise<{ items: DeadLetter[]; next?: DeadLetterCursor }> {
  const { sql, params } = where(filter);
  const cursor = page.after ? ` AND (d.created_at, d.id) > ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)` : '';
  const cursorParams = page.after ? [page.after.createdAt, page.after.id] : [];
  const { rows } = await db.query<Row>(`${SELECT} WHERE ${sql}${cursor} ORDER BY d.created_at, d.id LIMIT $${params.length + cursorParams.length + 1}`, [
    ...params,
    ...cursorParams,
    page.limit + 1,
  ]);
  const items = rows.slice(0, page.limit).map(deadLetterOf);
  const last = items.at(-1);
  return { items, ...(rows.length > page.limit && last ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
}

/** How many dead letters the filter selects. */
export async function countDeadLetters(db: Queryable, filter: DeadLetterFilter): Promise<number> {
  const { sql, params } = where(filter);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letters d JOIN messages m ON m.id = d.message_id WHERE ${sql}`, params);
  return rows[0].n;
}

export async function getDeadLetter(db: Queryable, id: string): Promise<DeadLetter | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE d.id = $1`, [id]);
  return rows[0] ? deadLetterOf(rows[0]) : undefined;
}

/**
 * Marks an open dead letter replayed or discarded, in the caller's transaction, and locks its
 * message row for the rest of it. Undefined when it is not open (resolved meanwhile, or unknown).
 */
export async function resolveDeadLetter(
  tx: Queryable,
  id: string,
  resolution: { status: 'replayed' | 'discarded'; by: string; resolution: string },
): Promise<DeadLetter | undefined> {
  const { rows } = await tx.query<{ id: string; message_id: string }>(
    `UPDATE dead_letters SET status = $2, resolved_at = now(), resolved_by = $3, resolution = $4
     WHERE id = $1 AND status = 'open' RETURNING id, message_id`,
    [id, resolution.status, resolution.by, resolution.resolution],
  );
  if (!rows[0]) return undefined;
  await tx.query('SELECT id FROM messages WHERE id = $1 FOR UPDATE', [rows[0].message_id]);
  return getDeadLetter(tx, id);
}

function deadLetterOf(row: Row): DeadLetter {
  return {
    id: row.id,
    messageId: row.message_id,
    stage: row.stage,
    destination: row.destination_id === '' ? null : row.destination_id,
    errorClass: row.error_class,
    error: row.error,
    attempts: row.attempts,
    status: row.status,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    message: {
      source: row.source,
      format: row.format,
      messageType: row.message_type,
      status: row.message_status,
      controlIds: row.control_ids,
      receivedAt: row.received_at,
    },
  };
}
