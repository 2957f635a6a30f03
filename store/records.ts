// Row shapes the pipeline writes: what one stage of one message commits.
import type { AuditRecord } from './audit.js';

/** `split`: a batch (an X12 interchange) whose parts are stored as child messages, each with its own status. */
export type MessageStatus = 'received' | 'mapped' | 'routed' | 'delivered' | 'failed' | 'dead-lettered' | 'held' | 'discarded' | 'split';

export type EventName =
  | 'received'
  | 'parsed'
  | 'mapped'
  | 'routed'
  | 'delivered'
  | 'failed'
  | 'dead-lettered'
  | 'replayed'
  | 'discarded'
  | 'duplicate'
  | 'recovered'
  /** A claim's submission was acknowledged or rejected by the receiver (an inbound 999/TA1). */
  | 'acknowledged'
  | 'rejected'
  /** An open claim's patient or coverages were changed by a patient update (an inbound ADT^A04/A08). */
  | 'patient-updated'
  /** Claims of the message wait for a prior authorization a route requires; released by its arrival or an operator. */
  | 'held'
  | 'released';

export interface NewMessage {
  id: string;
  source: string;
  format: string | null;
  messageType: string | null;
  contentType: string | null;
  contentHash: string;
  raw: string;
  status: MessageStatus;
  error: unknown;
  controlIds: Record<string, string>;
  mapping: string | null;
  parentId?: string | null;
  destinations?: string[] | null;
  /** The acknowledgement sent back for it (999/TA1 text) and its media type. */
  ack?: string | null;
  ackContentType?: string | null;
}

export interface NewEvent {
  messageId: string;
  event: EventName;
  actor: string;
  destination?: string | null;
  mapping?: string | null;
  detail?: unknown;
  error?: unknown;
}

/**
 * A canonical object of a message. Claims (no resourceType, or 'Claim') go to the claims table with
 * their business columns; Remittance, PriorAuthorization and Acknowledgement objects to
 * canonical_objects, with `claimNumber` as their business key and the claim-only columns unused.
 */
export interface NewClaim {
  id: string;
  resourceType?: string;
  messageId: string;
  seq: number;
  claimNumber: string;
  claimType: string;
  status: string;
  payerId: string | null;
  payerName: string | null;
  billingNpi: string | null;
  memberId: string | null;
  totalCharge: string;
  serviceStart: string | null;
  mapping: string;
  canonical: unknown;
  destinations?: string[] | null;
}

export interface NewDelivery {
  messageId: string;
  destinationId: string;
  attempts: number;
  receipt: unknown;
}

export interface NewDeadLetter {
  id: string;
  messageId: string;
  stage: string;
  destinationId: string;
  errorClass: string;
  error: unknown;
  attempts: unknown[];
}

export interface StatusUpdate {
  messageId: string;
  status: MessageStatus;
  error?: unknown;
  destinations?: string[];
  mapping?: string | null;
  format?: string | null;
  messageType?: string | null;
}

/** Everything one stage of one message writes, committed atomically (possibly with others). */
export interface CommitUnit {
  newMessages?: NewMessage[];
  claims?: NewClaim[];
  events?: NewEvent[];
  deliveries?: NewDelivery[];
  deadLetters?: NewDeadLetter[];
  statusUpdates?: StatusUpdate[];
  claimDestinations?: { claimId: string; destinations: string[] }[];
  /**
   * Claim lifecycle changes: from outside the claim's own message (an inbound 999 acknowledging it, a
   * prior authorization releasing a held claim, which also sets the number the claim quotes), or
   * routing holding a claim of its own message.
   */
  claimStatuses?: { claimId: string; status: string; priorAuthorizationNumber?: string }[];
  /** Patient demographics and coverages recorded on open claims of other messages (an inbound ADT). */
  claimPatches?: ClaimPatch[];
  /** Messages to mark delivered once every routed destination has a delivery row. */
  completeDeliveries?: string[];
  /** Audit records of new messages of the unit (their receipt): written if the message is stored, dropped with a duplicate. */
  audit?: MessageAudit[];
}

export interface MessageAudit {
  messageId: string;
  record: AuditRecord;
}

/**
 * What a patient update changes on one claim of another message. It applies only while the claim is
 * open (store/open-claims.ts), counting a status this same commit gives it, and only when the
 * message asking for it is stored (a duplicate changes nothing); its event is written only then.
 */
export interface ClaimPatch {
  claimId: string;
  /** The message whose canonical object asks for the change (the PatientUpdate's). */
  sourceMessageId: string;
  /** Fields of canonical.patient to set; the stored patient keeps the others. */
  patient?: Record<string, unknown>;
  /** The new coverage list (coverages[0] is the one billed) and the claims row's payer and member columns from it. */
  coverages?: { list: unknown[]; payerId: string | null; payerName: string | null; memberId: string | null };
  /** The lineage event on the claim's own message. */
  event: NewEvent;
}

export interface CommitOutcome {
  /** New message id → id of the earlier message with the same source and content. */
  duplicates: Map<string, string>;
  /** Messages that became `delivered` in this commit. */
  completed: Set<string>;
}
