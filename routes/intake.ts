// Intake: what every inbound connector calls with a raw message. It translates the message at
// once (so the channel can answer precisely), commits raw message, claims and lineage in one
// transaction, and only then returns — the acknowledgement always follows the commit. The ingest
// job is enqueued after the commit; if Redis is away the recovery sweeper enqueues it later.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { GroupCommit } from '../store/group-commit.js';
import type { MessageStatus } from '../store/records.js';
import type { Queues } from './queues.js';
import type { RetryPolicy } from './retry-policy.js';
import { mappingStageUnit, type Translation, type Translator } from './stage-units.js';

export interface IncomingMessage {
  raw: string;
  contentType?: string;
  /** Source system id: the inbound connector or API client that delivered it. */
  source: string;
}

export interface Receipt {
  id: string;
  status: MessageStatus;
  /** Set when the same source already sent these exact bytes: `id` is then the first message. */
  duplicate: boolean;
  translation: Translation;
}

export interface IntakeDeps {
  commits: GroupCommit;
  translator: Translator;
  queues: Queues;
  ingestPolicy: RetryPolicy;
  log: Logger;
  /** Reads a stored message's status (for duplicate answers). */
  statusOf: (id: string) => Promise<MessageStatus | undefined>;
}

export class Intake {
  constructor(private readonly deps: IntakeDeps) {}

  async receive(incoming: IncomingMessage): Promise<Receipt> {
    const id = randomUUID();
    const receivedAt = new Date().toISOString();
    const translation = await this.deps.translator.translate({ ...incoming, messageId: id, receivedAt });
    const unit = mappingStageUnit(id, translation, 'intake');
    unit.newMessages = [{
      id,
      source: incoming.source,
      format: translation.format ?? null,
      messageType: translation.messageType ?? null,
      contentType: incoming.contentType ?? null,
      contentHash: createHash('sha256').update(incoming.raw).digest('hex'),
      raw: incoming.raw,
      status: 'received',
      error: null,
      controlIds: translation.controlNumbers,
      mapping: translation.mapping ?? null,
    }];
    unit.events = [{ messageId: id, event: 'received', actor: incoming.source, detail: { contentType: incoming.contentType, bytes: Buffer.byteLength(incoming.raw) } }, ...(unit.events ?? [])];
    const outcome = await this.deps.commits.commit(unit);
    const original = outcome.duplicates.get(id);
    if (original !== undefined) {
      return { id: original, status: (await this.deps.statusOf(original)) ?? 'received', duplicate: true, translation };
    }
    if (translation.ok) {
      await this.deps.queues.enqueueIngest(id, this.deps.ingestPolicy).catch((error: unknown) => {
        this.deps.log.warn({ messageId: id, err: (error as Error).message }, 'enqueue failed; the recovery sweeper will enqueue the stored message');
      });
    }
    return { id, status: translation.ok ? 'mapped' : 'failed', duplicate: false, translation };
  }
}
