// Reads the ACK a receiver returns for a message we sent: MSA-1 code, MSA-2 control id, MSA-3
// text, and each ERR's place and code (ERR-2/ERR-3/ERR-8 from v2.5, ERR-1 from v2.3/2.4 senders).
import { ParseError } from '../../../canonical-model/errors.js';
import type { EncodingCharacters } from '../encoding.js';
import { unescapeHl7 } from '../escape.js';
import { payloadText } from '../mllp-framer.js';
import { parseHl7Message } from '../parse.js';
import type { Hl7Segment } from '../segments.js';

export interface AcknowledgementError {
  /** `PID-3`, `PID-3.1`, or the segment alone (ERR-2, else ERR-1). */
  location?: string;
  /** HL7 table 0357 code (ERR-3.1, else ERR-1.4), or the application's own (ERR-5.1). */
  code?: string;
  /** ERR-8 user message, else the code's text. */
  text?: string;
}

export interface Acknowledgement {
  /** MSA-1: AA, AE, AR (original mode) or CA, CE, CR (enhanced mode). */
  code: string;
  /** MSA-2: the MSH-10 of the message acknowledged. */
  controlId: string;
  /** MSA-3 (withdrawn in v2.5 but still sent), else the first error's text. */
  text?: string;
  errors: AcknowledgementError[];
}

/** Throws ParseError when the reply is not HL7 or has no MSA-1. */
export function readAcknowledgement(reply: Buffer): Acknowledgement {
  const message = parseHl7Message(payloadText(reply));
  const read = reader(message.encoding);
  const msa = message.segments.find((segment) => segment.id === 'MSA');
  const code = msa && read(msa, 1);
  if (!msa || !code)
    throw new ParseError('the reply has no MSA-1 acknowledgement code', [{ path: 'MSA-1', rule: 'required', message: 'missing' }]);
  const errors = message.segments.filter((segment) => segment.id === 'ERR').map((err) => errorOf(err, read));
  const text = read(msa, 3) ?? errors.find((error) => error.text)?.text;
  return { code, controlId: read(msa, 2) ?? '', ...(text ? { text } : {}), errors };
}

/** Component `component` (from 1) of the first repetition of a field, subcomponent `sub`, unescaped; undefined when empty. */
type Read = (segment: Hl7Segment, field: number, component?: number, sub?: number) => string | undefined;

function reader(encoding: EncodingCharacters): Read {
  return (segment, field, component = 1, sub = 1) => {
    const occurrence = (segment.fields[field] ?? '').split(encoding.repetition)[0];
    const part = (occurrence.split(encoding.component)[component - 1] ?? '').split(encoding.subcomponent)[sub - 1] ?? '';
    return part === '' ? undefined : unescapeHl7(part, encoding);
  };
}

function errorOf(err: Hl7Segment, read: Read): AcknowledgementError {
  // ERR-2 (ERL): segment ^ sequence ^ field ^ repetition ^ component; ERR-1 (ELD, v2.4): segment ^ sequence ^ field ^ code&text.
  const location = read(err, 2) ? locationOf(read(err, 2), read(err, 2, 3), read(err, 2, 5)) : locationOf(read(err, 1), read(err, 1, 3));
  const code = read(err, 3) ?? read(err, 1, 4) ?? read(err, 5);
  const text = read(err, 8) ?? read(err, 3, 2) ?? read(err, 1, 4, 2);
  return { ...(location ? { location } : {}), ...(code ? { code } : {}), ...(text ? { text } : {}) };
}

/** `PID-3.1` from a segment id, field and component. */
function locationOf(segment: string | undefined, field?: string, component?: string): string | undefined {
  if (!segment) return undefined;
  if (!field) return segment;
  return `${segment}-${field}${component ? `.${component}` : ''}`;
}
