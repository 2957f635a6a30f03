// What one x12 delivery submitted: each claim's place in its interchange (ISA13, GS06, ST02) and the
// instant the envelope is dated with. Recorded before the file is written, so that a retry writes
// the same interchange again from the record instead of spending new control numbers.
import { DeliveryRefusedError } from '../../canonical-model/errors.js';
import type { ControlNumberKind, ReserveControlNumbers, WrittenInterchange } from './write/interchange.js';

export interface SubmittedClaim {
  claimId: string;
  claimNumber: string;
  /** ISA13 as written: nine digits. */
  interchangeControlNumber: string;
  /** GS06 as written. */
  groupControlNumber: string;
  /** ST02 as written. */
  transactionSetControlNumber: string;
}

export interface Submission {
  messageId: string;
  destinationId: string;
  /** ISA09/ISA10 and GS04/GS05 are written from this instant, on every attempt. */
  submittedAt: Date;
  claims: SubmittedClaim[];
}

/** Where submissions are kept (store/x12-submissions.ts): one per delivery, never replaced. */
export interface SubmissionLedger {
  recorded(messageId: string, destinationId: string): Promise<Submission | undefined>;
  /** Records `submission` unless its delivery has one already; answers the one that stands. */
  record(submission: Submission): Promise<Submission>;
}

/** Each claim's place in a written interchange; `claims[i]` is the writer's input `i`. */
export function placesOf(written: WrittenInterchange, claims: readonly { id: string; claimNumber: string }[]): SubmittedClaim[] {
  return written.groups.flatMap((group) =>
    group.transactionSets.flatMap((set) =>
      set.items.map((i) => ({
        claimId: claims[i].id,
        claimNumber: claims[i].claimNumber,
        interchangeControlNumber: written.interchangeControlNumber,
        groupControlNumber: group.controlNumber,
        transactionSetControlNumber: set.controlNumber,
      })),
    ),
  );
}

/**
 * The recorded control numbers handed to the writer again. store/counters.ts reserves consecutive
 * ascending blocks, so each kind's numbers in ascending order are the order the writer used them in;
 * `samePlaces` confirms it after the rewrite.
 */
export function recordedControlNumbers(submission: Submission): ReserveControlNumbers {
  const ascending = (pick: (claim: SubmittedClaim) => string) =>
    [...new Set(submission.claims.map((claim) => Number(pick(claim))))].sort((a, b) => a - b);
  const numbers: Record<ControlNumberKind, number[]> = {
    interchange: ascending((c) => c.interchangeControlNumber),
    group: ascending((c) => c.groupControlNumber),
    'transaction-set': ascending((c) => c.transactionSetControlNumber),
  };
  return async (kind, count) => {
    if (count !== numbers[kind].length)
      throw submissionChanged(submission, `it now needs ${count} ${kind} control numbers, not ${numbers[kind].length}`);
    return numbers[kind];
  };
}

/** Throws unless the rewritten interchange puts every claim where the record says it went. */
export function samePlaces(submission: Submission, rewritten: SubmittedClaim[]): void {
  const key = (c: SubmittedClaim) =>
    `${c.claimId} ${c.claimNumber} ${c.interchangeControlNumber} ${c.groupControlNumber} ${c.transactionSetControlNumber}`;
  const recorded = new Set(submission.claims.map(key));
  const moved = rewritten.filter((claim) => !recorded.has(key(claim)));
  if (moved.length > 0 || rewritten.length !== submission.claims.length)
    throw submissionChanged(submission, `claims ${moved.map((c) => c.claimNumber).join(', ') || '(removed)'} are not where it put them`);
}

/**
 * The delivery's claims, or the destination's batching, are no longer what its interchange was
 * written from. Writing them under the same control numbers would send a different interchange as
 * the same one, so this is refused for good.
 */
function submissionChanged(submission: Submission, detail: string): DeliveryRefusedError {
  const isa13 = submission.claims[0]?.interchangeControlNumber;
  return new DeliveryRefusedError(
    `message ${submission.messageId} to ${submission.destinationId}: interchange ${isa13} was recorded for this delivery, but ${detail}`,
    [
      {
        path: `x12_submissions(${submission.messageId}, ${submission.destinationId})`,
        rule: 'x12-submission-changed',
        message: 'the claims or maxClaimsPerTransactionSet changed since the interchange was recorded; it cannot be sent again as it was',
      },
    ],
  );
}
