// Writes a merged set of commit units in one transaction with one multi-row statement per table
// (rows travel as one jsonb parameter through jsonb_to_recordset), so the cost of a commit does
// not grow with the number of messages in it.
import type { Queryable } from './db.js';
import type { CommitOutcome, CommitUnit } from './records.js';

const INSERT_MESSAGES = `
  INSERT INTO messages (id, source, format, message_type, content_type, content_hash, raw, status,
                        error, control_ids, mapping, parent_id)
  SELECT id, source, format, message_type, content_type, content_hash, raw, status,
         error, coalesce(control_ids, '{}'::jsonb), mapping, parent_id
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, source text, format text, message_type text,
       content_type text, content_hash text, raw text, status text, error jsonb, control_ids jsonb,
       mapping text, parent_id uuid, ord int)
  ORDER BY ord
  ON CONFLICT (source, content_hash) DO NOTHING
  RETURNING id`;

const FIND_ORIGINALS = `
  SELECT m.id, m.source, m.content_hash FROM messages m
  JOIN jsonb_to_recordset($1::jsonb) AS r(source text, content_hash text)
    ON m.source = r.source AND m.content_hash = r.content_hash`;

const INSERT_CLAIMS = `
  INSERT INTO claims (id, message_id, seq, claim_number, claim_type, status, payer_id, payer_name,
                      billing_npi, member_id, total_charge, service_start, mapping, canonical)
  SELECT id, message_id, seq, claim_number, claim_type, status, payer_id, payer_name,
         billing_npi, member_id, total_charge, service_start, mapping, canonical
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, message_id uuid, seq int, claim_number text,
       claim_type text, status text, payer_id text, payer_name text, billing_npi text,
       member_id text, total_charge numeric, service_start date, mapping text, canonical jsonb)
  ON CONFLICT (message_id, seq) DO NOTHING`;

const INSERT_EVENTS = `
  INSERT INTO message_events (message_id, event, actor, destination, mapping, detail, error)
  SELECT message_id, event, actor, destination, mapping, detail, error
  FROM jsonb_to_recordset($1::jsonb) AS r(message_id uuid, event text, actor text,
       destination text, mapping text, detail jsonb, error jsonb, ord int)
  ORDER BY ord`;

const INSERT_DELIVERIES = `
  INSERT INTO deliveries (message_id, destination_id, attempts, receipt)
  SELECT message_id, destination_id, attempts, receipt
  FROM jsonb_to_recordset($1::jsonb) AS r(message_id uuid, destination_id text, attempts int, receipt jsonb)
  ON CONFLICT (message_id, destination_id) DO NOTHING`;

const INSERT_DEAD_LETTERS = `
  INSERT INTO dead_letters (id, message_id, stage, destination_id, error_class, error, attempts)
  SELECT id, message_id, stage, destination_id, error_class, error, attempts
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, message_id uuid, stage text,
       destination_id text, error_class text, error jsonb, attempts jsonb)
  ON CONFLICT (message_id, stage, destination_id) WHERE status = 'open' DO NOTHING`;

// `has_*` flags keep columns a stage did not mention as they are.
const UPDATE_STATUS = `
  UPDATE messages m SET
    status = r.status,
    updated_at = now(),
    error = CASE WHEN r.has_error THEN r.error ELSE m.error END,
    destinations = coalesce(r.destinations, m.destinations),
    mapping = coalesce(r.mapping, m.mapping),
    format = coalesce(r.format, m.format),
    message_type = coalesce(r.message_type, m.message_type)
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, status text, has_error boolean, error jsonb,
       destinations jsonb, mapping text, format text, message_type text)
  WHERE m.id = r.id`;

const SET_CLAIM_DESTINATIONS = `
  UPDATE claims c SET destinations = r.destinations, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, destinations jsonb)
  WHERE c.id = r.id`;

const COMPLETE_DELIVERIES = `
  UPDATE messages m SET status = 'delivered', updated_at = now(), error = NULL
  WHERE m.id = ANY($1::uuid[]) AND m.status <> 'delivered' AND m.destinations IS NOT NULL
    AND (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id) >= jsonb_array_length(m.destinations)
  RETURNING m.id`;

const json = (rows: unknown[]) => JSON.stringify(rows);

/** Writes the units as one; returns duplicates found among their new messages. */
export async function writeUnits(tx: Queryable, units: CommitUnit[]): Promise<CommitOutcome> {
  const outcome: CommitOutcome = { duplicates: new Map(), completed: new Set() };
  const newMessages = units.flatMap((u) => u.newMessages ?? []);
  if (newMessages.length > 0) {
    const inserted = await tx.query<{ id: string }>(INSERT_MESSAGES, [json(newMessages.map((m, ord) => ({
      id: m.id, source: m.source, format: m.format, message_type: m.messageType,
      content_type: m.contentType, content_hash: m.contentHash, raw: m.raw, status: m.status,
      error: m.error ?? null, control_ids: m.controlIds, mapping: m.mapping, parent_id: m.parentId ?? null, ord,
    })))]);
    if (inserted.rows.length < newMessages.length) {
      const kept = new Set(inserted.rows.map((r) => r.id));
      const dropped = newMessages.filter((m) => !kept.has(m.id));
      const originals = await tx.query<{ id: string; source: string; content_hash: string }>(FIND_ORIGINALS,
        [json(dropped.map((m) => ({ source: m.source, content_hash: m.contentHash })))]);
      const byKey = new Map(originals.rows.map((r) => [`${r.source}\u0000${r.content_hash}`, r.id]));
      for (const m of dropped) outcome.duplicates.set(m.id, byKey.get(`${m.source}\u0000${m.contentHash}`) ?? '');
    }
  }
  // Rows that hang off a message we did not insert (a duplicate) are dropped with it.
  const live = <T extends { messageId: string }>(rows: T[]) => rows.filter((r) => !outcome.duplicates.has(r.messageId));
  const claims = live(units.flatMap((u) => u.claims ?? []));
  if (claims.length > 0) {
    await tx.query(INSERT_CLAIMS, [json(claims.map((c) => ({
      id: c.id, message_id: c.messageId, seq: c.seq, claim_number: c.claimNumber, claim_type: c.claimType,
      status: c.status, payer_id: c.payerId, payer_name: c.payerName, billing_npi: c.billingNpi,
      member_id: c.memberId, total_charge: c.totalCharge, service_start: c.serviceStart,
      mapping: c.mapping, canonical: c.canonical,
    })))]);
  }
  const events = live(units.flatMap((u) => u.events ?? []));
  if (events.length > 0) {
    await tx.query(INSERT_EVENTS, [json(events.map((e, ord) => ({
      message_id: e.messageId, event: e.event, actor: e.actor, destination: e.destination ?? null,
      mapping: e.mapping ?? null, detail: e.detail ?? null, error: e.error ?? null, ord,
    })))]);
  }
  const deliveries = live(units.flatMap((u) => u.deliveries ?? []));
  if (deliveries.length > 0) {
    await tx.query(INSERT_DELIVERIES, [json(deliveries.map((d) => ({
      message_id: d.messageId, destination_id: d.destinationId, attempts: d.attempts, receipt: d.receipt ?? null,
    })))]);
  }
  const deadLetters = live(units.flatMap((u) => u.deadLetters ?? []));
  if (deadLetters.length > 0) {
    await tx.query(INSERT_DEAD_LETTERS, [json(deadLetters.map((d) => ({
      id: d.id, message_id: d.messageId, stage: d.stage, destination_id: d.destinationId,
      error_class: d.errorClass, error: d.error, attempts: d.attempts,
    })))]);
  }
  // The last update of a message in the batch wins, as if the units had committed one by one.
  const updates = new Map(live(units.flatMap((u) => u.statusUpdates ?? [])).map((s) => [s.messageId, s]));
  if (updates.size > 0) {
    await tx.query(UPDATE_STATUS, [json([...updates.values()].map((s) => ({
      id: s.messageId, status: s.status, has_error: 'error' in s, error: s.error ?? null,
      destinations: s.destinations ?? null, mapping: s.mapping ?? null, format: s.format ?? null,
      message_type: s.messageType ?? null,
    })))]);
  }
  const claimDestinations = units.flatMap((u) => u.claimDestinations ?? []);
  if (claimDestinations.length > 0) {
    await tx.query(SET_CLAIM_DESTINATIONS, [json(claimDestinations.map((c) => ({ id: c.claimId, destinations: c.destinations })))]);
  }
  const toComplete = [...new Set(units.flatMap((u) => u.completeDeliveries ?? []))];
  if (toComplete.length > 0) {
    const done = await tx.query<{ id: string }>(COMPLETE_DELIVERIES, [toComplete]);
    for (const row of done.rows) outcome.completed.add(row.id);
  }
  return outcome;
}
