// Intake: what every inbound connector calls with a raw message. It translates and routes the
// message at once (pure steps, so the channel can answer precisely), commits raw message, claims,
// routing and lineage in one transaction, and only then returns — the acknowledgement always
// follows the commit. Delivery jobs are enqueued after the commit; if Redis is away, the recovery
// sweeper enqueues the stored message later.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { TransientError } from '../canonical-model/errors.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { CommitUnit, MessageStatus } from '../store/records.js';
import type { Queues } from './queues.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Router } from './router.js';
import { mapAndRoute, type RoutingOutcome } from './routing-stage.js';
import { mappingStageUnit, type Translation, type Translator } from './stage-units.js';

const INTAKE_ACTOR = 'intake';

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
  /** Absent when the translator crashed: the message is stored and the ingest job retries it. */
  translation?: Translation;
}

export interface IntakeDeps {
  commits: GroupCommit;
  translator: Translator;
  router: Router;
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
    const translation = await this.deps.translator.translate({ ...incoming, messageId: id, receivedAt }).catch((error: unknown) => {
      // A translator crash is our fault, not the sender's: store the message untranslated and let
      // the ingest job retry it (and dead-letter it if it keeps failing).
      this.deps.log.error({ messageId: id, err: (error as Error).message }, 'translation crashed; the ingest job will retry');
      return undefined;
    });
    const { unit, routing } = translation ? await this.mapAndRoute(id, translation) : { unit: {}, routing: undefined };
    unit.newMessages = [
      {
        id,
        source: incoming.source,
        format: translation?.format ?? null,
        messageType: translation?.messageType ?? null,
        contentType: incoming.contentType ?? null,
        contentHash: createHash('sha256').update(incoming.raw).digest('hex'),
        raw: incoming.raw,
        status: 'received',
        error: null,
        controlIds: translation?.controlNumbers ?? {},
        mapping: translation?.mapping ?? null,
      },
    ];
    unit.events = [
      {
        messageId: id,
        event: 'received',
        actor: incoming.source,
        detail: { contentType: incoming.contentType, bytes: Buffer.byteLength(incoming.raw) },
      },
      ...(unit.events ?? []),
    ];
    const outcome = await this.deps.commits.commit(unit).catch((error: unknown) => {
      // Not stored means not accepted: the channel answers "try again" (503, HL7 AR, no 999).
      throw new TransientError('the message store is unavailable; the message was not accepted, send it again', { cause: error });
    });
    const original = outcome.duplicates.get(id);
    if (original !== undefined) {
      return { id: original, status: (await this.deps.statusOf(original)) ?? 'received', duplicate: true, translation };
    }
    const enqueued =
      translation && !translation.ok
        ? undefined
        : routing
          ? Promise.all(routing.destinations.map((d) => this.deps.queues.enqueueDelivery(id, d, routing.priority)))
          : this.deps.queues.enqueueIngest(id, this.deps.ingestPolicy);
    await enqueued?.catch((error: unknown) => {
      this.deps.log.warn(
        { messageId: id, err: (error as Error).message },
        'enqueue failed; the recovery sweeper will enqueue the stored message',
      );
    });
    const status: MessageStatus = !translation
      ? 'received'
      : !translation.ok
        ? 'failed'
        : !routing
          ? 'mapped'
          : routing.destinations.length > 0
            ? 'routed'
            : 'failed';
    return { id, status, duplicate: false, translation };
  }

  /** Maps and routes inline; an unexpected routing error leaves the message mapped for the ingest job. */
  private async mapAndRoute(id: string, translation: Translation): Promise<{ unit: CommitUnit; routing?: RoutingOutcome }> {
    try {
      return await mapAndRoute(this.deps.router, id, translation, INTAKE_ACTOR);
    } catch (error) {
      this.deps.log.warn({ messageId: id, err: (error as Error).message }, 'inline routing failed; the ingest job will route');
      return { unit: mappingStageUnit(id, translation, INTAKE_ACTOR) };
    }
  }
}
