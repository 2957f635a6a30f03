// Group commit: concurrent stages hand in their writes; after a short linger (or when the batch is
// full) they are committed together in one statement (batch-write.ts), with the audit records of the
// messages they store. Durability then costs one commit per batch, not per message. If a batch
// fails, its units are retried one by one so a bad unit fails alone.
import { appendAuditMany } from './audit.js';
import type { Db } from './db.js';
import { completeAfterCommit, writeUnits } from './batch-write.js';
import type { CommitOutcome, CommitUnit } from './records.js';

export interface GroupCommitOptions {
  /** How long the first unit of a batch waits for company, in ms. */
  lingerMs?: number;
  maxBatch?: number;
  /** Batches committing at once (PostgreSQL pools allow a few; PGlite has one connection). */
  concurrency?: number;
}

interface Pending {
  unit: CommitUnit;
  resolve: (outcome: CommitOutcome) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    options: GroupCommitOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
    this.concurrency = options.concurrency ?? (db.kind === 'pglite' ? 1 : 3);
  }

  /** Resolves once the unit is durably committed. */
  commit(unit: CommitUnit): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything handed in so far is committed (shutdown). */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.inFlight >= this.concurrency) return; // the running flush picks the queue up
    if (this.queue.length >= this.maxBatch) {
      this.flush();
    } else if (!this.timer && this.queue.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.lingerMs);
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    void this.write(batch).finally(() => {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
      else if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    });
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const outcome = await writeAudited(
        this.db,
        batch.map((p) => p.unit),
      );
      batch.forEach((p) => p.resolve(outcome));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) {
        try {
          pending.resolve(await writeAudited(this.db, [pending.unit]));
        } catch (unitError) {
          pending.reject(unitError);
        }
      }
    }
  }
}

/**
 * One statement is atomic by itself; units with audit records (new messages) take a transaction, so
 * the records of the messages actually stored (not duplicates) are appended with them: one lock,
 * one SELECT and one INSERT for the whole batch, after its row locks.
 */
async function writeAudited(db: Db, units: CommitUnit[]): Promise<CommitOutcome> {
  const audit = units.flatMap((unit) => unit.audit ?? []);
  const outcome =
    audit.length === 0
      ? await writeUnits(db, units)
      : await db.transaction(async (tx) => {
          const written = await writeUnits(tx, units);
          await appendAuditMany(
            tx,
            audit.filter((entry) => !written.duplicates.has(entry.messageId)).map((entry) => entry.record),
          );
          return written;
        });
  // Committed already: a failure here must not fail (and so retry) the batch. A message it leaves
  // routed is completed when the recovery sweep redelivers it and finds every delivery made.
  await completeAfterCommit(db, units, outcome).catch(() => undefined);
  return outcome;
}
