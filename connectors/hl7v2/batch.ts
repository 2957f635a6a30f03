// Splits an HL7 batch file into its messages: [FHS] { [BHS] { MSH … } [BTS] } [FTS] (v2.x
// chapter 2, "HL7 batch protocol"). Counts are checked where the trailer states them: BTS-1 is
// the number of messages in its batch, FTS-1 the number of batches in the file. Input without
// any envelope (messages one after another, as file drops often hold) is one headerless batch.
import { readEncodingCharacters, type EncodingCharacters } from './encoding.js';
import { BatchEnvelopeError, MissingHeaderError, type SegmentPlace } from './errors.js';
import { messageFromLines, type Hl7Message } from './parse.js';
import { segmentLines, splitSegment, type Hl7Segment, type SegmentLine } from './segments.js';

export interface Hl7BatchGroup {
  /** BHS, or null for messages outside any BHS. */
  header: Hl7Segment | null;
  messages: Hl7Message[];
}

export interface Hl7Batch {
  fileHeader: Hl7Segment | null;
  batches: Hl7BatchGroup[];
  /** Every message of every batch, in file order. */
  messages: Hl7Message[];
}

const ENVELOPE_IDS = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

export function readHl7Batch(text: string): Hl7Batch {
  const lines = segmentLines(text);
  return new BatchReader(lines).read();
}

class BatchReader {
  private readonly batches: Hl7BatchGroup[] = [];
  private fileHeader: Hl7Segment | null = null;
  /** The batch messages are added to; null before the first and after each BTS. */
  private open: Hl7BatchGroup | null = null;
  private fileTrailerSeen = false;
  /** The separators of the FHS/BHS, or of the last message when the file has neither. */
  private encoding: EncodingCharacters | null;

  constructor(private readonly lines: SegmentLine[]) {
    const first = lines[0];
    const firstId = first === undefined ? '' : first.text.slice(0, 3);
    if (firstId !== 'FHS' && firstId !== 'BHS' && firstId !== 'MSH') {
      throw new MissingHeaderError('FHS, BHS or MSH', { segmentIndex: 1, line: first?.line ?? 1, segmentId: firstId, field: null });
    }
    const place = { segmentIndex: 1, line: first.line, segmentId: firstId };
    this.encoding = firstId === 'MSH' ? null : readEncodingCharacters(first.text, place);
  }

  read(): Hl7Batch {
    let i = 0;
    while (i < this.lines.length) {
      const id = this.lines[i].text.slice(0, 3);
      if (this.fileTrailerSeen) this.fail('nothing may follow FTS', i, id);
      if (id === 'MSH') {
        i = this.readMessage(i);
        continue;
      }
      if (!ENVELOPE_IDS.has(id)) this.fail(`${id} outside a message: every message starts with MSH`, i, id);
      if (id === 'FHS') this.readFileHeader(i);
      else if (id === 'BHS') this.readBatchHeader(i);
      else if (id === 'BTS') this.readBatchTrailer(i);
      else this.readFileTrailer(i);
      i++;
    }
    this.checkClosed();
    const messages = this.batches.flatMap((batch) => batch.messages);
    return { fileHeader: this.fileHeader, batches: this.batches, messages };
  }

  /** Reads the message starting at line `from`; returns the line after it. */
  private readMessage(from: number): number {
    let to = from + 1;
    while (to < this.lines.length) {
      const id = this.lines[to].text.slice(0, 3);
      if (id === 'MSH' || ENVELOPE_IDS.has(id)) break;
      to++;
    }
    if (this.open === null) {
      if (this.batches.some((batch) => batch.header !== null)) this.fail('MSH after BTS and before the next BHS', from, 'MSH');
      this.open = { header: null, messages: [] };
      this.batches.push(this.open);
    }
    const message = messageFromLines(this.lines, from, to, from);
    this.open.messages.push(message);
    this.encoding ??= message.encoding;
    return to;
  }

  /** The envelope segment at `index`, split once its place in the file has been checked. */
  private envelopeSegment(index: number): Hl7Segment {
    return splitSegment(this.lines[index], index + 1, this.encoding!);
  }

  private readFileHeader(index: number): void {
    if (index !== 0) this.fail('FHS must be the first segment of the file', index, 'FHS');
    this.fileHeader = this.envelopeSegment(index);
  }

  private readBatchHeader(index: number): void {
    if (this.open !== null) this.fail('BHS before the BTS that closes the previous batch', index, 'BHS');
    this.open = { header: this.envelopeSegment(index), messages: [] };
    this.batches.push(this.open);
  }

  private readBatchTrailer(index: number): void {
    if (this.open === null || this.open.header === null) this.fail('BTS without its BHS', index, 'BTS');
    this.checkCount(this.envelopeSegment(index), index, this.open.messages.length, 'messages in the batch');
    this.open = null;
  }

  private readFileTrailer(index: number): void {
    if (this.fileHeader === null) this.fail('FTS without FHS', index, 'FTS');
    if (this.open !== null && this.open.header !== null) this.fail('FTS before the BTS of the open batch', index, 'FTS');
    this.open = null;
    this.checkCount(this.envelopeSegment(index), index, this.batches.length, 'batches in the file');
    this.fileTrailerSeen = true;
  }

  /** Compares a trailer's count (field 1) with what was read; an empty count is not checked. */
  private checkCount(segment: Hl7Segment, index: number, actual: number, what: string): void {
    const stated = segment.fields[1] ?? '';
    if (stated === '') return;
    const place: SegmentPlace = { segmentIndex: index + 1, line: segment.line, segmentId: segment.id, field: 1 };
    if (!/^\d+$/.test(stated)) throw new BatchEnvelopeError(`count "${stated}" is not a number`, 'batch-count', place);
    if (Number(stated) !== actual) {
      throw new BatchEnvelopeError(`states ${stated} ${what}, the file holds ${actual}`, 'batch-count', place);
    }
  }

  private checkClosed(): void {
    const end = this.lines.length;
    if (this.open !== null && this.open.header !== null) this.fail('the batch has no BTS', end - 1, 'BHS');
    if (this.fileHeader !== null && !this.fileTrailerSeen) this.fail('the file has no FTS', end - 1, 'FHS');
  }

  private fail(message: string, index: number, segmentId: string): never {
    const line = this.lines[index]?.line ?? 1;
    throw new BatchEnvelopeError(message, 'batch-order', { segmentIndex: index + 1, line, segmentId, field: null });
  }
}
