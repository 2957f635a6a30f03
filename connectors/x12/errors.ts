// Typed errors of the X12 reader: input it cannot read at all (no usable ISA, a runaway segment).
// Problems it can read past are findings (findings.ts), not errors.
import { ParseError, type Issue } from '../../canonical-model/errors.js';
import type { Ta1NoteCode } from './ack-codes.js';

/** Where in the input (characters from 0, 1-based line). */
export interface InputPlace {
  offset: number;
  line: number;
}

/**
 * The interchange header cannot be read: no ISA where one must be, or an ISA that breaks the
 * fixed-width layout its delimiters are read from. Answered with a TA1 carrying `ta1NoteCode`.
 */
export class InterchangeHeaderError extends ParseError {
  readonly ta1NoteCode: Ta1NoteCode;
  readonly offset: number;
  readonly line: number;

  constructor(message: string, ta1NoteCode: Ta1NoteCode, place: InputPlace, issue: Omit<Issue, 'message'>) {
    super(message, [{ ...issue, message }]);
    this.ta1NoteCode = ta1NoteCode;
    this.offset = place.offset;
    this.line = place.line;
  }
}

/** A segment longer than any X12 segment could be (a wrong terminator, or not X12 at all). */
export class SegmentTooLongError extends ParseError {
  readonly offset: number;
  readonly line: number;

  constructor(maxLength: number, place: InputPlace) {
    const message = `no segment terminator within ${maxLength} characters from line ${place.line}`;
    super(message, [{ path: `line ${place.line}`, rule: 'segment-length', message }]);
    this.offset = place.offset;
    this.line = place.line;
  }
}
