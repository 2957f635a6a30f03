// Reading messages, their lineage and their claims: what workers load and what operators see.
import type { Queryable } from './db.js';
import { BatchLoader } from './batch-load.js';
import type { MessageStatus } from './records.js';

export interface StoredMessage {
  id: string;
  source: string;
  format: string | null;
  messageType: string | null;
  contentType: string | null;
  raw: string;
  status: MessageStatus;
  destinations: string[] | null;
  receivedAt: string;
  controlIds: Record<string, string>;
}

export interface MessageEvent {
  at: string;
  event: string;
  actor: string;
  destination?: string;
  mapping?: string;
  detail?: unknown;
  error?: unknown;
}

export interface MessageView {
  id: string;
  status: MessageStatus;
  source: string;
  format: string | null;
  messageType: string | null;
  receivedAt: string;
  updatedAt: string;
  controlIds: Record<string, string>;
  mapping: string | null;
  destinations: string[] | null;
  error?: unknown;
  claims: { id: string; seq: number; claimNumber: string; status: string }[];
  deliveries: { destination: string; deliveredAt: string; attempts: number }[];
  events: MessageEvent[];
  /** The batch (X12 interchange) this message is a part of. */
  parentId?: string;
  /** A batch's parts (its transaction sets), in order. */
  parts?: { id: string; status: MessageStatus; messageType: string | null; controlIds: Record<string, string>; error?: unknown }[];
  /** Whether an acknowledgement was sent back (read it at /ack). */
  acknowledgement?: { contentType: string };
}

export interface StoredAcknowledgement {
  contentType: string;
  text: string;
}

export interface StoredClaim {
  id: string;
  messageId: string;
  seq: number;
  claimNumber: string;
  canonical: Record<string, unknown>;
  destinations: string[] | null;
}

export interface InFlightCursor {
  id: string;
  status: MessageStatus;
  updatedAt: string;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

type MessageRow = {
  id: string;
  source: string;
  format: string | null;
  message_type: string | null;
  content_type: string | null;
  raw: string;
  status: MessageStatus;
  destinations: string[] | null;
  received_at: Date;
  control_ids: Record<string, string>;
};

export class MessageReader {
  private readonly messages: BatchLoader<string, StoredMessage>;
  private readonly claims: BatchLoader<string, StoredClaim>;
  private readonly deliveries: BatchLoader<string, { messageId: string; destinationId: string }>;

  constructor(private readonly db: Queryable) {
    this.messages = new BatchLoader(
      async (ids) => {
        const { rows } = await db.query<MessageRow>(
          `SELECT id, source, format, message_type, content_type, raw, status, destinations, received_at, control_ids
         FROM messages WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        return rows.map((r) => ({
          id: r.id,
          source: r.source,
          format: r.format,
          messageType: r.message_type,
          contentType: r.content_type,
          raw: r.raw,
          status: r.status,
          destinations: r.destinations,
          receivedAt: iso(r.received_at),
          controlIds: r.control_ids,
        }));
      },
      (m) => m.id,
    );
    this.claims = new BatchLoader(
      async (ids) => {
        const { rows } = await db.query<{
          id: string;
          message_id: string;
          seq: number;
          claim_number: string;
          canonical: Record<string, unknown>;
          destinations: string[] | null;
        }>(
          `SELECT id, message_id, seq, claim_number, canonical, destinations FROM claims WHERE message_id = ANY($1::uuid[])
           UNION ALL
           SELECT id, message_id, seq, business_key, canonical, destinations FROM canonical_objects WHERE message_id = ANY($1::uuid[])
           ORDER BY seq`,
          [ids],
        );
        return rows.map((r) => ({
          id: r.id,
          messageId: r.message_id,
          seq: r.seq,
          claimNumber: r.claim_number,
          canonical: r.canonical,
          destinations: r.destinations,
        }));
      },
      (c) => c.messageId,
    );
    this.deliveries = new BatchLoader(
      async (ids) => {
        const { rows } = await db.query<{ message_id: string; destination_id: string }>(
          'SELECT message_id, destination_id FROM deliveries WHERE message_id = ANY($1::uuid[])',
          [ids],
        );
        return rows.map((r) => ({ messageId: r.message_id, destinationId: r.destination_id }));
      },
      (d) => d.messageId,
    );
  }

  async message(id: string): Promise<StoredMessage | undefined> {
    return (await this.messages.get(id))[0];
  }

  claimsOf(messageId: string): Promise<StoredClaim[]> {
    return this.claims.get(messageId);
  }

  async deliveredTo(messageId: string): Promise<Set<string>> {
    return new Set((await this.deliveries.get(messageId)).map((d) => d.destinationId));
  }

  /** Destinations whose delivery of the message is an open dead letter: an operator decides about those. */
  async deadLetteredTo(messageId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ destination_id: string }>(
      "SELECT destination_id FROM dead_letters WHERE message_id = $1 AND stage = 'deliver' AND status = 'open'",
      [messageId],
    );
    return new Set(rows.map((row) => row.destination_id));
  }

  /** One message as an operator sees it: status, error, claims, deliveries and lineage. */
  async view(id: string): Promise<MessageView | undefined> {
    const { rows } = await this.db.query<
      MessageRow & { updated_at: Date; error: unknown; mapping: string | null; parent_id: string | null; ack_content_type: string | null }
    >(
      `SELECT id, source, format, message_type, content_type, status, destinations, received_at, updated_at,
              control_ids, error, mapping, parent_id, ack_content_type FROM messages WHERE id = $1`,
      [id],
    );
    const m = rows[0];
    if (!m) return undefined;
    const [events, claims, deliveries, parts] = await Promise.all([
      this.db.query<{
        at: Date;
        event: string;
        actor: string;
        destination: string | null;
        mapping: string | null;
        detail: unknown;
        error: unknown;
      }>('SELECT at, event, actor, destination, mapping, detail, error FROM message_events WHERE message_id = $1 ORDER BY id', [id]),
      this.db.query<{ id: string; seq: number; claim_number: string; status: string }>(
        `SELECT id, seq, claim_number, status FROM claims WHERE message_id = $1
         UNION ALL SELECT id, seq, coalesce(business_key, resource_type), status FROM canonical_objects WHERE message_id = $1
         ORDER BY seq`,
        [id],
      ),
      this.db.query<{ destination_id: string; delivered_at: Date; attempts: number }>(
        'SELECT destination_id, delivered_at, attempts FROM deliveries WHERE message_id = $1 ORDER BY delivered_at',
        [id],
      ),
      m.status === 'split' || m.ack_content_type !== null
        ? this.db.query<{ id: string; status: MessageStatus; message_type: string | null; control_ids: Record<string, string>; error: unknown }>(
            'SELECT id, status, message_type, control_ids, error FROM messages WHERE parent_id = $1 ORDER BY received_at, id',
            [id],
          )
        : undefined,
    ]);
    return {
      id: m.id,
      status: m.status,
      source: m.source,
      format: m.format,
      messageType: m.message_type,
      receivedAt: iso(m.received_at),
      updatedAt: iso(m.updated_at),
      controlIds: m.control_ids,
      mapping: m.mapping,
      destinations: m.destinations,
      ...(m.error ? { error: m.error } : {}),
      ...(m.parent_id ? { parentId: m.parent_id } : {}),
      ...(parts && parts.rows.length > 0
        ? {
            parts: parts.rows.map((p) => ({
              id: p.id,
              status: p.status,
              messageType: p.message_type,
              controlIds: p.control_ids,
              ...(p.error ? { error: p.error } : {}),
            })),
          }
        : {}),
      ...(m.ack_content_type ? { acknowledgement: { contentType: m.ack_content_type } } : {}),
      claims: claims.rows.map((c) => ({ id: c.id, seq: c.seq, claimNumber: c.claim_number, status: c.status })),
      deliveries: deliveries.rows.map((d) => ({ destination: d.destination_id, deliveredAt: iso(d.delivered_at), attempts: d.attempts })),
      events: events.rows.map((e) => ({
        at: iso(e.at),
        event: e.event,
        actor: e.actor,
        ...(e.destination ? { destination: e.destination } : {}),
        ...(e.mapping ? { mapping: e.mapping } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
        ...(e.error ? { error: e.error } : {}),
      })),
    };
  }

  /** The acknowledgement sent back for a message (999/TA1 text), if one was. */
  async acknowledgement(id: string): Promise<StoredAcknowledgement | undefined> {
    return (await this.acknowledgementOf(id))?.acknowledgement;
  }

  /** A message's source and its acknowledgement, if any; undefined when there is no such message. Never reads the payload. */
  async acknowledgementOf(id: string): Promise<{ source: string; acknowledgement?: StoredAcknowledgement } | undefined> {
    const { rows } = await this.db.query<{ source: string; ack: string | null; ack_content_type: string | null }>(
      'SELECT source, ack, ack_content_type FROM messages WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { source: row.source, ...(row.ack != null ? { acknowledgement: { contentType: row.ack_content_type ?? 'text/plain', text: row.ack } } : {}) };
  }

  /** Errors of the earlier failed attempts of one stage (the attempt history of a dead letter). */
  async failedAttempts(messageId: string, stage: string, destination: string | null): Promise<unknown[]> {
    const { rows } = await this.db.query<{ error: unknown }>(
      `SELECT error FROM message_events
       WHERE message_id = $1 AND event = 'failed' AND detail->>'stage' = $2 AND destination IS NOT DISTINCT FROM $3
       ORDER BY id`,
      [messageId, stage, destination],
    );
    return rows.map((r) => r.error);
  }

  /** Messages whose status says work is pending, oldest first, a page after `after` (keyset). */
  async inFlight(olderThanSeconds: number, limit: number, after?: InFlightCursor): Promise<InFlightCursor[]> {
    // updated_at travels as text: a Date would cut microseconds and the cursor would stand still.
    const { rows } = await this.db.query<{ id: string; status: MessageStatus; updated_at: string }>(
      `SELECT id, status, updated_at::text AS updated_at FROM messages
       WHERE status IN ('received', 'mapped', 'routed') AND updated_at < now() - make_interval(secs => $1)
         AND ($3::timestamptz IS NULL OR (updated_at, id) > ($3::timestamptz, $4::uuid))
       ORDER BY updated_at, id LIMIT $2`,
      [olderThanSeconds, limit, after?.updatedAt ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, updatedAt: r.updated_at }));
  }
}
