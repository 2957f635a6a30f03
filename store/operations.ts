// Operations: long work an operator starts (bulk replay), with progress others can read.
import type { Queryable } from './db.js';

export interface Operation {
  id: string;
  kind: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  request: Record<string, unknown>;
  total: number;
  done: number;
  failed: number;
  /** The first failures: which item and why. */
  errors: { item: string; error: string }[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Errors kept per operation: enough to see the pattern, not a second dead-letter table. */
export const MAX_OPERATION_ERRORS = 50;

export async function createOperation(db: Queryable, op: { id: string; kind: string; request: Record<string, unknown>; total: number; createdBy: string }): Promise<void> {
  await db.query('INSERT INTO operations (id, kind, status, request, total, created_by) VALUES ($1, $2, $3, $4::jsonb, $5, $6)', [
    op.id,
    op.kind,
    'running',
    JSON.stringify(op.request),
    op.total,
    op.createdBy,
  ]);
}

export async function recordProgress(
  db: Queryable,
  id: string,
  progress: { done: number; failed: number; errors: Operation['errors']; finished?: Operation['status'] },
): Promise<void> {
  await db.query(
    `UPDATE operations SET done = $2, failed = $3, errors = $4::jsonb, updated_at = now(),
       status = coalesce($5, status), finished_at = CASE WHEN $5::text IS NULL THEN NULL ELSE now() END
     WHERE id = $1`,
    [id, progress.done, progress.failed, JSON.stringify(progress.errors.slice(0, MAX_OPERATION_ERRORS)), progress.finished ?? null],
  );
}

export async function getOperation(db: Queryable, id: string): Promise<Operation | undefined> {
  const { rows } = await db.query<{
    id: string;
    kind: string;
    status: Operation['status'];
    request: Record<string, unknown>;
    total: number;
    done: number;
    failed: number;
    errors: Operation['errors'];
    created_by: string;
    created_at: string;
    updated_at: string;
    finished_at: string | null;
  }>(
    `SELECT id, kind, status, request, total, done, failed, errors, created_by,
            created_at::text AS created_at, updated_at::text AS updated_at, finished_at::text AS finished_at
     FROM operations WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    request: row.request,
    total: row.total,
    done: row.done,
    failed: row.failed,
    errors: row.errors,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/** At start-up: operations a previous process was running did not finish. */
export async function markInterrupted(db: Queryable): Promise<number> {
  const { rowCount } = await db.query("UPDATE operations SET status = 'interrupted', finished_at = now(), updated_at = now() WHERE status = 'running'");
  return rowCount;
}
