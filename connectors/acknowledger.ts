// Per-message acknowledgements by format, for intake: the protocol answer a sender gets once its
// message is stored (an HL7 ACK; FHIR and X12 answer otherwise: HTTP status, 999/TA1 per batch),
// and the sender's own message key where the format has one (HL7 MSH-10), so a resend is
// recognised even when the sender renewed its timestamp.
import type { ClaimhubError } from '../canonical-model/errors.js';
import { detectFormat } from './detect.js';
import { hl7Acknowledgement, hl7DuplicateKey, identifyHl7, sameHl7Message } from './hl7v2/acknowledge.js';
import { hl7BatchAcknowledgement } from './hl7v2/batch-ack.js';

export type IntakeOutcome =
  /** Stored; translated and routed, or left to the ingest job. */
  | { kind: 'accepted'; text?: string }
  /** Stored failed: the content cannot be translated (parse, mapping, validation, unsupported type). */
  | { kind: 'refused'; error: ClaimhubError }
  /** Not stored: the sender must send it again later. */
  | { kind: 'not-stored'; error: ClaimhubError | Error };

export interface Acknowledgement {
  contentType: string;
  text: string;
}

export interface Acknowledger {
  /** What the header says the message is (HL7 MSH-9, MSH-10), for a message its translation could not read. */
  identify(raw: string, contentType?: string): { messageType?: string; controlIds: Record<string, string> };
  /** The sender's key for the message (HL7: sending application + facility + MSH-10), or undefined. */
  duplicateKey(raw: string, contentType?: string): string | undefined;
  /** Whether two payloads under one key are the same message (a resend), not a reused key. */
  sameMessage(raw: string, original: string, contentType?: string): boolean;
  /** The answer to the sender, or undefined for formats without a per-message acknowledgement. */
  acknowledge(raw: string, contentType: string | undefined, outcome: IntakeOutcome): Acknowledgement | undefined;
  /** The answer to a batch whose acknowledgement depends on each part's outcome (an HL7 batch file). */
  acknowledgeBatch(raw: string, contentType: string | undefined, parts: { raw: string; outcome: IntakeOutcome }[], rejection?: ClaimhubError): Acknowledgement | undefined;
}

export const messageAcknowledger: Acknowledger = {
  identify: (raw, contentType) => (detectFormat(raw, contentType) === 'hl7v2' ? identifyHl7(raw) : { controlIds: {} }),
  duplicateKey: (raw, contentType) => (detectFormat(raw, contentType) === 'hl7v2' ? hl7DuplicateKey(raw) : undefined),
  sameMessage: (raw, original, contentType) => (detectFormat(raw, contentType) === 'hl7v2' ? sameHl7Message(raw, original) : raw === original),
  acknowledge: (raw, contentType, outcome) => (detectFormat(raw, contentType) === 'hl7v2' ? hl7Acknowledgement(raw, outcome) : undefined),
  acknowledgeBatch: (raw, contentType, parts, rejection) =>
    detectFormat(raw, contentType) === 'hl7v2' ? hl7BatchAcknowledgement(raw, parts, rejection) : undefined,
};
