// What an HL7 v2 sender hears back: the outcome of intake turned into an ACK. AA once the message
// is stored and translated (or stored and waiting for a retry of our own translator); AE when its
// content is wrong (the ERR names segment, occurrence and field); AR when the hub cannot take it
// (MSH unreadable, a message type claimhub does not translate, store down, overloaded) — the
// sender should not resend an AE as is, and may resend an AR later.
import { createHash } from 'node:crypto';
import type { ClaimhubError, Issue } from '../../canonical-model/errors.js';
import type { IntakeOutcome } from '../acknowledger.js';
import { buildAck, HL7_ACK_CONTENT_TYPE, type AckCode, type AckedMessage, type AckError, type ErrorLocation, type Hl7ErrorCode } from './ack.js';
import { readEncodingCharacters } from './encoding.js';
import { readMessageHeader } from './header.js';
import { segmentLines, splitSegment } from './segments.js';

export type Hl7Outcome = IntakeOutcome;

/** The ACK for one message (the ER7 text and its content type). */
export function hl7Acknowledgement(raw: string, outcome: Hl7Outcome, now = new Date()): { contentType: string; text: string } {
  const original = readAckedMessage(raw);
  const { code, errors, text } = ackContent(raw, original, outcome);
  return { contentType: HL7_ACK_CONTENT_TYPE, text: buildAck(original, { code, errors, text, now }) };
}

function ackContent(raw: string, original: AckedMessage | undefined, outcome: Hl7Outcome): { code: AckCode; errors: AckError[]; text?: string } {
  if (outcome.kind === 'accepted') return { code: 'AA', errors: [], text: outcome.text };
  if (outcome.kind === 'not-stored') {
    const message = outcome.error.message;
    return { code: 'AR', errors: [{ code: 207, severity: 'E', rule: 'not-stored', message }], text: message };
  }
  const { error } = outcome;
  // A message whose MSH cannot be read, or whose type claimhub does not take, is rejected whole.
  const rejected = original === undefined || error.errorClass === 'unsupported';
  const errors = (error.issues.length > 0 ? error.issues : [{ path: '', rule: error.errorClass, message: error.message }]).map((issue) =>
    ackError(raw, error, issue),
  );
  return { code: rejected ? 'AR' : 'AE', errors, text: error.message };
}

function ackError(raw: string, error: ClaimhubError, issue: Issue): AckError {
  const location = readerErrorLocation(raw, issue.path) ?? locationInPath(issue.path);
  return { code: errorCode(error, issue), location, severity: 'E', rule: issue.rule, message: issue.message };
}

/** Table 0357 by what went wrong; claimhub's own rule name travels beside it in ERR-5. */
function errorCode(error: ClaimhubError, issue: Issue): Hl7ErrorCode {
  if (error.errorClass === 'unsupported') return 200;
  if (issue.rule === 'duplicate-control-id') return 205;
  if (error.errorClass === 'parse') {
    return ['header-first', 'segment-id', 'single-message', 'batch-order', 'batch-count'].includes(issue.rule) ? 100 : 102;
  }
  if (/required|missing|absent|no-/.test(issue.rule)) return 101;
  if (/code|table|qualifier|unknown|crosswalk/.test(issue.rule)) return 103;
  if (error.errorClass === 'mapping' || error.errorClass === 'validation') return 102;
  return 207;
}

/**
 * The reader's errors (errors.ts) name the segment by position, `segment 14 (line 14) FT1-10`;
 * ERR wants the occurrence of its id (the 2nd FT1). Read from the path, not the class: errors
 * cross the mapping threads as plain data.
 */
const READER_PLACE = /^segment (\d+) \(line \d+\) (\S{1,3}?)(?:-(\d+))?$/;

function readerErrorLocation(raw: string, path: string): ErrorLocation | undefined {
  const match = READER_PLACE.exec(path);
  if (!match) return undefined;
  const [, position, segment, field] = match;
  if (!/^[A-Z0-9]{3}$/.test(segment)) return undefined;
  const sequence = segmentLines(raw)
    .slice(0, Number(position))
    .filter((line) => line.text.startsWith(segment)).length;
  return { segment, sequence: sequence || 1, ...(field === undefined ? {} : { field: Number(field) }) };
}

/**
 * An issue path naming an HL7 place: `PID-3`, `FT1[2]-10`, `IN1[1]-36.1`, `FT1[2]-26[3]`, `PV1[1]`, possibly
 * inside a longer text (`segment 14 (line 14) FT1-10`). Repetitions and occurrences count from 1.
 */
const HL7_PLACE = /(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\[(\d+)\])?(?:\.(\d+))?(?:\.(\d+))?|(?=[\s([]|$))/;

export function locationInPath(path: string): ErrorLocation | undefined {
  const match = HL7_PLACE.exec(path);
  if (!match) return undefined;
  const [, segment, sequence, field, repetition, component, subcomponent] = match;
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  return {
    segment,
    sequence: number(sequence) ?? 1,
    ...(field ? { field: number(field) } : {}),
    ...(repetition ? { repetition: number(repetition) } : {}),
    ...(component ? { component: number(component) } : {}),
    ...(subcomponent ? { subcomponent: number(subcomponent) } : {}),
  };
}

/** The MSH of `raw` as far as it can be read (separators and header), whatever follows it. */
export function readAckedMessage(raw: string): AckedMessage | undefined {
  const first = segmentLines(raw.slice(0, raw.search(/[\r\n]/) === -1 ? undefined : raw.search(/[\r\n]/) + 1))[0];
  if (!first?.text.startsWith('MSH')) return undefined;
  try {
    const encoding = readEncodingCharacters(first.text, { segmentIndex: 1, line: first.line, segmentId: 'MSH' });
    return { encoding, header: readMessageHeader(splitSegment(first, 1, encoding), encoding) };
  } catch {
    return undefined;
  }
}

/** MSH-9 (type^event) and MSH-10 as far as the MSH can be read. */
export function identifyHl7(raw: string): { messageType?: string; controlIds: Record<string, string> } {
  const header = readAckedMessage(raw)?.header;
  if (!header) return { controlIds: {} };
  const messageType = [header.messageType, header.triggerEvent].filter(Boolean).join('^');
  return { ...(messageType ? { messageType } : {}), controlIds: header.controlId ? { controlId: header.controlId } : {} };
}

/**
 * Who sent it and under which control id: MSH-3, MSH-4 and MSH-10. A sender numbers its messages,
 * so a second message under the same key is a resend (or a sender defect), not a new message.
 * Undefined when the MSH cannot be read or has no MSH-10.
 */
export function hl7DuplicateKey(raw: string): string | undefined {
  const message = readAckedMessage(raw);
  if (!message?.header.controlId) return undefined;
  const { sendingApplication: app, sendingFacility: facility, controlId } = message.header;
  return `hl7v2|${app.namespaceId}^${app.universalId}|${facility.namespaceId}^${facility.universalId}|${controlId}`;
}

/**
 * Whether two messages under the same control id are the same message: equal once segment ends are
 * normalised and MSH-7 (the time of sending, which a resend may renew) is set aside.
 */
export function sameHl7Message(a: string, b: string): boolean {
  return contentFingerprint(a) === contentFingerprint(b);
}

function contentFingerprint(raw: string): string {
  const message = readAckedMessage(raw);
  const lines = segmentLines(raw).map((line) => line.text);
  if (message && lines[0]) {
    const fields = lines[0].split(message.encoding.field);
    if (fields.length > 6) fields[6] = ''; // MSH-7: fields[0] is "MSH", fields[1] MSH-2, so MSH-n is fields[n-1]
    lines[0] = fields.join(message.encoding.field);
  }
  return createHash('sha256').update(lines.join('\r')).digest('hex');
}
