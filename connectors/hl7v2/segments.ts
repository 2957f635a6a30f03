// Splits ER7 text into segment lines and a segment line into its fields. HL7 ends segments with
// CR; files and HTTP bodies often carry LF or CRLF instead, so all three end a line. Blank lines
// (a trailing newline, a blank line between messages) and a leading byte-order mark are skipped.
// The segment id is checked when the segment is read; its fields are split on first use, so a
// mapping that never looks at a segment (PRT, OBX…) does not pay for it.
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
  readonly fields: string[];
  /** Input line, from 1. */
  line: number;
}

/** A segment line before it is split: text and input line. */
export interface SegmentLine {
  text: string;
  line: number;
}

const CR = 13;
const LF = 10;

export function segmentLines(text: string): SegmentLine[] {
  const lines: SegmentLine[] = [];
  const length = text.length;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // The next CR and the next LF at or after `start` (length when there is none), found with indexOf.
  let cr = nextIndex(text, '\r', start);
  let lf = nextIndex(text, '\n', start);
  while (start < length) {
    const end = cr < lf ? cr : lf;
    if (end > start) lines.push({ text: text.slice(start, end), line });
    if (end >= length) break;
    start = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    if (cr < start) cr = nextIndex(text, '\r', start);
    if (lf < start) lf = nextIndex(text, '\n', start);
    line++;
  }
  return lines;
}

function nextIndex(text: string, character: string, from: number): number {
  const index = text.indexOf(character, from);
  return index === -1 ? text.length : index;
}

/** A segment whose fields are split from its line the first time they are asked for. */
class LineSegment implements Hl7Segment {
  private split: string[] | undefined;

  constructor(
    readonly id: string,
    readonly line: number,
    private readonly text: string,
    private readonly separator: string,
  ) {}

  get fields(): string[] {
    if (this.split === undefined) {
      this.split = this.text.split(this.separator);
      if (this.id === 'MSH' || this.id === 'FHS' || this.id === 'BHS') this.split.splice(1, 0, this.separator);
    }
    return this.split;
  }
}

/** Reads a segment line's id; throws SegmentIdError for an id that is not [A-Z0-9]{3}. */
export function splitSegment(source: SegmentLine, segmentIndex: number, encoding: EncodingCharacters): Hl7Segment {
  const text = source.text;
  const separator = encoding.field;
  if (isSegmentId(text) && (text.length === 3 || text[3] === separator)) {
    return new LineSegment(text.slice(0, 3), source.line, text, separator);
  }
  const end = text.indexOf(separator);
  const id = end === -1 ? text : text.slice(0, end);
  throw new SegmentIdError({ segmentIndex, line: source.line, segmentId: id, field: null });
}

/** Whether the text starts with three upper-case letters or digits. */
function isSegmentId(text: string): boolean {
  if (text.length < 3) return false;
  for (let i = 0; i < 3; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 65 && code <= 90) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}
