// Runs one stage of one message inside a BullMQ job and decides what a failure means: permanent
// errors and the last attempt become a dead letter in the store (and the job ends for good);
// anything else is thrown back to BullMQ, which retries it with our backoff.
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ClaimhubError } from '../canonical-model/errors.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageReader } from '../store/messages.js';
import type { JobData } from './queues.js';

export interface StageFailureContext {
  stage: string;
  destinationId?: string;
  actor: string;
}

/** The stored form of any error: typed errors keep their class and issues. */
export function errorRecord(error: unknown): { class: string; message: string; issues: unknown[] } {
  if (error instanceof ClaimhubError) return error.toJSON();
  return { class: 'internal', message: error instanceof Error ? error.message : String(error), issues: [] };
}

export function isPermanent(error: unknown): boolean {
  return error instanceof ClaimhubError && error.permanent;
}

export function stageProcessor(
  commits: GroupCommit,
  reader: MessageReader,
  log: Logger,
  context: StageFailureContext,
  work: (job: Job<JobData>) => Promise<void>,
): (job: Job<JobData>) => Promise<void> {
  return async (job) => {
    try {
      await work(job);
    } catch (error) {
      const messageId = job.data.messageId;
      const attempt = job.attemptsMade + 1;
      const last = attempt >= (job.opts.attempts ?? 1);
      const record = { ...errorRecord(error), attempt, at: new Date().toISOString() };
      const destination = context.destinationId ?? null;
      if (isPermanent(error) || last) {
        const earlier = await reader.failedAttempts(messageId, context.stage, destination).catch(() => []);
        await commits.commit({
          events: [
            {
              messageId,
              event: 'dead-lettered',
              actor: context.actor,
              destination,
              detail: { stage: context.stage, attempts: attempt },
              error: record,
            },
          ],
          deadLetters: [
            {
              id: randomUUID(),
              messageId,
              stage: context.stage,
              destinationId: context.destinationId ?? '',
              errorClass: record.class,
              error: record,
              attempts: [...earlier, record],
            },
          ],
          statusUpdates: [{ messageId, status: 'dead-lettered', error: record }],
        });
        log.warn({ messageId, stage: context.stage, destination, attempt, errorClass: record.class }, 'dead-lettered');
        throw new UnrecoverableError(record.message);
      }
      // Lineage of every failed attempt; losing this event must not stop the retry.
      await commits
        .commit({
          events: [
            {
              messageId,
              event: 'failed',
              actor: context.actor,
              destination,
              detail: { stage: context.stage, attempt, retrying: true },
              error: record,
            },
          ],
        })
        .catch(() => undefined);
      log.info({ messageId, stage: context.stage, destination, attempt, errorClass: record.class }, 'attempt failed, will retry');
      throw error;
    }
  };
}
