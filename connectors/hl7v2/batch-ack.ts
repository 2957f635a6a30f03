// The answer to an HL7 v2 batch: a batch of ACK messages, one per message in file order, in an
// envelope that mirrors the sender's (FHS/FTS when it sent a file header, always BHS/BTS), the
// sender's file and batch control ids referenced in FHS-12/BHS-12 (HL7 v2 chapter 2, batch
// acknowledgement). A batch that could not be read at all gets one AR that says why.
import { randomBytes } from 'node:crypto';
import type { ClaimhubError } from '../../canonical-model/errors.js';
import type { IntakeOutcome } from '../acknowledger.js';
import { escapeHl7, HL7_ACK_CONTENT_TYPE } from './ack.js';
import { hl7Acknowledgement } from './acknowledge.js';
import { readEncodingCharacters, type EncodingCharacters } from './encoding.js';
import { segmentLines } from './segments.js';

const STANDARD: EncodingCharacters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null };

export interface BatchPartOutcome {
  raw: string;
  outcome: IntakeOutcome;
}

export function hl7BatchAcknowledgement(
  raw: string,
  parts: BatchPartOutcome[],
  rejection?: ClaimhubError,
  now = new Date(),
): { contentType: string; text: string } {
  const lines = segmentLines(raw).map((line) => line.text);
  const fileHeader = lines[0]?.startsWith('FHS') ? lines[0] : undefined;
  const batchHeader = lines.find((line) => line.startsWith('BHS'));
  const encoding = envelopeEncoding(fileHeader ?? batchHeader);
  const acks = rejection
    ? [hl7Acknowledgement(firstMessage(lines) ?? raw, { kind: 'refused', error: rejection }, now).text]
    : parts.map((part) => hl7Acknowledgement(part.raw, part.outcome, now).text);
  const segments = [
    ...(fileHeader ? [envelopeHeader('FHS', fileHeader, encoding, now)] : []),
    envelopeHeader('BHS', batchHeader, encoding, now),
    ...acks,
    ['BTS', String(acks.length)].join(encoding.field),
    ...(fileHeader ? [['FTS', '1'].join(encoding.field)] : []),
  ];
  return { contentType: HL7_ACK_CONTENT_TYPE, text: segments.join('\r') };
}

/** FHS/BHS answering `original`: sender and receiver swapped, a new control id, the original's in field 12. */
function envelopeHeader(id: 'FHS' | 'BHS', original: string | undefined, encoding: EncodingCharacters, now: Date): string {
  const fields = original?.split(encoding.field) ?? [];
  // fields[0] is the id and fields[1] the encoding characters: field n of the segment is fields[n - 1]
  const field = (n: number) => fields[n - 1] ?? '';
  const characters = encoding.component + encoding.repetition + encoding.escape + encoding.subcomponent + (encoding.truncation ?? '');
  return [
    id,
    characters,
    field(5) || escapeHl7('CLAIMHUB', encoding),
    field(6),
    field(3),
    field(4),
    `${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}+0000`,
    '',
    '',
    '',
    randomBytes(10).toString('hex').toUpperCase(),
    field(11),
  ]
    .join(encoding.field)
    .replace(new RegExp(`\\${encoding.field}+$`), '');
}

function envelopeEncoding(header: string | undefined): EncodingCharacters {
  if (!header) return STANDARD;
  try {
    return readEncodingCharacters(header, { segmentIndex: 1, line: 1, segmentId: header.slice(0, 3) });
  } catch {
    return STANDARD;
  }
}

/** The first message's text (its MSH addresses the AR of a batch that could not be read). */
function firstMessage(lines: string[]): string | undefined {
  const start = lines.findIndex((line) => line.startsWith('MSH'));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^(MSH|BTS|FTS|BHS)/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\r');
}
