// Reads an interchange's delimiters from its fixed-width ISA header, and refuses, with the TA1 note
// code it deserves, a header whose layout they cannot be trusted from.
import { Ta1NoteCode } from './ack-codes.js';
import { InterchangeHeaderError } from './errors.js';
import type { Delimiters } from './segment.js';

/** X12.5: the ISA is fixed width, 106 characters from `I` through the segment terminator. */
export const ISA_LENGTH = 106;

/** Width of ISA01..ISA15 (ISA16 is one character, then the terminator) and the note code of each. */
const ISA_FIELDS: ReadonlyArray<readonly [width: number, code: Ta1NoteCode]> = [
  [2, Ta1NoteCode.invalidAuthorizationQualifier],
  [10, Ta1NoteCode.invalidAuthorization],
  [2, Ta1NoteCode.invalidSecurityQualifier],
  [10, Ta1NoteCode.invalidSecurity],
  [2, Ta1NoteCode.invalidSenderQualifier],
  [15, Ta1NoteCode.invalidSenderId],
  [2, Ta1NoteCode.invalidReceiverQualifier],
  [15, Ta1NoteCode.invalidReceiverId],
  [6, Ta1NoteCode.invalidDate],
  [4, Ta1NoteCode.invalidTime],
  [1, Ta1NoteCode.invalidStandardsIdentifier],
  [5, Ta1NoteCode.invalidVersion],
  [9, Ta1NoteCode.invalidControlNumber],
  [1, Ta1NoteCode.invalidAcknowledgmentRequested],
  [1, Ta1NoteCode.invalidUsageIndicator],
];

/** An ISA read from text: its delimiters, ISA01..ISA16, and the index just past its terminator. */
export interface InterchangeHeaderText {
  delimiters: Delimiters;
  elements: string[];
  end: number;
}

const CR = 13;
const LF = 10;

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === CR || code === LF;
}

function refuse(message: string, code: Ta1NoteCode, path: string, offset: number, line: number): never {
  throw new InterchangeHeaderError(message, code, { offset, line }, { path, rule: 'isa-layout' });
}

/**
 * Reads the ISA that starts at `start`. Returns undefined when `text` ends before the header does
 * and more input may follow (`final` false); throws InterchangeHeaderError when it cannot be read.
 */
export function readInterchangeHeader(text: string, start: number, line: number, final: boolean): InterchangeHeaderText | undefined {
  const available = text.length - start;
  const short = (): undefined => {
    if (final) refuse(`the input ends inside the ISA (line ${line})`, Ta1NoteCode.prematureEndOfFile, 'ISA', start, line);
    return undefined;
  };
  if (available < 4) return text.startsWith('ISA'.slice(0, available), start) ? short() : notIsa(text, start, line);
  if (!text.startsWith('ISA', start)) return notIsa(text, start, line);

  const element = text[start + 3];
  if (isAlphanumeric(element.charCodeAt(0)) || isBlank(element.charCodeAt(0))) {
    refuse(
      `ISA element separator ${JSON.stringify(element)} is a letter, digit or blank`,
      Ta1NoteCode.invalidElementSeparator,
      'ISA',
      start,
      line,
    );
  }
  // Fields are located by their separators, so a wrong width is reported for the field that has it.
  let fieldStart = start + 4;
  for (let i = 0; i < ISA_FIELDS.length; i++) {
    const [width, code] = ISA_FIELDS[i];
    const separator = text.indexOf(element, fieldStart);
    if (separator === -1) {
      if (available < ISA_LENGTH) return short();
      refuse(`the ISA has fewer than 16 elements`, Ta1NoteCode.invalidControlStructure, 'ISA', start, line);
    }
    if (separator - fieldStart !== width) {
      const name = `ISA${String(i + 1).padStart(2, '0')}`;
      refuse(
        `${name} is ${separator - fieldStart} characters wide; 005010 fixes it at ${width} (the ISA must be ${ISA_LENGTH} characters)`,
        code,
        name,
        start,
        line,
      );
    }
    fieldStart = separator + 1;
  }
  // fieldStart is now ISA16: the component separator, then the segment terminator.
  if (available < ISA_LENGTH) return short();
  // A CR terminator may be the first half of CR LF: wait for the next character.
  if (!final && available === ISA_LENGTH && text.charCodeAt(start + ISA_LENGTH - 1) === CR) return undefined;
  return headerText(text, start, line, element);
}

function notIsa(text: string, start: number, line: number): never {
  const found = JSON.stringify(text.slice(start, start + 20));
  return refuse(
    `expected an interchange header (ISA) at line ${line}, found ${found}`,
    Ta1NoteCode.invalidControlStructure,
    'ISA',
    start,
    line,
  );
}

function headerText(text: string, start: number, line: number, element: string): InterchangeHeaderText {
  const component = text[start + ISA_LENGTH - 2];
  const terminatorCode = text.charCodeAt(start + ISA_LENGTH - 1);
  const componentCode = component.charCodeAt(0);
  if (isAlphanumeric(componentCode) || isBlank(componentCode) || component === element) {
    refuse(
      `ISA16 component separator ${JSON.stringify(component)} is a letter, digit, blank or the element separator`,
      Ta1NoteCode.invalidComponentSeparator,
      'ISA16',
      start,
      line,
    );
  }
  let end = start + ISA_LENGTH;
  let segment = String.fromCharCode(terminatorCode);
  if (terminatorCode === CR || terminatorCode === LF) {
    // Segments separated by line breaks alone: CR LF, LF or CR ends each one.
    if (terminatorCode === CR && text.charCodeAt(end) === LF) end++;
    segment = terminatorCode === CR && end === start + ISA_LENGTH ? '\r' : '\n';
  } else if (isAlphanumeric(terminatorCode) || isBlank(terminatorCode) || segment === element || segment === component) {
    refuse(
      `segment terminator ${JSON.stringify(segment)} after ISA16 is a letter, digit, blank or another delimiter`,
      Ta1NoteCode.invalidSegmentTerminator,
      'ISA',
      start,
      line,
    );
  }
  const elements = text.slice(start + 4, start + ISA_LENGTH - 1).split(element);
  // 005010: ISA11 is the repetition separator; an alphanumeric ISA11 (4010's `U`) declares none.
  const isa11 = elements[10];
  const isa11Code = isa11.charCodeAt(0);
  const repetition = isAlphanumeric(isa11Code) || isBlank(isa11Code) ? null : isa11;
  if (repetition !== null && (repetition === component || repetition === segment)) {
    refuse(
      `ISA11 repetition separator ${JSON.stringify(repetition)} is also another delimiter`,
      Ta1NoteCode.invalidStandardsIdentifier,
      'ISA11',
      start,
      line,
    );
  }
  return { delimiters: { element, component, repetition, segment }, elements, end };
}

/** The delimiters declared by the ISA at the start of `text` (leading blanks allowed). */
export function readDelimiters(text: string): Delimiters {
  let start = 0;
  let line = 1;
  for (; start < text.length && isBlank(text.charCodeAt(start)); start++) if (text.charCodeAt(start) === LF) line++;
  return readInterchangeHeader(text, start, line, true)!.delimiters;
}
