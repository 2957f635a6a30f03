// Reads one ER7 (pipe-delimited) HL7 v2 message: separators from MSH-1/MSH-2, every segment's id
// checked (its raw fields are split on first use), the MSH header read into typed values.
// Components, repetitions and escapes are resolved by the JSON view (message-json.ts) for the fields
// read, so a message read only for routing stays cheap. Every read error is thrown here, not later.
// Versions 2.3 to 2.8 share this syntax; the version is reported, not enforced.
import { readEncodingCharacters, type EncodingCharacters } from './encoding.js';
import { MissingHeaderError, SeveralMessagesError } from './errors.js';
import { readMessageHeader, type MessageHeader } from './header.js';
import { segmentLines, splitSegment, type Hl7Segment, type SegmentLine } from './segments.js';

export interface Hl7Message {
  encoding: EncodingCharacters;
  header: MessageHeader;
  /** Every segment in order, MSH first, Z-segments included. */
  segments: Hl7Segment[];
  /** The message re-joined with CR, the standard segment terminator (for storage and forwarding). */
  text: string;
}

/** Parses exactly one message; a second MSH is an error (read batches with readHl7Batch). */
export function parseHl7Message(text: string): Hl7Message {
  const lines = segmentLines(text);
  const message = messageFromLines(lines, 0, lines.length, 0);
  const second = message.segments.findIndex((segment, i) => i > 0 && segment.id === 'MSH');
  if (second !== -1) {
    const { line } = message.segments[second];
    throw new SeveralMessagesError({ segmentIndex: second + 1, line, segmentId: 'MSH', field: null });
  }
  return message;
}

/**
 * The message made of `lines[from..to)`. `indexBase` is the number of segments before `from` in
 * the input, so error places count from the start of a batch file.
 */
export function messageFromLines(lines: SegmentLine[], from: number, to: number, indexBase: number): Hl7Message {
  const first = lines[from];
  const place = { segmentIndex: indexBase + 1, line: first?.line ?? 1 };
  const firstId = first === undefined ? '' : first.text.slice(0, 3);
  if (firstId !== 'MSH') throw new MissingHeaderError('MSH', { ...place, segmentId: firstId, field: null });
  const encoding = readEncodingCharacters(first.text, { ...place, segmentId: 'MSH' });
  const segments: Hl7Segment[] = [];
  const texts: string[] = [];
  for (let i = from; i < to; i++) {
    segments.push(splitSegment(lines[i], indexBase + i - from + 1, encoding));
    texts.push(lines[i].text);
  }
  return { encoding, header: readMessageHeader(segments[0], encoding), segments, text: texts.join('\r') };
}
