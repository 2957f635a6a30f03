// Writes a merged set of commit units as ONE SQL statement: data-modifying CTEs, one multi-row
// insert or update per table, rows travelling as jsonb parameters through jsonb_to_recordset.
// A single statement is atomic without BEGIN/COMMIT, so a commit of any number of messages costs
// one round trip — that is what makes group commit cheap.
//
// One statement sees one snapshot: a CTE cannot update a row another CTE inserts. So what would
// update rows of this batch is folded into them beforehand (fold-units.ts), and the completion
// check counts this batch's deliveries beside the stored ones.
import type { Queryable } from './db.js';
import { foldUnits } from './fold-units.js';
import { openClaimSql } from './open-claims.js';
import type { CommitOutcome, CommitUnit } from './records.js';

const BATCH_STATEMENT = `
WITH
new_messages AS (
  INSERT INTO messages (id, source, format, message_type, content_type, content_hash, raw, status,
                        error, control_ids, destinations, mapping, parent_id, ack, ack_content_type)
  SELECT id, source, format, message_type, content_type, content_hash, raw, status,
         error, coalesce(control_ids, '{}'::jsonb), destinations, mapping, parent_id, ack, ack_content_type
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, source text, format text, message_type text,
       content_type text, content_hash text, raw text, status text, error jsonb, control_ids jsonb,
       destinations jsonb, mapping text, parent_id uuid, ack text, ack_content_type text, ord int)
  ORDER BY ord
  ON CONFLICT (source, content_hash) DO NOTHING
  RETURNING id),
duplicates AS (
  SELECT r.id AS new_id, m.id AS original
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, source text, content_hash text)
  JOIN messages m ON m.source = r.source AND m.content_hash = r.content_hash
  WHERE r.id NOT IN (SELECT id FROM new_messages)),
-- rows of a message this batch meant to insert but did not (a duplicate) are dropped with it
live AS (
  SELECT id FROM new_messages
  UNION ALL SELECT id FROM jsonb_to_recordset($2::jsonb) AS r(id uuid)),
new_claims AS (
  INSERT INTO claims (id, message_id, seq, claim_number, claim_type, status, payer_id, payer_name,
                      billing_npi, member_id, total_charge, service_start, mapping, canonical, destinations)
  SELECT id, message_id, seq, claim_number, claim_type, status, payer_id, payer_name,
         billing_npi, member_id, total_charge, service_start, mapping, canonical, destinations
  FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, message_id uuid, seq int, claim_number text,
       claim_type text, status text, payer_id text, payer_name text, billing_npi text,
       member_id text, total_charge numeric, service_start date, mapping text, canonical jsonb,
       destinations jsonb)
  WHERE message_id IN (SELECT id FROM live)
  ON CONFLICT (message_id, seq) DO NOTHING),
new_objects AS (
  INSERT INTO canonical_objects (id, message_id, seq, resource_type, business_key, status, mapping, canonical, destinations)
  SELECT id, message_id, seq, resource_type, business_key, status, mapping, canonical, destinations
  FROM jsonb_to_recordset($10::jsonb) AS r(id uuid, message_id uuid, seq int, resource_type text,
       business_key text, status text, mapping text, canonical jsonb, destinations jsonb)
  WHERE message_id IN (SELECT id FROM live)
  ON CONFLICT (message_id, seq) DO NOTHING),
new_events AS (
  INSERT INTO message_events (message_id, event, actor, destination, mapping, detail, error)
  SELECT message_id, event, actor, destination, mapping, detail, error
  FROM jsonb_to_recordset($4::jsonb) AS r(message_id uuid, event text, actor text,
       destination text, mapping text, detail jsonb, error jsonb, ord int)
  WHERE message_id IN (SELECT id FROM live)
  ORDER BY ord),
new_deliveries AS (
  INSERT INTO deliveries (message_id, destination_id, attempts, receipt)
  SELECT message_id, destination_id, attempts, receipt
  FROM jsonb_to_recordset($5::jsonb) AS r(message_id uuid, destination_id text, attempts int, receipt jsonb)
  WHERE message_id IN (SELECT id FROM live)
  ON CONFLICT (message_id, destination_id) DO NOTHING
  RETURNING message_id),
new_dead_letters AS (
  INSERT INTO dead_letters (id, message_id, stage, destination_id, error_class, error, attempts)
  SELECT id, message_id, stage, destination_id, error_class, error, attempts
  FROM jsonb_to_recordset($6::jsonb) AS r(id uuid, message_id uuid, stage text,
       destination_id text, error_class text, error jsonb, attempts jsonb)
  WHERE message_id IN (SELECT id FROM live)
  ON CONFLICT (message_id, stage, destination_id) WHERE status = 'open' DO NOTHING),
-- has_error keeps the stored error when a stage did not mention one
status_updates AS (
  UPDATE messages m SET
    status = r.status,
    updated_at = now(),
    error = CASE WHEN r.has_error THEN r.error ELSE m.error END,
    destinations = coalesce(r.destinations, m.destinations),
    mapping = coalesce(r.mapping, m.mapping),
    format = coalesce(r.format, m.format),
    message_type = coalesce(r.message_type, m.message_type)
  FROM jsonb_to_recordset($7::jsonb) AS r(id uuid, status text, has_error boolean, error jsonb,
       destinations jsonb, mapping text, format text, message_type text)
  WHERE m.id = r.id),
-- what this batch changes on stored claims, one row per claim (a statement updates a row once): routing's
-- destinations, an acknowledgement's status (in the row and in its canonical JSON), a release's status and
-- certification number, a patient update's
-- patch. A patch applies while the claim is open, as stored and as this batch leaves it, and only if a
-- message asking for it is stored (not a duplicate).
claim_changes AS (
  SELECT r.id, r.destinations, r.status, r.prior_authorization_number, r.patient, r.coverages, r.payer_id, r.payer_name, r.member_id,
         (r.patient IS NOT NULL OR r.coverages IS NOT NULL)
           AND ${openClaimSql('c.status')} AND ${openClaimSql('coalesce(r.status, c.status)')}
           AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.sources) AS s(id) WHERE s.id::uuid IN (SELECT id FROM live)) AS patched
  FROM jsonb_to_recordset($11::jsonb) AS r(id uuid, destinations jsonb, status text, prior_authorization_number text, patient jsonb, coverages jsonb,
       payer_id text, payer_name text, member_id text, sources jsonb)
  JOIN claims c ON c.id = r.id),
claim_updates AS (
  UPDATE claims c SET
    destinations = coalesce(u.destinations, c.destinations),
    status = coalesce(u.status, c.status),
    canonical = c.canonical
      || CASE WHEN u.patched AND u.patient IS NOT NULL THEN jsonb_build_object('patient', (c.canonical -> 'patient') || u.patient) ELSE '{}' END
      || CASE WHEN u.patched AND u.coverages IS NOT NULL THEN jsonb_build_object('coverages', u.coverages) ELSE '{}' END
      || CASE WHEN u.status IS NOT NULL THEN jsonb_build_object('status', u.status) ELSE '{}' END
      || CASE WHEN u.prior_authorization_number IS NOT NULL THEN jsonb_build_object('priorAuthorizationNumber', u.prior_authorization_number) ELSE '{}' END,
    payer_id = CASE WHEN u.patched AND u.coverages IS NOT NULL THEN u.payer_id ELSE c.payer_id END,
    payer_name = CASE WHEN u.patched AND u.coverages IS NOT NULL THEN u.payer_name ELSE c.payer_name END,
    member_id = CASE WHEN u.patched AND u.coverages IS NOT NULL THEN u.member_id ELSE c.member_id END,
    updated_at = now()
  FROM claim_changes u
  WHERE c.id = u.id
  RETURNING c.id, u.patched),
patch_events AS (
  INSERT INTO message_events (message_id, event, actor, detail)
  SELECT message_id, event, actor, detail
  FROM jsonb_to_recordset($12::jsonb) AS r(claim_id uuid, source_message_id uuid, message_id uuid, event text,
       actor text, detail jsonb, ord int)
  WHERE r.claim_id IN (SELECT id FROM claim_updates WHERE patched) AND r.source_message_id IN (SELECT id FROM live)
  ORDER BY ord),
object_destinations AS (
  UPDATE canonical_objects o SET destinations = r.destinations, updated_at = now()
  FROM jsonb_to_recordset($8::jsonb) AS r(id uuid, destinations jsonb)
  WHERE o.id = r.id),
completed AS (
  UPDATE messages m SET status = 'delivered', updated_at = now(), error = NULL
  WHERE m.id IN (SELECT id FROM jsonb_to_recordset($9::jsonb) AS r(id uuid))
    AND m.status <> 'delivered' AND m.destinations IS NOT NULL
    AND (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id)
      + (SELECT count(*) FROM new_deliveries n WHERE n.message_id = m.id) >= jsonb_array_length(m.destinations)
  RETURNING m.id)
SELECT 'duplicate' AS kind, new_id AS id, original FROM duplicates
UNION ALL SELECT 'completed', id, NULL FROM completed`;

const json = (rows: unknown[]) => JSON.stringify(rows);

/**
 * Completion once more, after the commit, for the messages a batch asked to complete that it did
 * not. Deliveries to a message's destinations committed at the same moment by different writers
 * (batches in flight together, or processes) each count only their own and the ones committed
 * before they began, so each can leave the message `routed` though every destination has its
 * delivery. Run after each writer's commit, this statement's snapshot, in whichever writer
 * committed last, sees them all.
 */
export async function completeAfterCommit(db: Queryable, units: readonly CommitUnit[], outcome: CommitOutcome): Promise<void> {
  const pending = [...new Set(units.flatMap((unit) => unit.completeDeliveries ?? []))].filter((id) => !outcome.completed.has(id));
  if (pending.length === 0) return;
  const { rows } = await db.query<{ id: string }>(
    `UPDATE messages m SET status = 'delivered', updated_at = now(), error = NULL
     WHERE m.id = ANY($1::uuid[]) AND m.status <> 'delivered' AND m.destinations IS NOT NULL
       AND (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id) >= jsonb_array_length(m.destinations)
     RETURNING m.id`,
    [pending],
  );
  for (const row of rows) outcome.completed.add(row.id);
}

/** Writes the units as one statement; reports duplicates among their new messages and completions. */
export async function writeUnits(db: Queryable, units: CommitUnit[]): Promise<CommitOutcome> {
  const batch = foldUnits(units);
  const isClaim = (c: { resourceType?: string }) => c.resourceType === undefined || c.resourceType === 'Claim';
  const claims = batch.claims.filter(isClaim);
  const objects = batch.claims.filter((c) => !isClaim(c));
  const { rows } = await db.query<{ kind: 'duplicate' | 'completed'; id: string; original: string | null }>(BATCH_STATEMENT, [
    json(
      batch.newMessages.map((m, ord) => ({
        id: m.id,
        source: m.source,
        format: m.format,
        message_type: m.messageType,
        content_type: m.contentType,
        content_hash: m.contentHash,
        raw: m.raw,
        status: m.status,
        error: m.error ?? null,
        control_ids: m.controlIds,
        destinations: m.destinations ?? null,
        mapping: m.mapping,
        parent_id: m.parentId ?? null,
        ack: m.ack ?? null,
        ack_content_type: m.ackContentType ?? null,
        ord,
      })),
    ),
    json(batch.existingMessageIds.map((id) => ({ id }))),
    json(
      claims.map((c) => ({
        id: c.id,
        message_id: c.messageId,
        seq: c.seq,
        claim_number: c.claimNumber,
        claim_type: c.claimType,
        status: c.status,
        payer_id: c.payerId,
        payer_name: c.payerName,
        billing_npi: c.billingNpi,
        member_id: c.memberId,
        total_charge: c.totalCharge,
        service_start: c.serviceStart,
        mapping: c.mapping,
        canonical: c.canonical,
        destinations: c.destinations ?? null,
      })),
    ),
    json(
      batch.events.map((e, ord) => ({
        message_id: e.messageId,
        event: e.event,
        actor: e.actor,
        destination: e.destination ?? null,
        mapping: e.mapping ?? null,
        detail: e.detail ?? null,
        error: e.error ?? null,
        ord,
      })),
    ),
    json(
      batch.deliveries.map((d) => ({
        message_id: d.messageId,
        destination_id: d.destinationId,
        attempts: d.attempts,
        receipt: d.receipt ?? null,
      })),
    ),
    json(
      batch.deadLetters.map((d) => ({
        id: d.id,
        message_id: d.messageId,
        stage: d.stage,
        destination_id: d.destinationId,
        error_class: d.errorClass,
        error: d.error,
        attempts: d.attempts,
      })),
    ),
    json(
      batch.statusUpdates.map((s) => ({
        id: s.messageId,
        status: s.status,
        has_error: 'error' in s,
        error: s.error ?? null,
        destinations: s.destinations ?? null,
        mapping: s.mapping ?? null,
        format: s.format ?? null,
        message_type: s.messageType ?? null,
      })),
    ),
    json(batch.claimDestinations.map((c) => ({ id: c.claimId, destinations: c.destinations }))),
    json(batch.completeDeliveries.map((id) => ({ id }))),
    json(
      objects.map((o) => ({
        id: o.id,
        message_id: o.messageId,
        seq: o.seq,
        resource_type: o.resourceType,
        business_key: o.claimNumber || null,
        status: o.status,
        mapping: o.mapping,
        canonical: o.canonical,
        destinations: o.destinations ?? null,
      })),
    ),
    json(
      batch.claimUpdates.map((u) => ({
        id: u.claimId,
        destinations: u.destinations ?? null,
        status: u.status ?? null,
        prior_authorization_number: u.priorAuthorizationNumber ?? null,
        patient: u.patient ?? null,
        coverages: u.coverages?.list ?? null,
        payer_id: u.coverages?.payerId ?? null,
        payer_name: u.coverages?.payerName ?? null,
        member_id: u.coverages?.memberId ?? null,
        sources: u.patchSources,
      })),
    ),
    json(
      batch.patchEvents.map((p, ord) => ({
        claim_id: p.claimId,
        source_message_id: p.sourceMessageId,
        message_id: p.event.messageId,
        event: p.event.event,
        actor: p.event.actor,
        detail: p.event.detail ?? null,
        ord,
      })),
    ),
  ]);
  const outcome: CommitOutcome = { duplicates: new Map(batch.sameBatchDuplicates), completed: new Set() };
  for (const row of rows) {
    if (row.kind === 'completed') outcome.completed.add(row.id);
    else outcome.duplicates.set(row.id, row.original ?? '');
  }
  // A copy of a message that was itself a duplicate answers with the stored original.
  for (const [copy, first] of batch.sameBatchDuplicates) {
    const original = outcome.duplicates.get(first);
    if (original) outcome.duplicates.set(copy, original);
  }
  return outcome;
}
