// Splits ER7 text into segment lines and a segment line into its fields. HL7 ends segments with
// CR; files and HTTP bodies often carry LF or CRLF instead, so all three end a line. Blank lines
// (a trailing newline, a blank line between messages) and a leading byte-order mark are skipped.
import type { EncodingCharacters } from './encoding.js';
import { SegmentIdError } from './errors.js';

/** One segment as written: its id, raw field texts, and where it was read. */
export interface Hl7Segment {
  id: string;
  /**
   * Raw (still escaped) field texts by HL7 field number: `fields[3]` is PID-3. `fields[0]` is the
   * segment id. In MSH, FHS and BHS `fields[1]` is the field separator and `fields[2]` the encoding
   * characters, as the standard numbers them.
   */
  fields: string[];
  /** Input line, from 1. */
  line: number;
}

/** A segment line before it is split: text and input line. */
export interface SegmentLine {
  text: string;
  line: number;
}

const HEADER_IDS = new Set(['MSH', 'FHS', 'BHS']);

export function segmentLines(text: string): SegmentLine[] {
  const lines: SegmentLine[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const length = text.length;
  while (start <= length) {
    let end = start;
    while (end < length) {
      const code = text.charCodeAt(end);
      if (code === 13 || code === 10) break;
      end++;
    }
    if (end > start) lines.push({ text: text.slice(start, end), line });
    if (end >= length) break;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    line++;
  }
  return lines;
}

/** Splits a segment line into fields; throws SegmentIdError for an id that is not [A-Z0-9]{3}. */
export function splitSegment(source: SegmentLine, segmentIndex: number, encoding: EncodingCharacters): Hl7Segment {
  const fields = source.text.split(encoding.field);
  const id = fields[0];
  if (!isSegmentId(id)) throw new SegmentIdError({ segmentIndex, line: source.line, segmentId: id, field: null });
  if (HEADER_IDS.has(id)) fields.splice(1, 0, encoding.field);
  return { id, fields, line: source.line };
}

function isSegmentId(id: string): boolean {
  if (id.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const code = id.charCodeAt(i);
    if (!((code >= 65 && code <= 90) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}
