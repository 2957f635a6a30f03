// Typed errors of the acknowledgement code: an interchange no TA1 can answer, and a received 999
// or TA1 that cannot be read.
import { ParseError, type Issue } from '../../../canonical-model/errors.js';
import type { Ta1NoteCode } from '../ack-codes.js';
import type { InterchangeHeaderError } from '../errors.js';

/**
 * The input's ISA cannot be read far enough to address a TA1 (no ISA at all, or its ISA13, ISA09,
 * ISA10 or parties cannot be told apart): a TA1 must echo them, so there is no X12 answer. The
 * caller answers in its own channel (HTTP 400 problem+json, an SFTP rejection) with these issues.
 */
export class UnanswerableInterchangeError extends ParseError {
  /** What a TA1 would have said (TA105), had one been possible. */
  readonly ta1NoteCode: Ta1NoteCode;
  readonly offset: number;
  readonly line: number;

  constructor(reason: string, cause: InterchangeHeaderError) {
    super(`no TA1 can answer this input: ${reason}; ${cause.message}`, cause.issues, { cause });
    this.ta1NoteCode = cause.ta1NoteCode;
    this.offset = cause.offset;
    this.line = cause.line;
  }
}

/** Where in a received acknowledgement a problem is: segment, its position in the set (ST is 1), element. */
export interface AcknowledgmentPlace {
  segmentId: string;
  position: number;
  element?: number;
}

/** A received 999 or TA1 that does not follow 005010X231A1 or X12.5 closely enough to be read. */
export class AcknowledgmentReadError extends ParseError {
  readonly segmentId: string;
  readonly position: number;
  readonly element: number | undefined;

  constructor(message: string, place: AcknowledgmentPlace, rule: string) {
    const path = place.element === undefined ? place.segmentId : `${place.segmentId}${String(place.element).padStart(2, '0')}`;
    const issue: Issue = { path: `${path} (segment ${place.position})`, rule, message };
    super(message, [issue]);
    this.segmentId = place.segmentId;
    this.position = place.position;
    this.element = place.element;
  }
}
