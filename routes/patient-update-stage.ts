// Patient updates (an inbound HL7 ADT^A04 register or ADT^A08 update) speak about claims of other
// messages: the patient's open claims, those no payer has yet. This stage finds them by the update's
// patient identifier and, in the same commit as the update itself, records on each the patient's
// demographics and coverages as the registration system now tells them, with a `patient-updated`
// event on the claim's own message naming the fields changed, never their values (PHI).
import { isDeepStrictEqual } from 'node:util';
import type { CanonicalResource, Claim, Coverage, Identifier, PatientUpdate, Person } from '../canonical-model/types.js';
import type { ClaimPatch, CommitUnit } from '../store/records.js';

export interface OpenClaimRef {
  claimId: string;
  messageId: string;
  claimNumber: string;
  canonical: Claim;
}

/** Finds the open claims whose patient carries the identifier (same type and value; same system when both name one). */
export type OpenClaimLookup = (identifier: Identifier) => Promise<OpenClaimRef[]>;

/** The parts of a claim a patient update may change, as named in `patient-updated` events. */
export type PatientField = 'name' | 'birthDate' | 'gender' | 'address' | 'identifiers' | 'coverages';

const DEMOGRAPHICS = ['name', 'birthDate', 'gender', 'address'] as const;

/**
 * The identifier claims are found by: the update's first that is not an SSN. The first is the
 * medical record number when PID-3 types one MR, with its assigning authority as system (the
 * PatientUpdate contract); an SSN is never a key here (often absent, mistyped or shared by a
 * family's records), so an update that has only one matches no claim.
 */
export function matchIdentifier(update: PatientUpdate): Identifier | undefined {
  return update.patient.identifiers?.find((identifier) => identifier.type !== 'ssn');
}

/** The writes that record `objects`' patient updates on the patient's open claims. */
export async function patientUpdateUnit(
  lookup: OpenClaimLookup | undefined,
  messageId: string,
  objects: readonly CanonicalResource[],
  actor: string,
): Promise<CommitUnit> {
  const updates = objects.filter((o): o is PatientUpdate => o.resourceType === 'PatientUpdate');
  if (lookup === undefined || updates.length === 0) return {};
  const unit: Required<Pick<CommitUnit, 'claimPatches' | 'events'>> = { claimPatches: [], events: [] };
  for (const update of updates) {
    const key = matchIdentifier(update);
    const claims = key ? await lookup(key) : [];
    let changedClaims = 0;
    for (const claim of claims) {
      const patch = claimPatch(claim.canonical, update);
      if (!patch) continue;
      changedClaims += 1;
      unit.claimPatches.push({
        claimId: claim.claimId,
        sourceMessageId: messageId,
        ...patch.fields,
        event: {
          messageId: claim.messageId,
          event: 'patient-updated',
          actor,
          detail: { claimId: claim.claimId, claimNumber: claim.claimNumber, patientUpdateMessageId: messageId, changed: patch.changed },
        },
      });
    }
    unit.events.push({
      messageId,
      event: 'mapped',
      actor,
      detail: {
        patientUpdate: {
          matchedOn: key ? { type: key.type, system: key.system ?? null } : null,
          openClaims: claims.length,
          changed: changedClaims,
        },
        ...(key === undefined
          ? { note: 'the update has no patient identifier claims are matched on (an SSN is not one)' }
          : claims.length === 0
            ? { note: 'no open claim (not yet submitted to a payer) of this patient' }
            : {}),
      },
    });
  }
  return unit;
}

/** What `update` changes on `claim`: the patch fields and the names of the parts changed; undefined when nothing changes. */
export function claimPatch(
  claim: Claim,
  update: PatientUpdate,
): { fields: Pick<ClaimPatch, 'patient' | 'coverages'>; changed: PatientField[] } | undefined {
  const changed: PatientField[] = [];
  const patient: Partial<Person> = {};
  for (const field of DEMOGRAPHICS) {
    const value = update.patient[field];
    // A part the update leaves out is not known to be gone: the claim keeps its own.
    if (value === undefined || same(value, claim.patient[field])) continue;
    Object.assign(patient, { [field]: value });
    changed.push(field);
  }
  const identifiers = mergeIdentifiers(claim.patient.identifiers ?? [], update.patient.identifiers ?? []);
  if (!same(identifiers, claim.patient.identifiers ?? [])) {
    patient.identifiers = identifiers;
    changed.push('identifiers');
  }
  const fields: Pick<ClaimPatch, 'patient' | 'coverages'> = changed.length > 0 ? { patient: patient as Record<string, unknown> } : {};
  if (update.coverages && update.coverages.length > 0) {
    const coverages = billedFirst(claim.coverages, update.coverages);
    if (!same(coverages, claim.coverages)) {
      // the claims row's payer and member columns follow the coverage claimRow (stage-units.ts) takes them from
      const payer = coverages.find((c) => c.rank === 'primary') ?? coverages[0];
      fields.coverages = { list: coverages, payerId: payer.payer.payerId ?? null, payerName: payer.payer.name, memberId: payer.memberId };
      changed.push('coverages');
    }
  }
  return changed.length > 0 ? { fields, changed } : undefined;
}

/**
 * The claim's identifiers with the update's: one the claim already has (same type and value, systems
 * equal or either unnamed) stays as it is; one of a type and system the claim has with another value
 * replaces it (a corrected SSN); any other is added. The claim's others stay.
 */
function mergeIdentifiers(current: Identifier[], incoming: Identifier[]): Identifier[] {
  const merged = [...current];
  for (const identifier of incoming) {
    const known = merged.some(
      (c) =>
        c.type === identifier.type &&
        c.value === identifier.value &&
        (c.system === undefined || identifier.system === undefined || c.system === identifier.system),
    );
    if (known) continue;
    const slot = merged.findIndex((c) => c.type === identifier.type && c.system === identifier.system);
    if (slot >= 0) merged[slot] = identifier;
    else merged.push(identifier);
  }
  return merged;
}

/**
 * The update's coverage list in the order the claim is billed: the coverage of the rank the claim is
 * billed to (its coverages[0]: a secondary claim stays a secondary claim) first, the others in the
 * update's order. A coverage of the same policy (payer and member id) keeps what the claim knew of it
 * and the update leaves out (ADT IN1 segments are often sparser than a charge system's).
 */
function billedFirst(current: Coverage[], incoming: Coverage[]): Coverage[] {
  const list = incoming.map((coverage) => {
    const known = current.find((c) => samePolicy(c, coverage));
    if (!known) return coverage;
    const merged: Coverage = { ...known, ...coverage, payer: { ...known.payer, ...coverage.payer } };
    if (coverage.relationship === 'self' && !coverage.subscriber) delete merged.subscriber;
    else if (known.subscriber && coverage.subscriber) merged.subscriber = { ...known.subscriber, ...coverage.subscriber };
    return merged;
  });
  const billedRank = current[0]?.rank;
  const billed = billedRank && billedRank !== 'unknown' ? list.findIndex((c) => c.rank === billedRank) : -1;
  return billed > 0 ? [list[billed], ...list.filter((_, i) => i !== billed)] : list;
}

function samePolicy(a: Coverage, b: Coverage): boolean {
  const payerOf = (c: Coverage) => c.payer.payerId ?? c.payer.name;
  return payerOf(a) === payerOf(b) && a.memberId === b.memberId;
}

/** Equal as JSON: stored canonical JSON and freshly mapped objects compare by content, not key order. */
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}
