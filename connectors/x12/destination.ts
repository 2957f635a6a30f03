// X12 destination: the claims of one delivery as ONE 837 interchange file (837P and 837I in groups
// of their own). Control numbers are reserved and recorded for the delivery before the file is
// written; a retry writes the same interchange, byte for byte, under the same name.
import { ConfigError, DeliveryRefusedError, ValidationError, type Issue } from '../../canonical-model/errors.js';
import type { Claim } from '../../canonical-model/types.js';
import type { Delivery, Destination } from '../destination.js';
import { interchangeFileName, writeInterchangeFile } from './interchange-file.js';
import { placesOf, recordedControlNumbers, samePlaces, type Submission, type SubmissionLedger } from './submission.js';
import type { ControlNumberKind, ReserveControlNumbers } from './write/interchange.js';
import { submitterAndReceiver, type ClaimSubmitterProfile } from './write/profile.js';
import { DEFAULT_DELIMITERS } from './write/serialize.js';
import { write837 } from './write/write-837.js';

/**
 * Counters (store/counters.ts) of the 837s the hub sends, shared by every x12 destination: an ISA13
 * is then unique across the hub, and an acknowledgement's control numbers name one submission.
 */
export const SUBMISSION_COUNTERS: Record<ControlNumberKind, string> = {
  interchange: 'x12.837.interchange',
  group: 'x12.837.group',
  'transaction-set': 'x12.837.transaction-set',
};

export interface X12DestinationConfig {
  id: string;
  dir: string;
  profile: ClaimSubmitterProfile;
  maxClaimsPerTransactionSet?: number;
  submissions: SubmissionLedger;
  /** Reserves `count` values of the named counter: store/counters.ts `nextValues`. */
  nextControlNumbers(name: string, count: number): Promise<readonly number[]>;
}

export interface X12Receipt {
  file: string;
  interchangeControlNumber: string;
  claims: number;
}

/** The issues (paths under `profile.`) of a trading-partner profile an 837 cannot be addressed with. */
export function profileIssues(profile: ClaimSubmitterProfile): Issue[] {
  try {
    submitterAndReceiver(profile, DEFAULT_DELIMITERS);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

export class X12Destination implements Destination {
  readonly type = 'x12';
  /** An 837 is a submission: its claims become `submitted`, then acknowledged or rejected by the 999. */
  readonly submitsClaims = true;
  readonly id: string;

  constructor(private readonly config: X12DestinationConfig) {
    this.id = config.id;
  }

  async deliver(delivery: Delivery): Promise<X12Receipt> {
    const claims = this.claimsOf(delivery);
    const refs = delivery.objects.map((object, i) => ({ id: object.id, claimNumber: claims[i].claimNumber }));
    const recorded = await this.config.submissions.recorded(delivery.messageId, this.id);
    const { submission, text } = recorded
      ? { submission: recorded, text: await this.rewrite(claims, refs, recorded) }
      : await this.submit(delivery, claims, refs);
    const interchangeControlNumber = submission.claims[0].interchangeControlNumber;
    const file = interchangeFileName(interchangeControlNumber, delivery.messageId);
    await writeInterchangeFile(this.config.dir, file, text);
    return { file, interchangeControlNumber, claims: claims.length };
  }

  /** First attempt: new control numbers, recorded before the file exists. */
  private async submit(delivery: Delivery, claims: Claim[], refs: ClaimRef[]): Promise<{ submission: Submission; text: string }> {
    const submittedAt = new Date();
    const written = await this.write(
      claims,
      (kind, count) => this.config.nextControlNumbers(SUBMISSION_COUNTERS[kind], count),
      submittedAt,
    );
    const ours: Submission = { messageId: delivery.messageId, destinationId: this.id, submittedAt, claims: placesOf(written, refs) };
    const standing = await this.config.submissions.record(ours);
    // Another attempt of this delivery recorded first: its numbers stand, ours are left unused.
    if (standing.claims[0]?.interchangeControlNumber !== written.interchangeControlNumber)
      return { submission: standing, text: await this.rewrite(claims, refs, standing) };
    return { submission: ours, text: written.text };
  }

  /** The recorded interchange again: its control numbers and date, so the same bytes. */
  private async rewrite(claims: Claim[], refs: ClaimRef[], submission: Submission): Promise<string> {
    const written = await this.write(claims, recordedControlNumbers(submission), submission.submittedAt);
    samePlaces(submission, placesOf(written, refs));
    return written.text;
  }

  private async write(claims: Claim[], controlNumbers: ReserveControlNumbers, now: Date) {
    try {
      return await write837(claims, {
        profile: this.config.profile,
        controlNumbers,
        now,
        maxClaimsPerTransactionSet: this.config.maxClaimsPerTransactionSet,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // `$[i]` is the delivery's claim i: say which claims those are.
      const named = [...new Set(error.issues.map((issue) => /^\$\[(\d+)\]/.exec(issue.path)?.[1]))]
        .filter((i): i is string => i !== undefined)
        .map((i) => `$[${i}] ${claims[Number(i)].claimNumber}`);
      const which = named.length > 0 ? ` (${named.join(', ')})` : '';
      throw new ValidationError(`${this.id}: ${error.message}${which}`, error.issues, { cause: error });
    }
  }

  /** The delivery's objects as claims; anything else cannot go in an 837 and is refused for good. */
  private claimsOf(delivery: Delivery): Claim[] {
    const issues = delivery.objects.flatMap((object, i) =>
      object.canonical.resourceType === 'Claim'
        ? []
        : [
            {
              path: `$[${i}].resourceType`,
              rule: 'x12-837-claims-only',
              message: `${String(object.canonical.resourceType)} ${object.id} is not a claim: route only claims to ${this.id}`,
            },
          ],
    );
    if (issues.length > 0)
      throw new DeliveryRefusedError(
        `${this.id} sends 837 claims; message ${delivery.messageId} routed ${issues.length} other objects to it`,
        issues,
      );
    return delivery.objects.map((object) => object.canonical as unknown as Claim);
  }
}

/** A delivered claim as x12_submissions names it: hub id (claims.id) and claim number. */
type ClaimRef = { id: string; claimNumber: string };
