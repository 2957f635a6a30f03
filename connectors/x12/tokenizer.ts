// Streaming X12 tokenizer: bytes or text in, Segments out, in chunks of any size. It re-reads the
// delimiters at every ISA and holds nothing but the segment it is in the middle of.
import { StringDecoder } from 'node:string_decoder';
import { readInterchangeHeader } from './delimiters.js';
import { SegmentTooLongError } from './errors.js';
import type { Segment } from './segment.js';

/**
 * No real segment comes near this; without a bound, input whose terminator is wrong (or that is
 * not X12) would be buffered whole. X12.6 sets no maximum; 837 segments stay under a few hundred.
 */
export const MAX_SEGMENT_LENGTH = 1 << 20;

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BOM = 0xfeff;

export class Tokenizer {
  private readonly onSegment: (segment: Segment) => void;
  private readonly decoder = new StringDecoder('utf8');
  /** The unread tail of the input: at most one unfinished segment (or ISA). */
  private buffer = '';
  /** Input offset of buffer[0], and the line it is on. */
  private base = 0;
  private line = 1;
  /** Delimiters of the current interchange; an empty terminator means an ISA must come next. */
  private element = '';
  private terminator = '';
  private stripCarriageReturn = false;
  private readonly scratch: string[] = new Array<string>(64).fill('');
  /** Position of the last segment handed on within the open transaction set; 0 outside one. */
  private position = 0;

  constructor(onSegment: (segment: Segment) => void) {
    this.onSegment = onSegment;
  }

  /** Takes the next piece of input: bytes (UTF-8, split anywhere) or already decoded text. */
  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    this.scan(false);
  }

  /** The input is complete: hands on what is left, a last segment without terminator included. */
  end(): void {
    const rest = this.decoder.end();
    if (rest.length > 0) this.buffer += rest;
    this.scan(true);
  }

  private scan(final: boolean): void {
    const text = this.buffer;
    const length = text.length;
    let pos = 0;
    let line = this.line;
    let nextLineFeed = text.indexOf('\n');
    for (;;) {
      // Line breaks and blanks between segments are tolerated (X12 files are often one segment a line),
      // and so is a byte order mark. Bounds are checked before charCodeAt: reading past the end
      // would deoptimize this loop.
      let code = 0;
      while (pos < length && ((code = text.charCodeAt(pos)) === LF || code === CR || code === SPACE || code === TAB || code === BOM)) pos++;
      if (pos >= length) break;
      while (nextLineFeed !== -1 && nextLineFeed < pos) {
        line++;
        nextLineFeed = text.indexOf('\n', nextLineFeed + 1);
      }
      if (this.terminator === '' || (code === 73 && startsInterchange(text, pos))) {
        if (!final && pos + 3 >= length) break;
        const header = readInterchangeHeader(text, pos, line, final);
        if (header === undefined) break;
        this.element = header.delimiters.element;
        this.terminator = header.delimiters.segment;
        this.stripCarriageReturn = this.terminator === '\n';
        this.position = 0;
        const { elements, delimiters } = header;
        this.onSegment({ id: 'ISA', elements, position: 0, offset: this.base + pos, line, delimiters });
        pos = header.end;
        continue;
      }
      const end = text.indexOf(this.terminator, pos);
      if (end === -1) break;
      this.emit(text, pos, end, line, false);
      pos = end + 1;
    }
    if (final && pos < length) {
      let end = length;
      for (
        let code = text.charCodeAt(end - 1);
        end > pos && (code === LF || code === CR || code === SPACE || code === TAB);
        code = text.charCodeAt(--end - 1)
      );
      this.emit(text, pos, end, line, true);
      pos = length;
    } else if (length - pos > MAX_SEGMENT_LENGTH) {
      throw new SegmentTooLongError(MAX_SEGMENT_LENGTH, { offset: this.base + pos, line });
    }
    while (nextLineFeed !== -1 && nextLineFeed < pos) {
      line++;
      nextLineFeed = text.indexOf('\n', nextLineFeed + 1);
    }
    this.line = line;
    this.base += pos;
    this.buffer = pos === 0 ? text : text.slice(pos);
  }

  /** Splits text[start, end) into id and elements and hands the segment on. */
  private emit(text: string, start: number, end: number, line: number, unterminated: boolean): void {
    if (this.stripCarriageReturn && text.charCodeAt(end - 1) === CR) end--;
    // Elements are cut with indexOf and slice (String.prototype.split is slower here) into a
    // scratch array, then copied into one of the right size: a held segment costs no spare slots.
    const element = this.element;
    let separator = text.indexOf(element, start);
    let id: string;
    let elements: string[];
    if (separator === -1 || separator >= end) {
      id = text.slice(start, end);
      elements = [];
    } else {
      id = text.slice(start, separator);
      const scratch = this.scratch;
      let count = 0;
      for (;;) {
        const next = text.indexOf(element, separator + 1);
        if (next === -1 || next >= end) break;
        scratch[count++] = text.slice(separator + 1, next);
        separator = next;
      }
      scratch[count++] = text.slice(separator + 1, end);
      elements = scratch.slice(0, count);
    }
    const position = this.followEnvelope(id);
    const segment: Segment = { id, elements, position, offset: this.base + start, line };
    if (unterminated) segment.unterminated = true;
    this.onSegment(segment);
  }

  /**
   * Keeps the tokenizer's place in the envelopes and returns the segment's position: 005010 counts
   * a transaction set from ST (1) through SE; envelope segments are outside one; after IEA only an
   * ISA may come, with delimiters of its own.
   */
  private followEnvelope(id: string): number {
    if (id.length === 2) {
      if (id === 'ST') return (this.position = 1);
      if (id === 'SE') {
        const position = this.position > 0 ? this.position + 1 : 0;
        this.position = 0;
        return position;
      }
      if (id === 'GS' || id === 'GE') return (this.position = 0);
    } else if (id === 'IEA') {
      this.terminator = '';
      return (this.position = 0);
    }
    return this.position > 0 ? ++this.position : 0;
  }
}

/** `ISA` followed by a non-alphanumeric separator (or by the end of what has arrived so far). */
function startsInterchange(text: string, pos: number): boolean {
  if (pos + 3 >= text.length) return text.startsWith('ISA'.slice(0, text.length - pos), pos);
  if (text.charCodeAt(pos + 1) !== 83 || text.charCodeAt(pos + 2) !== 65) return false;
  const separator = text.charCodeAt(pos + 3);
  return !((separator >= 48 && separator <= 57) || (separator >= 65 && separator <= 90) || (separator >= 97 && separator <= 122));
}

/** Every segment of a whole text, in order. */
export function tokenize(text: string): Segment[] {
  const segments: Segment[] = [];
  const tokenizer = new Tokenizer((segment) => segments.push(segment));
  tokenizer.push(text);
  tokenizer.end();
  return segments;
}
