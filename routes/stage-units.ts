// What the mapping stage commits for one message: its canonical claims with their lineage
// events, or the failure with a dead letter an operator can replay once the cause is fixed.
import { randomUUID } from 'node:crypto';
import type { Claim } from '../canonical-model/types.js';
import type { CommitUnit, NewClaim } from '../store/records.js';
import type { Translation, Translator as MappingTranslator } from '../mappings/translate.js';

export type { Translation };
/** All the pipeline needs of a translator. */
export type Translator = Pick<MappingTranslator, 'translate'>;

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

/** Gives each canonical claim its hub id and validated status (mutates the objects). */
export function stampClaims(messageId: string, claims: Claim[]): Claim[] {
  for (const claim of claims) {
    claim.id ??= randomUUID();
    claim.status = 'validated';
    claim.provenance.messageId = messageId;
  }
  return claims;
}

/** The mapping stage's writes: claims + parsed/mapped events + status, or failed + dead letter. */
export function mappingStageUnit(messageId: string, translation: Translation, actor: string): CommitUnit {
  const meta = { format: translation.format ?? null, messageType: translation.messageType ?? null };
  if (translation.ok) {
    const claims = stampClaims(messageId, translation.objects);
    return {
      claims: claims.map((claim, index) => claimRow(messageId, index + 1, claim)),
      events: [
        { messageId, event: 'parsed', actor, detail: { format: translation.format, messageType: translation.messageType } },
        {
          messageId,
          event: 'mapped',
          actor,
          mapping: translation.mapping ?? null,
          detail: { claims: claims.map((c) => ({ id: c.id, claimNumber: c.claimNumber })) },
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
