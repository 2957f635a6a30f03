// Typed errors of the HL7 v2 ER7 reader. Each names the place (segment position and input line,
// segment id, field) so an ACK's ERR segment and the stored error can point at it.
import { ParseError } from '../../canonical-model/errors.js';

/** Where in the input a problem sits: segment position and line count from 1. */
export interface SegmentPlace {
  /** Position of the segment in the message (or batch file), from 1. */
  segmentIndex: number;
  /** Input line, from 1 (CR, LF and CRLF each end one line). */
  line: number;
  /** The segment id as written (may be the malformed id itself). */
  segmentId: string;
  /** HL7 field number (MSH-2 is 2), or null when the problem is the whole segment. */
  field: number | null;
}

/** Every HL7 read error: a ParseError with the place as typed properties and as the issue path. */
export abstract class Hl7ParseError extends ParseError {
  readonly segmentIndex: number;
  readonly line: number;
  readonly segmentId: string;
  readonly field: number | null;

  constructor(message: string, rule: string, place: SegmentPlace) {
    const designator = place.field === null ? place.segmentId : `${place.segmentId}-${place.field}`;
    const path = `segment ${place.segmentIndex} (line ${place.line}) ${designator}`;
    super(`${path}: ${message}`, [{ path, rule, message }]);
    this.segmentIndex = place.segmentIndex;
    this.line = place.line;
    this.segmentId = place.segmentId;
    this.field = place.field;
  }
}

/** The message does not start with MSH (or the batch file with FHS, BHS or MSH). */
export class MissingHeaderError extends Hl7ParseError {
  constructor(expected: string, place: SegmentPlace) {
    super(`expected ${expected} first, found "${place.segmentId}"`, 'header-first', place);
  }
}

/** MSH-1/MSH-2 (or FHS/BHS) do not declare a usable set of separators. */
export class EncodingCharactersError extends Hl7ParseError {
  constructor(message: string, place: SegmentPlace) {
    super(message, 'encoding-characters', place);
  }
}

/** A segment whose id is not three upper-case letters or digits. */
export class SegmentIdError extends Hl7ParseError {
  constructor(place: SegmentPlace) {
    super(`segment id "${place.segmentId}" is not three upper-case letters or digits`, 'segment-id', place);
  }
}

/** A second MSH in what must be a single message (several messages belong in a batch). */
export class SeveralMessagesError extends Hl7ParseError {
  constructor(place: SegmentPlace) {
    super('a second MSH starts another message: read the input as a batch', 'single-message', place);
  }
}

/** FHS/BHS/BTS/FTS envelope out of order, missing, or a trailer count that disagrees. */
export class BatchEnvelopeError extends Hl7ParseError {
  constructor(message: string, rule: 'batch-order' | 'batch-count', place: SegmentPlace) {
    super(message, rule, place);
  }
}
