// Acknowledgements received (an inbound 999) speak about claims of other messages: the ones the hub
// submitted in the group and sets they answer. This stage finds those claims and, in the same
// commit as the acknowledgement itself, moves each to `acknowledged` or `rejected` with a lineage
// event on the claim's own message, so an operator reading a claim sees who answered it and how.
import type { Acknowledgement, AcknowledgedItem, CanonicalResource } from '../canonical-model/types.js';
import type { CommitUnit } from '../store/records.js';

export interface SubmittedClaimRef {
  claimId: string;
  claimNumber: string;
  messageId: string;
  destinationId: string;
}

/** Finds the claims the hub submitted under an interchange (ISA13), group (GS06) and transaction set (ST02) control number. */
export type SubmittedClaimLookup = (filter: { interchange?: string; group?: string; transactionSet?: string }) => Promise<SubmittedClaimRef[]>;

const ACCEPTED = new Set(['accepted', 'accepted-with-errors']);

/** The writes that apply `objects`' acknowledgements to the submitted claims they answer. */
export async function acknowledgementUnit(
  lookup: SubmittedClaimLookup | undefined,
  messageId: string,
  objects: readonly CanonicalResource[],
  actor: string,
): Promise<CommitUnit> {
  const acknowledgements = objects.filter(
    (o): o is Acknowledgement => o.resourceType === 'Acknowledgement' && (o.kind === 'x12-999' || o.kind === 'x12-ta1'),
  );
  if (lookup === undefined || acknowledgements.length === 0) return {};
  const unit: Required<Pick<CommitUnit, 'claimStatuses' | 'events'>> = { claimStatuses: [], events: [] };
  for (const ack of acknowledgements) {
    if (ack.kind === 'x12-ta1') {
      await applyTa1(lookup, messageId, ack, actor, unit);
      continue;
    }
    const group = ack.acknowledged.find((item) => item.level === 'group');
    if (!group) continue;
    const sets = ack.acknowledged.filter((item) => item.level === 'transaction-set');
    // A 999 whose group is rejected with no set detail (AK905 codes only) answers every set of it.
    const answers: { item: AcknowledgedItem; claims: SubmittedClaimRef[] }[] =
      sets.length > 0
        ? await Promise.all(sets.map(async (item) => ({ item, claims: await lookup({ group: group.controlNumber, transactionSet: item.controlNumber }) })))
        : [{ item: group, claims: await lookup({ group: group.controlNumber }) }];
    const matched = answers.flatMap(({ item, claims }) =>
      claims.map((claim) => ({
        claim,
        item,
        status: (ACCEPTED.has(item.status) && group.status !== 'rejected' ? 'acknowledged' : 'rejected') as 'acknowledged' | 'rejected',
      })),
    );
    for (const { claim, item, status } of matched) {
      decide(unit, claim, status, actor, {
        acknowledgementMessageId: messageId,
        kind: ack.kind,
        group: group.controlNumber,
        transactionSet: item.level === 'transaction-set' ? item.controlNumber : undefined,
        status: item.status,
        codes: item.statusCodes?.map((code) => code.code),
        errors: ack.errors.filter((error) => item.level !== 'transaction-set' || error.location.controlNumber === item.controlNumber).length,
      });
    }
    unit.events.push({
      messageId,
      event: 'mapped',
      actor,
      detail: {
        acknowledges: { group: group.controlNumber, sets: sets.map((s) => s.controlNumber) },
        claims: matched.length,
        ...(matched.length === 0 ? { note: 'no claim the hub submitted matches this group and these sets' } : {}),
      },
    });
  }
  return unit;
}

/**
 * A TA1 answers a whole interchange: R rejects every claim the hub sent in it (the receiver took
 * none of it); A and E only say it arrived, so the claims wait for their 999.
 */
async function applyTa1(
  lookup: SubmittedClaimLookup,
  messageId: string,
  ack: Acknowledgement,
  actor: string,
  unit: Required<Pick<CommitUnit, 'claimStatuses' | 'events'>>,
): Promise<void> {
  for (const item of ack.acknowledged.filter((i) => i.level === 'interchange')) {
    const claims = await lookup({ interchange: item.controlNumber });
    const rejects = item.status === 'rejected';
    if (rejects) {
      for (const claim of claims) {
        decide(unit, claim, 'rejected', actor, {
          acknowledgementMessageId: messageId,
          kind: ack.kind,
          interchange: item.controlNumber,
          status: item.status,
          codes: item.statusCodes?.map((code) => code.code),
        });
      }
    }
    unit.events.push({
      messageId,
      event: 'mapped',
      actor,
      detail: {
        acknowledges: { interchange: item.controlNumber },
        claims: claims.length,
        ...(claims.length === 0
          ? { note: 'no claim the hub submitted was in this interchange' }
          : rejects
            ? {}
            : { note: 'the interchange arrived; its claims wait for their 999' }),
      },
    });
  }
}

/** A claim's new status and the lineage event on its own message that says which acknowledgement decided it. */
function decide(
  unit: Required<Pick<CommitUnit, 'claimStatuses' | 'events'>>,
  claim: SubmittedClaimRef,
  status: 'acknowledged' | 'rejected',
  actor: string,
  detail: Record<string, unknown>,
): void {
  unit.claimStatuses.push({ claimId: claim.claimId, status });
  unit.events.push({
    messageId: claim.messageId,
    event: status,
    actor,
    destination: claim.destinationId,
    detail: { claimId: claim.claimId, claimNumber: claim.claimNumber, ...detail },
  });
}
