// Folds the commit units of a batch into the rows of one statement. A statement cannot update a
// row it inserts, so updates aimed at rows this batch inserts (a new message's final status, a
// new claim's destinations) are applied to those rows here, and copies of the same message within
// the batch are set aside as duplicates of its first copy. A statement updates a row once at most,
// so what the batch changes on one stored claim (destinations, status, patient patch) is one row.
import type { ClaimPatch, CommitUnit, NewClaim, NewDeadLetter, NewDelivery, NewEvent, NewMessage, StatusUpdate } from './records.js';

/** Everything the batch changes on one stored claim; an absent part is left as stored. */
export interface ClaimUpdate {
  claimId: string;
  destinations?: string[];
  /** The last status the batch gives the claim. */
  status?: string;
  /** The certification number a released claim now quotes (canonical priorAuthorizationNumber). */
  priorAuthorizationNumber?: string;
  /** Patient fields and coverages of the patches aimed at the claim, a later patch's over an earlier one's. */
  patient?: Record<string, unknown>;
  coverages?: ClaimPatch['coverages'];
  /** The messages asking for the patch: it applies if one of them is stored. */
  patchSources: string[];
}

export interface FoldedBatch {
  newMessages: NewMessage[];
  /** Messages that child rows refer to and that this batch does not insert. */
  existingMessageIds: string[];
  claims: NewClaim[];
  events: NewEvent[];
  deliveries: NewDelivery[];
  deadLetters: NewDeadLetter[];
  statusUpdates: StatusUpdate[];
  /** Destinations of rows stored before this batch: canonical objects take theirs from here, claims from claimUpdates. */
  claimDestinations: { claimId: string; destinations: string[] }[];
  claimUpdates: ClaimUpdate[];
  /** The events of the patches, written on the claims' messages where a patch applies. */
  patchEvents: { claimId: string; sourceMessageId: string; event: NewEvent }[];
  completeDeliveries: string[];
  /** Copy id → id of the first copy of the same (source, content) in this batch. */
  sameBatchDuplicates: Map<string, string>;
}

export function foldUnits(units: CommitUnit[]): FoldedBatch {
  const all = <K extends keyof CommitUnit>(key: K): NonNullable<CommitUnit[K]>[number][] =>
    units.flatMap((u) => (u[key] ?? []) as NonNullable<CommitUnit[K]>[number][]);
  const firstByContent = new Map<string, NewMessage>();
  const sameBatchDuplicates = new Map<string, string>();
  const newMessages = new Map<string, NewMessage>();
  for (const message of all('newMessages')) {
    const key = `${message.source}\u0000${message.contentHash}`;
    const first = firstByContent.get(key);
    if (first) {
      sameBatchDuplicates.set(message.id, first.id);
    } else {
      firstByContent.set(key, message);
      newMessages.set(message.id, { ...message });
    }
  }
  const isCopy = (row: { messageId: string }) => sameBatchDuplicates.has(row.messageId);

  // The last status a message gets in the batch wins, as if the units had committed one by one.
  const statusUpdates = new Map<string, StatusUpdate>();
  for (const update of all('statusUpdates')) {
    if (isCopy(update)) continue;
    const fresh = newMessages.get(update.messageId);
    if (fresh) {
      fresh.status = update.status;
      if ('error' in update) fresh.error = update.error ?? null;
      if (update.destinations) fresh.destinations = update.destinations;
      if (update.mapping) fresh.mapping = update.mapping;
      if (update.format) fresh.format = update.format;
      if (update.messageType) fresh.messageType = update.messageType;
    } else {
      statusUpdates.set(update.messageId, update);
    }
  }

  const claims = all('claims')
    .filter((c) => !isCopy(c))
    .map((c) => ({ ...c }));
  const claimsById = new Map(claims.map((c) => [c.id, c]));
  const claimDestinations = all('claimDestinations').filter((d) => {
    const fresh = claimsById.get(d.claimId);
    if (fresh) fresh.destinations = d.destinations;
    return !fresh;
  });

  // A status aimed at a claim this batch inserts (routing holds it, or found its authorization) is written with the row.
  const claimStatuses = all('claimStatuses').filter((s) => {
    const fresh = claimsById.get(s.claimId);
    if (fresh) {
      fresh.status = s.status;
      const number = s.priorAuthorizationNumber ? { priorAuthorizationNumber: s.priorAuthorizationNumber } : {};
      fresh.canonical = { ...(fresh.canonical as object), status: s.status, ...number };
    }
    return !fresh;
  });

  const patches = all('claimPatches').filter((p) => !sameBatchDuplicates.has(p.sourceMessageId));
  const claimUpdates = foldClaimUpdates(claimDestinations, claimStatuses, patches);

  const events = all('events').filter((e) => !isCopy(e));
  const deliveries = all('deliveries').filter((d) => !isCopy(d));
  const deadLetters = all('deadLetters').filter((d) => !isCopy(d));
  // Two CTEs may not update the same row: a message whose status this batch sets is completed
  // by a later commit (or the ingest job) instead.
  const completeDeliveries = [...new Set(all('completeDeliveries'))].filter((id) => !statusUpdates.has(id) && !newMessages.has(id));

  const referenced = new Set([
    ...[...claims, ...events, ...deliveries, ...deadLetters].map((r) => r.messageId),
    ...patches.map((p) => p.sourceMessageId),
  ]);
  const existingMessageIds = [...referenced].filter((id) => !newMessages.has(id) && !sameBatchDuplicates.has(id));
  return {
    newMessages: [...newMessages.values()],
    existingMessageIds,
    claims,
    events,
    deliveries,
    deadLetters,
    statusUpdates: [...statusUpdates.values()],
    claimDestinations,
    claimUpdates,
    patchEvents: patches.map((p) => ({ claimId: p.claimId, sourceMessageId: p.sourceMessageId, event: p.event })),
    completeDeliveries,
    sameBatchDuplicates,
  };
}

/** One update per stored claim: its destinations, its last status, its patches folded in order. */
function foldClaimUpdates(
  destinations: { claimId: string; destinations: string[] }[],
  statuses: NonNullable<CommitUnit['claimStatuses']>,
  patches: ClaimPatch[],
): ClaimUpdate[] {
  const updates = new Map<string, ClaimUpdate>();
  const updateOf = (claimId: string) => {
    let update = updates.get(claimId);
    if (!update) updates.set(claimId, (update = { claimId, patchSources: [] }));
    return update;
  };
  for (const d of destinations) updateOf(d.claimId).destinations = d.destinations;
  for (const s of statuses) {
    const update = updateOf(s.claimId);
    update.status = s.status;
    if (s.priorAuthorizationNumber) update.priorAuthorizationNumber = s.priorAuthorizationNumber;
  }
  for (const patch of patches) {
    const update = updateOf(patch.claimId);
    if (patch.patient) update.patient = { ...update.patient, ...patch.patient };
    if (patch.coverages) update.coverages = patch.coverages;
    update.patchSources.push(patch.sourceMessageId);
  }
  return [...updates.values()];
}
