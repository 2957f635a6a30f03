// Intake: what every inbound connector calls with a raw message. It translates and routes the
// message at once (pure steps, so the channel can answer precisely), commits raw message, claims,
// routing and lineage in one transaction, and only then returns — the acknowledgement always
// follows the commit, and the commit holds the message's audit record. Delivery jobs are enqueued
// after the commit; if Redis is away, the recovery sweeper enqueues the stored message later.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ClaimhubError, ParseError, TransientError } from '../canonical-model/errors.js';
import type { Acknowledgement, Acknowledger, IntakeOutcome } from '../connectors/acknowledger.js';
import type { Batch, BatchPart, BatchSplitter } from '../connectors/batch.js';
import { auditRecordOf } from '../store/audit.js';
import type { MessageReader } from '../store/messages.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { CommitUnit, MessageAudit, MessageStatus, NewMessage } from '../store/records.js';
import type { Queues } from './queues.js';
import { DuplicateControlIdError } from './errors.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Router } from './router.js';
import type { SubmittedClaimLookup } from './acknowledgement-stage.js';
import type { OpenClaimLookup } from './patient-update-stage.js';
import { mapAndRoute, mergeUnits, type RoutingOutcome } from './routing-stage.js';
import { mappingStageUnit, type Translation, type Translator } from './stage-units.js';

const INTAKE_ACTOR = 'intake';

export interface IncomingMessage {
  raw: string;
  contentType?: string;
  /** Source system id: the inbound connector or API client that delivered it. */
  source: string;
  /** Who submitted it through the API (the gateway sets it); without it the source itself is the actor of the audit record. */
  submitter?: Submitter;
  /** The sender's network address, when the connector knows it (an MLLP peer). */
  peer?: string;
}

/** The authenticated submitter of an API submission, as its audit record names it. */
export interface Submitter {
  actor: string;
  role: string;
  client?: string;
  requestId?: string;
  sourceIp?: string;
}

export interface Receipt {
  id: string;
  status: MessageStatus;
  /** Set when the same source already sent these exact bytes: `id` is then the first message. */
  duplicate: boolean;
  /** Absent when the translator crashed: the message is stored and the ingest job retries it. */
  translation?: Translation;
  /** A batch (X12 interchange): each part's own receipt, in order. */
  parts?: PartReceipt[];
  /** The protocol answer stored with the message (HL7 ACK; a batch's 999/TA1); a duplicate gets its original's. */
  acknowledgement?: Acknowledgement;
  /** A batch that could not be read at all (no parts): why. */
  error?: ClaimhubError;
}

export interface PartReceipt {
  id: string;
  status: MessageStatus;
  controlIds: Record<string, string>;
  messageType: string | null;
  translation?: Translation;
}

export interface IntakeDeps {
  commits: GroupCommit;
  translator: Translator;
  router: Router;
  queues: Queues;
  ingestPolicy: RetryPolicy;
  log: Logger;
  /** Reads the stored original of a duplicate (its status, bytes and acknowledgement). */
  reader: Pick<MessageReader, 'message' | 'acknowledgement'>;
  /** Per-message acknowledgements and sender keys (HL7); without it only batches are acknowledged. */
  acknowledger?: Acknowledger;
  /** Recognises batch payloads (X12 interchanges); without it every payload is one message. */
  splitBatch?: BatchSplitter;
  /** Finds the claims an inbound acknowledgement (999) answers; without it acknowledgements touch no claim. */
  submittedClaims?: SubmittedClaimLookup;
  /** Finds a patient's open claims for an inbound patient update (ADT); without it updates touch no claim. */
  openClaims?: OpenClaimLookup;
}

export class Intake {
  /** Enqueues not settled yet (the answer does not wait for them). */
  private readonly enqueuing = new Set<Promise<unknown>>();

  constructor(private readonly deps: IntakeDeps) {}

  /** Resolves once every enqueue started so far has settled (shutdown, before the queues close). */
  async drain(): Promise<void> {
    while (this.enqueuing.size > 0) await Promise.all([...this.enqueuing]);
  }

  /**
   * Stores one payload and answers. By default the message is translated and routed first, so the
   * answer can name any content error. With `deferTranslation` only what is cheap is checked first
   * (it parses, a mapping takes its type): the answer then follows the commit alone, and the
   * translation runs in the ingest job, where a content error becomes a dead letter instead.
   */
  async receive(incoming: IncomingMessage, options: { deferTranslation?: boolean } = {}): Promise<Receipt> {
    refuseUnstorable(incoming.raw);
    const batch = await this.deps.splitBatch?.(incoming.raw, incoming.contentType).catch((error: unknown) => {
      // Unreadable as a batch (an X12 ISA that cannot be read): stored and answered as one failed message below.
      if (error instanceof ClaimhubError) return undefined;
      throw error;
    });
    if (batch) return this.receiveBatch(incoming, batch);
    const id = randomUUID();
    const checked = options.deferTranslation ? this.deps.translator.check(incoming) : undefined;
    // A check that passed leaves the message untranslated (stored `received`, for the ingest job).
    const translation = checked
      ? checked.ok
        ? undefined
        : checked
      : await this.translate({ ...incoming, messageId: id, receivedAt: new Date().toISOString() });
    const { unit, routing, released } = translation ? await this.mapAndRoute(id, translation) : { unit: {}, routing: undefined, released: [] };
    // A sender's own message key (HL7 MSH-3/4/10) makes a resend a duplicate even with a renewed timestamp.
    const key = this.deps.acknowledger?.duplicateKey(incoming.raw, incoming.contentType);
    const acknowledgement = this.acknowledge(incoming, translation);
    // What the header says, for operators to find a message its translation could not read.
    const read = translation ?? (checked?.ok ? checked : undefined);
    const header = read?.messageType ? undefined : this.deps.acknowledger?.identify(incoming.raw, incoming.contentType);
    const controlIds = read && Object.keys(read.controlNumbers).length > 0 ? read.controlNumbers : (header?.controlIds ?? {});
    const message: NewMessage = {
      id,
      source: incoming.source,
      format: read?.format ?? null,
      messageType: read?.messageType ?? header?.messageType ?? null,
      contentType: incoming.contentType ?? null,
      contentHash: key === undefined ? sha256(incoming.raw) : sha256(`key\u0000${key}`),
      raw: incoming.raw,
      status: 'received',
      error: null,
      controlIds,
      mapping: read?.mapping ?? null,
      ack: acknowledgement?.text ?? null,
      ackContentType: acknowledgement?.contentType ?? null,
    };
    const status = statusOf(translation, routing);
    unit.newMessages = [message];
    unit.events = [
      {
        messageId: id,
        event: 'received',
        actor: incoming.source,
        detail: { contentType: incoming.contentType, bytes: Buffer.byteLength(incoming.raw) },
      },
      ...(unit.events ?? []),
    ];
    unit.audit = [receiptAudit(incoming, message, status)];
    const outcome = await this.commit(unit);
    const original = outcome.duplicates.get(id);
    if (original !== undefined) return this.duplicateOf(incoming, original, translation, key);
    this.enqueue(id, translation, routing, released);
    return { id, status, duplicate: false, translation, ...(acknowledgement ? { acknowledgement } : {}) };
  }

  /**
   * The answer to a message the store already holds: its original's receipt and acknowledgement.
   * Under a sender's key, different content is not a resend but a reused control id: that message
   * is stored failed (an operator can replay it) and answered with the conflict.
   */
  private async duplicateOf(incoming: IncomingMessage, originalId: string, translation: Translation | undefined, key: string | undefined): Promise<Receipt> {
    const original = await this.deps.reader.message(originalId);
    if (key !== undefined && original && !this.deps.acknowledger!.sameMessage(incoming.raw, original.raw, incoming.contentType)) {
      return this.receiveConflict(incoming, key.slice(key.lastIndexOf('|') + 1), original, translation);
    }
    const acknowledgement = await this.deps.reader.acknowledgement(originalId);
    return {
      id: originalId,
      status: original?.status ?? 'received',
      duplicate: true,
      translation,
      ...(acknowledgement ? { acknowledgement } : {}),
    };
  }

  private async receiveConflict(
    incoming: IncomingMessage,
    controlId: string,
    original: { id: string; receivedAt: string },
    translation: Translation | undefined,
  ): Promise<Receipt> {
    const id = randomUUID();
    const originalId = original.id;
    const error = DuplicateControlIdError.of(controlId, originalId, original.receivedAt);
    const refused: Translation = {
      format: translation?.format,
      messageType: translation?.messageType,
      controlNumbers: translation?.controlNumbers ?? {},
      ok: false,
      stage: 'parse',
      error,
    };
    const acknowledgement = this.acknowledge(incoming, refused);
    const unit = mappingStageUnit(id, refused, INTAKE_ACTOR);
    const message: NewMessage = {
      id,
      source: incoming.source,
      format: refused.format ?? null,
      messageType: refused.messageType ?? null,
      contentType: incoming.contentType ?? null,
      contentHash: sha256(incoming.raw),
      raw: incoming.raw,
      status: 'received',
      error: null,
      controlIds: refused.controlNumbers,
      mapping: null,
      ack: acknowledgement?.text ?? null,
      ackContentType: acknowledgement?.contentType ?? null,
    };
    unit.newMessages = [message];
    unit.events = [{ messageId: id, event: 'received', actor: incoming.source, detail: { duplicateOf: originalId } }, ...(unit.events ?? [])];
    unit.audit = [receiptAudit(incoming, message, 'failed')];
    const outcome = await this.commit(unit);
    const again = outcome.duplicates.get(id);
    // The same conflicting bytes once more: answered as the first conflict was.
    if (again !== undefined) {
      const stored = await this.deps.reader.acknowledgement(again);
      return { id: again, status: 'failed', duplicate: true, translation: refused, ...(stored ? { acknowledgement: stored } : {}) };
    }
    return { id, status: 'failed', duplicate: false, translation: refused, ...(acknowledgement ? { acknowledgement } : {}) };
  }

  /** The sender's answer to a message about to be stored (an accepted one is acknowledged only after the commit, by the caller). */
  private acknowledge(incoming: IncomingMessage, translation: Translation | undefined): Acknowledgement | undefined {
    if (!this.deps.acknowledger) return undefined;
    return this.deps.acknowledger.acknowledge(incoming.raw, incoming.contentType, outcomeOf(translation));
  }

  /** The answer to a message that was not stored (store down, refused before storing). */
  refusal(incoming: Pick<IncomingMessage, 'raw' | 'contentType'>, error: Error): Acknowledgement | undefined {
    const outcome: IntakeOutcome = error instanceof ClaimhubError && error.permanent ? { kind: 'refused', error } : { kind: 'not-stored', error };
    return this.deps.acknowledger?.acknowledge(incoming.raw, incoming.contentType, outcome);
  }

  /**
   * A batch: the payload is stored as the parent (status `split`, with the acknowledgement) and each
   * part as a child message, translated and routed like any message — all in one commit, so the
   * acknowledgement never promises a part that is not stored. Rejected parts are stored failed.
   */
  private async receiveBatch(incoming: IncomingMessage, batch: Batch): Promise<Receipt> {
    const parentId = randomUUID();
    const receivedAt = new Date().toISOString();
    const parts = await Promise.all(batch.parts.map((part) => this.receivePart(incoming, batch.format, part, receivedAt)));
    const acknowledgement =
      batch.acknowledgement ??
      this.deps.acknowledger?.acknowledgeBatch(
        incoming.raw,
        incoming.contentType,
        parts.map((part) => ({ raw: part.part.raw, outcome: outcomeOf(part.translation) })),
        batch.rejection,
      );
    const anyAccepted = !batch.rejection && parts.some((part) => !part.part.rejection);
    const contentHash = sha256(incoming.raw);
    const parent: NewMessage = {
      id: parentId,
      source: incoming.source,
      format: batch.format,
      messageType: batch.messageType,
      contentType: incoming.contentType ?? null,
      contentHash,
      raw: incoming.raw,
      status: anyAccepted ? 'split' : 'failed',
      error: anyAccepted
        ? null
        : batch.rejection
          ? batch.rejection.toJSON()
          : { class: 'parse', message: `every part of the ${batch.messageType} was rejected`, issues: parts.flatMap((p) => p.part.rejection?.issues ?? []).slice(0, 50) },
      controlIds: batch.controlIds,
      mapping: null,
      ack: acknowledgement?.text ?? null,
      ackContentType: acknowledgement?.contentType ?? null,
    };
    const unit = mergeUnits(
      {
        newMessages: [parent],
        events: [
          {
            messageId: parentId,
            event: 'received',
            actor: incoming.source,
            detail: { contentType: incoming.contentType, bytes: Buffer.byteLength(incoming.raw), parts: parts.length },
          },
        ],
      },
      // Unreadable as a whole: nothing else holds it for an operator, so it fails (with its dead letter) as any unparsable message does.
      batch.rejection
        ? mappingStageUnit(
            parentId,
            { format: batch.format, controlNumbers: batch.controlIds, ok: false, stage: 'parse', error: batch.rejection },
            INTAKE_ACTOR,
          )
        : {},
      ...parts.map((part, index) => {
        part.unit.newMessages = [
          {
            id: part.id,
            source: incoming.source,
            format: part.translation?.format ?? batch.format,
            messageType: part.translation?.messageType ?? part.part.messageType,
            contentType: part.part.contentType,
            // Duplicates are the parent's to detect (a single-set interchange is byte for byte its own part):
            // a part's key derives from its parent's, so a resent interchange drops its parts with it.
            contentHash: sha256(`${contentHash}:${index}`),
            raw: part.part.raw,
            status: 'received',
            error: null,
            controlIds: part.part.controlIds,
            mapping: part.translation?.mapping ?? null,
            parentId,
          },
        ];
        part.unit.events = [
          { messageId: part.id, event: 'received', actor: incoming.source, detail: { parentId, controlIds: part.part.controlIds } },
          ...(part.unit.events ?? []),
        ];
        return part.unit;
      }),
    );
    // One record for the batch: its parts are stored with it or not at all, and each names it as parent.
    unit.audit = [receiptAudit(incoming, parent, parent.status, parts.length)];
    const outcome = await this.commit(unit);
    const original = outcome.duplicates.get(parentId);
    if (original !== undefined) {
      const stored = (await this.deps.reader.acknowledgement(original)) ?? acknowledgement;
      return { id: original, status: (await this.deps.reader.message(original))?.status ?? 'split', duplicate: true, ...(stored ? { acknowledgement: stored } : {}) };
    }
    const receipts = parts.map((part): PartReceipt => {
      this.enqueue(part.id, part.translation, part.routing, part.released);
      return {
        id: part.id,
        status: statusOf(part.translation, part.routing),
        controlIds: part.part.controlIds,
        messageType: part.translation?.messageType ?? part.part.messageType,
        translation: part.translation,
      };
    });
    return {
      id: parentId,
      status: parent.status,
      duplicate: false,
      parts: receipts,
      ...(acknowledgement ? { acknowledgement } : {}),
      ...(batch.rejection ? { error: batch.rejection } : {}),
    };
  }

  /** Translates and routes one part of a batch (a rejected part only gets its failure recorded). */
  private async receivePart(incoming: IncomingMessage, format: string, part: BatchPart, receivedAt: string) {
    const id = randomUUID();
    const translation: Translation | undefined = part.rejection
      ? { format, messageType: part.messageType ?? undefined, controlNumbers: part.controlIds, ok: false, stage: 'parse', error: part.rejection }
      : await this.translate({ raw: part.raw, contentType: part.contentType, source: incoming.source, messageId: id, receivedAt });
    const { unit, routing, released } = translation
      ? await this.mapAndRoute(id, translation)
      : { unit: {} as CommitUnit, routing: undefined, released: [] };
    return { id, part, translation, unit, routing, released };
  }

  /**
   * A translator crash is our fault, not the sender's: the message is stored untranslated (undefined
   * here) and the ingest job retries it, dead-lettering it if it keeps failing.
   */
  private translate(input: Parameters<Translator['translate']>[0] & { messageId: string }): Promise<Translation | undefined> {
    return this.deps.translator.translate(input).catch((error: unknown) => {
      this.deps.log.error({ messageId: input.messageId, err: (error as Error).message }, 'translation crashed; the ingest job will retry');
      return undefined;
    });
  }

  /** Not stored means not accepted: the channel answers "try again" (503, HL7 AR, no 999). */
  private commit(unit: CommitUnit) {
    return this.deps.commits.commit(unit).catch((error: unknown) => {
      throw new TransientError('the message store is unavailable; the message was not accepted, send it again', { cause: error });
    });
  }

  /** After the commit: enqueues what the message needs next (and the messages of held claims it released). */
  private enqueue(id: string, translation: Translation | undefined, routing: RoutingOutcome | undefined, released: string[] = []): void {
    const next =
      translation && !translation.ok
        ? undefined
        : routing
          ? Promise.all(routing.destinations.map((d) => this.deps.queues.enqueueDelivery(id, d, routing.priority)))
          : this.deps.queues.enqueueIngest(id, this.deps.ingestPolicy);
    const enqueued =
      released.length > 0 ? Promise.all([next, ...released.map((m) => this.deps.queues.enqueueIngest(m, this.deps.ingestPolicy))]) : next;
    // The answer waits for the commit, not for Redis: a job lost here is re-enqueued by the
    // recovery sweeper from the stored status. Shutdown waits for these (drain()).
    if (enqueued) {
      const pending: Promise<unknown> = enqueued.catch((error: unknown) => {
        this.deps.log.warn(
          { messageId: id, err: (error as Error).message },
          'enqueue failed; the recovery sweeper will enqueue the stored message',
        );
      });
      this.enqueuing.add(pending);
      void pending.finally(() => this.enqueuing.delete(pending));
    }
  }

  /** Maps and routes inline; an unexpected routing error leaves the message mapped for the ingest job. */
  private async mapAndRoute(id: string, translation: Translation): Promise<{ unit: CommitUnit; routing?: RoutingOutcome; released: string[] }> {
    try {
      return await mapAndRoute(this.deps.router, id, translation, INTAKE_ACTOR, this.deps.submittedClaims, this.deps.openClaims);
    } catch (error) {
      this.deps.log.warn({ messageId: id, err: (error as Error).message }, 'inline routing failed; the ingest job will route');
      return { unit: mappingStageUnit(id, translation, INTAKE_ACTOR), released: [] };
    }
  }
}

/** The status a message is stored with, by what intake made of it. */
function statusOf(translation: Translation | undefined, routing: RoutingOutcome | undefined): MessageStatus {
  if (!translation) return 'received';
  if (!translation.ok) return 'failed';
  if (!routing) return 'mapped';
  return routing.destinations.length > 0 ? 'routed' : routing.held ? 'held' : 'failed';
}

/**
 * The audit record of a stored message, written in the transaction that stores it. Never PHI: the
 * submitter, ids, format, type and status; a batch's count of parts.
 */
function receiptAudit(incoming: IncomingMessage, message: NewMessage, status: MessageStatus, parts?: number): MessageAudit {
  const submitter = incoming.submitter ?? { actor: `source:${incoming.source}`, role: 'source' };
  return {
    messageId: message.id,
    record: auditRecordOf({ ...submitter, sourceIp: submitter.sourceIp ?? incoming.peer }, 'message.receive', `message/${message.id}`, {
      source: incoming.source,
      format: message.format,
      messageType: message.messageType,
      status,
      ...(parts === undefined ? {} : { parts }),
    }),
  };
}

/** What a translation means to the sender: stored and refused, or stored and accepted (an untranslated message is ours to retry). */
function outcomeOf(translation: Translation | undefined): IntakeOutcome {
  return translation && !translation.ok ? { kind: 'refused', error: translation.error } : { kind: 'accepted' };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A NUL character cannot be kept in a text column, so such a payload could never be stored: it is
 * refused at once, where it stands, rather than answered "try again" forever. (No healthcare text
 * format allows NUL; a file source moves such files to its error folder.)
 */
function refuseUnstorable(raw: string): void {
  const at = raw.indexOf('\u0000');
  if (at === -1) return;
  const before = raw.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const message = `the message holds a NUL character at line ${line} column ${column}: it is binary or damaged, and cannot be stored`;
  throw new ParseError(message, [{ path: `line ${line} column ${column}`, rule: 'nul-character', message }]);
}
