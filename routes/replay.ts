// Replay and discard: what an operator does with a dead letter once the cause is fixed. Both
// resolve the dead letter, write lineage on its message and an audit record, all in one
// transaction; a replay then hands the message back to the ingest job at the stage that failed.
// The message's status is set first, so if Redis is away the recovery sweeper enqueues it.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ClaimhubError } from '../canonical-model/errors.js';
import { appendAudit, auditRecordOf } from '../store/audit.js';
import type { Db, Queryable } from '../store/db.js';
import { countDeadLetters, getDeadLetter, listDeadLetters, resolveDeadLetter, type DeadLetter, type DeadLetterCursor, type DeadLetterFilter } from '../store/dead-letters.js';
import { createOperation, recordProgress, type Operation } from '../store/operations.js';
import type { MessageStatus } from '../store/records.js';
import type { Queues } from './queues.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * `as-is`: the failed stage again on what is stored (a delivery resends the stored canonical
 * objects). `from-failed-stage`: from the failed stage with the current mapping version — a
 * translation failure is translated again from the raw message. The store keeps no retired
 * mapping compiled, so a translation failure is re-translated with the current version either way.
 */
export type ReplayMode = 'as-is' | 'from-failed-stage';
export const REPLAY_MODES: readonly ReplayMode[] = ['as-is', 'from-failed-stage'];

/** Who acts, for lineage and the audit trail. */
export interface Operator {
  actor: string;
  role?: string;
  client?: string;
  requestId?: string;
  sourceIp?: string;
}

export interface ReplayDeps {
  db: Db;
  queues: Queues;
  ingestPolicy: RetryPolicy;
  log: Logger;
}

/** The dead letter is not open (already replayed or discarded): nothing was done. */
export class DeadLetterNotOpenError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

export class DeadLetterNotFoundError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

/** The status that makes the ingest job resume at `stage`. */
export function resumeStatus(stage: string): MessageStatus {
  if (stage === 'deliver') return 'routed';
  if (stage === 'route') return 'mapped';
  return 'received'; // parse, map, validate, ingest: translate again
}

export async function replayDeadLetter(deps: ReplayDeps, id: string, mode: ReplayMode, operator: Operator): Promise<{ deadLetter: DeadLetter; status: MessageStatus }> {
  const replayed = await deps.db.transaction(async (tx) => {
    const deadLetter = await resolveOpen(tx, id, { status: 'replayed', by: operator.actor, resolution: `replay ${mode}` });
    const status = resumeStatus(deadLetter.stage);
    await tx.query('UPDATE messages SET status = $2, error = NULL, updated_at = now() WHERE id = $1', [deadLetter.messageId, status]);
    await tx.query(
      `INSERT INTO message_events (message_id, event, actor, destination, detail) VALUES ($1, 'replayed', $2, $3, $4::jsonb)`,
      [deadLetter.messageId, operator.actor, deadLetter.destination, JSON.stringify({ deadLetterId: id, mode, stage: deadLetter.stage, resumesAs: status })],
    );
    await appendAudit(tx, auditOf(operator, 'dead-letter.replay', id, { mode, messageId: deadLetter.messageId, stage: deadLetter.stage, destination: deadLetter.destination }));
    return { deadLetter, status };
  });
  // A delivery goes straight back to its destination's queue (each destination has its own job id,
  // so replays of two destinations of one message never fold into one job); the rest resumes in ingest.
  const { messageId, stage, destination } = replayed.deadLetter;
  const enqueue = async () =>
    stage === 'deliver' && destination !== null ? deps.queues.enqueueDelivery(messageId, destination) : deps.queues.enqueueIngest(messageId, deps.ingestPolicy);
  await enqueue().catch((error: unknown) => {
    deps.log.warn({ messageId: replayed.deadLetter.messageId, err: (error as Error).message }, 'replay enqueue failed; the recovery sweeper will enqueue it');
  });
  return replayed;
}

/** Closes a dead letter for good, with the operator's reason; the message is `discarded` once none of its dead letters is open. */
export async function discardDeadLetter(db: Db, id: string, reason: string, operator: Operator): Promise<DeadLetter> {
  return db.transaction(async (tx) => {
    const deadLetter = await resolveOpen(tx, id, { status: 'discarded', by: operator.actor, resolution: reason });
    await tx.query(
      `UPDATE messages SET status = 'discarded', updated_at = now()
       WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM dead_letters WHERE message_id = $1 AND status = 'open')`,
      [deadLetter.messageId],
    );
    await tx.query(
      `INSERT INTO message_events (message_id, event, actor, destination, detail) VALUES ($1, 'discarded', $2, $3, $4::jsonb)`,
      [deadLetter.messageId, operator.actor, deadLetter.destination, JSON.stringify({ deadLetterId: id, reason, stage: deadLetter.stage })],
    );
    await appendAudit(tx, auditOf(operator, 'dead-letter.discard', id, { reason, messageId: deadLetter.messageId, stage: deadLetter.stage }));
    return deadLetter;
  });
}

async function resolveOpen(tx: Queryable, id: string, resolution: Parameters<typeof resolveDeadLetter>[2]): Promise<DeadLetter> {
  const resolved = await resolveDeadLetter(tx, id, resolution);
  if (resolved) return resolved;
  const existing = await getDeadLetter(tx, id);
  if (!existing) throw new DeadLetterNotFoundError(`no dead letter ${id}`, [{ path: 'id', rule: 'exists', message: `no dead letter ${id}` }]);
  const message = `dead letter ${id} was already ${existing.status} by ${existing.resolvedBy ?? 'someone'} at ${existing.resolvedAt ?? '?'}`;
  throw new DeadLetterNotOpenError(message, [{ path: 'status', rule: 'open', message }]);
}

function auditOf(operator: Operator, action: string, id: string, detail: Record<string, unknown>) {
  return auditRecordOf(operator, action, `dead-letter/${id}`, detail);
}

/** Dead letters replayed between two progress writes. */
const PROGRESS_EVERY = 25;
const PAGE = 200;

/**
 * Bulk replay: every open dead letter the filter selects when the operation starts (later ones
 * are not added), one by one, each in its own transaction as replayDeadLetter does. Returns the
 * operation at once; it runs on and records its progress. One that another operator replayed or
 * discarded meanwhile is skipped, not counted as a failure.
 */
export async function startBulkReplay(
  deps: ReplayDeps,
  filter: DeadLetterFilter,
  mode: ReplayMode,
  operator: Operator,
): Promise<{ id: string; total: number; finished: Promise<Operation['status']> }> {
  const open = { ...filter, status: 'open' as const };
  const ids: string[] = [];
  let after: DeadLetterCursor | undefined;
  do {
    const page = await listDeadLetters(deps.db, open, { limit: PAGE, after });
    ids.push(...page.items.map((item) => item.id));
    after = page.next;
  } while (after);
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    await createOperation(tx, { id, kind: 'dead-letter.bulk-replay', request: { filter: open, mode }, total: ids.length, createdBy: operator.actor });
    await appendAudit(tx, { ...auditOf(operator, 'dead-letter.bulk-replay', '*', { operationId: id, mode, filter: open, total: ids.length }), resource: `operation/${id}` });
  });
  const finished = runBulkReplay(deps, id, ids, mode, operator);
  return { id, total: ids.length, finished };
}

async function runBulkReplay(deps: ReplayDeps, operationId: string, ids: string[], mode: ReplayMode, operator: Operator): Promise<Operation['status']> {
  let done = 0;
  let failed = 0;
  const errors: Operation['errors'] = [];
  const save = (finished?: Operation['status']) =>
    recordProgress(deps.db, operationId, { done, failed, errors, finished }).catch((error: unknown) => {
      deps.log.warn({ operationId, err: (error as Error).message }, 'bulk replay progress not recorded');
    });
  for (const id of ids) {
    try {
      await replayDeadLetter(deps, id, mode, operator);
      done++;
    } catch (error) {
      if (error instanceof DeadLetterNotOpenError) {
        done++;
      } else {
        failed++;
        errors.push({ item: id, error: (error as Error).message });
      }
    }
    if ((done + failed) % PROGRESS_EVERY === 0) await save();
  }
  const status = failed === 0 ? 'succeeded' : 'failed';
  await save(status);
  deps.log.info({ operationId, done, failed }, 'bulk replay finished');
  return status;
}

/** How many open dead letters a bulk replay would take now (dry run). */
export function countReplayable(db: Db, filter: DeadLetterFilter): Promise<number> {
  return countDeadLetters(db, { ...filter, status: 'open' });
}
