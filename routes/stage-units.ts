// What the mapping stage commits for one message: its canonical claims with their lineage
// events, or the failure with a dead letter an operator can replay once the cause is fixed.
import { randomUUID } from 'node:crypto';
import type { CanonicalResource, Claim } from '../canonical-model/types.js';
import type { CommitUnit, NewClaim } from '../store/records.js';
import type { Translation, Translator as MappingTranslator } from '../mappings/translate.js';

export type { Translation };
/** All the pipeline needs of a translator. */
export type Translator = Pick<MappingTranslator, 'translate' | 'check' | 'mapOutbound'>;

/** What people look a non-claim object up by (canonical_objects.business_key). */
function businessKey(object: Exclude<CanonicalResource, Claim>): string {
  switch (object.resourceType) {
    case 'Remittance':
      return object.payment.traceNumber;
    case 'PriorAuthorization':
      return object.decision?.certificationNumber ?? object.requestNumber;
    case 'Acknowledgement':
      return object.controlNumber ?? '';
    case 'PatientUpdate': {
      // the identifier open claims are matched on (the first: the MRN when PID-3 types one MR)
      const [first] = object.patient.identifiers ?? [];
      return first ? `${first.system ?? ''}|${first.value}` : '';
    }
  }
}

function objectRow(messageId: string, seq: number, object: CanonicalResource): NewClaim {
  if (object.resourceType === 'Claim') return claimRow(messageId, seq, object);
  return {
    id: object.id!,
    resourceType: object.resourceType,
    messageId,
    seq,
    claimNumber: businessKey(object),
    claimType: object.resourceType,
    status: 'status' in object && typeof object.status === 'string' ? object.status : 'received',
    payerId: null,
    payerName: null,
    billingNpi: null,
    memberId: null,
    totalCharge: '0',
    serviceStart: null,
    mapping: object.provenance.mapping,
    canonical: object,
  };
}

function claimRow(messageId: string, seq: number, claim: Claim): NewClaim {
  const primary = claim.coverages.find((c) => c.rank === 'primary') ?? claim.coverages[0];
  const firstLineDate = claim.serviceLines
    .map((l) => l.serviceDate?.start)
    .filter(Boolean)
    .sort()[0];
  return {
    id: claim.id!,
    messageId,
    seq,
    claimNumber: claim.claimNumber,
    claimType: claim.type,
    status: claim.status,
    payerId: primary?.payer.payerId ?? null,
    payerName: primary?.payer.name ?? null,
    billingNpi: claim.providers.billing.npi ?? null,
    memberId: primary?.memberId ?? null,
    totalCharge: claim.totalCharge,
    serviceStart: claim.billablePeriod?.start ?? firstLineDate ?? null,
    mapping: claim.provenance.mapping,
    canonical: claim,
  };
}

/** Gives each canonical object its hub id and its message; a claim becomes `validated` (mutates the objects). */
export function stampClaims(messageId: string, objects: CanonicalResource[]): CanonicalResource[] {
  for (const object of objects) {
    object.id ??= randomUUID();
    if (object.resourceType === 'Claim') object.status = 'validated';
    object.provenance.messageId = messageId;
  }
  return objects;
}

/** A label for lineage and answers: a claim's number, else the object's business key. */
export function objectLabel(object: CanonicalResource): string {
  if (object.resourceType === 'Claim') return object.claimNumber;
  // A patient update's key is the MRN: PHI, kept in its row, never in lineage events or answers.
  if (object.resourceType === 'PatientUpdate') return `PatientUpdate ${object.trigger.code} ${object.occurredAt}`;
  return `${object.resourceType} ${businessKey(object)}`;
}

/** The mapping stage's writes: claims + parsed/mapped events + status, or failed + dead letter. */
export function mappingStageUnit(messageId: string, translation: Translation, actor: string): CommitUnit {
  const meta = { format: translation.format ?? null, messageType: translation.messageType ?? null };
  if (translation.ok) {
    const claims = stampClaims(messageId, translation.objects);
    return {
      claims: claims.map((object, index) => objectRow(messageId, index + 1, object)),
      events: [
        { messageId, event: 'parsed', actor, detail: { format: translation.format, messageType: translation.messageType } },
        {
          messageId,
          event: 'mapped',
          actor,
          mapping: translation.mapping ?? null,
          detail: { claims: claims.map((c) => ({ id: c.id, claimNumber: objectLabel(c) })) },
        },
      ],
      statusUpdates: [{ messageId, status: 'mapped', error: null, mapping: translation.mapping ?? null, ...meta }],
    };
  }
  const error = translation.error.toJSON();
  const events: CommitUnit['events'] = [];
  if (translation.stage !== 'parse') {
    events.push({ messageId, event: 'parsed', actor, detail: { format: translation.format, messageType: translation.messageType } });
  }
  events.push({ messageId, event: 'failed', actor, mapping: translation.mapping ?? null, detail: { stage: translation.stage }, error });
  return {
    events,
    deadLetters: [
      {
        id: randomUUID(),
        messageId,
        stage: translation.stage,
        destinationId: '',
        errorClass: error.class,
        error,
        attempts: [{ at: new Date().toISOString(), actor, error }],
      },
    ],
    statusUpdates: [{ messageId, status: 'failed', error, mapping: translation.mapping ?? null, ...meta }],
  };
}
