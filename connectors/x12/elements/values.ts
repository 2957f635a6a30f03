// X12.6 value syntax, one data element value at a time: characters and length by type (AN, ID, Nn,
// R, DT, TM), real calendar dates and clock times, and Date Time Periods by their 1250 format.
// Each check answers with the IK403 code of the first problem found, or null. Scans use char codes
// and allocate nothing: they run on every element of every segment.
import { ElementSyntaxErrorCode } from '../ack-codes.js';
import type { ElementSpec } from './dictionary.js';
import type { PatternName } from './guide-rules.js';

const { tooShort, tooLong, invalidCharacter, invalidDate, invalidTime, tooManyRepetitions, tooManyComponents } = ElementSyntaxErrorCode;

const MINUS = 45;
const PERIOD = 46;
const E = 69;
const ZERO = 48;
const NINE = 57;

/** The separators a value must not hold: char codes, -1 when the interchange declares none. */
export interface SeparatorCodes {
  component: number;
  repetition: number;
}

const isDigit = (code: number) => code >= ZERO && code <= NINE;

/**
 * Characters, length and form of the value in text[start, end): a simple element's, one
 * component's or one repetition's (a composite's components are checked where they stand, uncut).
 */
export function checkValue(
  text: string,
  start: number,
  end: number,
  spec: ElementSpec,
  separators: SeparatorCodes,
): ElementSyntaxErrorCode | null {
  switch (spec.type) {
    case 'AN':
    case 'ID':
      return checkText(text, start, end, spec, separators);
    case 'R':
      return checkDecimal(text, start, end, spec, separators);
    case 'DT':
      return (
        checkDigits(text, start, end, separators, invalidDate) ??
        checkLength(end - start, spec) ??
        (validDate(text, start) ? null : invalidDate)
      );
    case 'TM':
      return (
        checkDigits(text, start, end, separators, invalidTime) ??
        checkLength(end - start, spec) ??
        (validTime(text, start, end) ? null : invalidTime)
      );
    default:
      return checkNumeric(text, start, end, spec, separators);
  }
}

function checkLength(length: number, spec: ElementSpec): ElementSyntaxErrorCode | null {
  return length < spec.min ? tooShort : length > spec.max ? tooLong : null;
}

function separatorCode(code: number, separators: SeparatorCodes): ElementSyntaxErrorCode | null {
  return code === separators.component ? tooManyComponents : code === separators.repetition ? tooManyRepetitions : null;
}

/** AN and ID: X12's basic and extended character sets, no control characters. */
function checkText(text: string, start: number, end: number, spec: ElementSpec, separators: SeparatorCodes): ElementSyntaxErrorCode | null {
  let bad = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code === 127) bad = true;
    else if (code === separators.component || code === separators.repetition) return separatorCode(code, separators);
  }
  return bad ? invalidCharacter : checkLength(end - start, spec);
}

/** Nn: an optional minus sign, then digits; the length counts the digits. */
function checkNumeric(
  text: string,
  start: number,
  end: number,
  spec: ElementSpec,
  separators: SeparatorCodes,
): ElementSyntaxErrorCode | null {
  let digits = 0;
  let bad = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code)) digits++;
    else if (code === separators.component || code === separators.repetition) return separatorCode(code, separators);
    else if (!(code === MINUS && i === start)) bad = true;
  }
  return bad || digits === 0 ? invalidCharacter : checkLength(digits, spec);
}

/** R: optional minus, digits with at most one decimal point, optional exponent `E[-]digits`; the length counts digits. */
function checkDecimal(
  text: string,
  start: number,
  end: number,
  spec: ElementSpec,
  separators: SeparatorCodes,
): ElementSyntaxErrorCode | null {
  let digits = 0;
  let mantissaDigits = 0;
  let point = false;
  let exponent = -1;
  let bad = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code)) {
      digits++;
      if (exponent < 0) mantissaDigits++;
    } else if (code === separators.component || code === separators.repetition) return separatorCode(code, separators);
    else if (code === MINUS && (i === start || i === exponent + 1)) continue;
    else if (code === PERIOD && !point && exponent < 0) point = true;
    else if (code === E && exponent < 0 && mantissaDigits > 0) exponent = i;
    else bad = true;
  }
  const exponentDigits = digits - mantissaDigits;
  if (bad || mantissaDigits === 0 || (exponent >= 0 && exponentDigits === 0)) return invalidCharacter;
  return checkLength(digits, spec);
}

/** DT and TM hold digits only; anything else (a separator aside) makes the date or time invalid. */
function checkDigits(
  text: string,
  start: number,
  end: number,
  separators: SeparatorCodes,
  invalid: ElementSyntaxErrorCode,
): ElementSyntaxErrorCode | null {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code)) continue;
    return separatorCode(code, separators) ?? invalid;
  }
  return null;
}

function number(text: string, start: number, length: number): number {
  let result = 0;
  for (let i = start; i < start + length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    result = result * 10 + code - ZERO;
  }
  return result;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** CCYYMMDD at `start`: a real Gregorian calendar date (year 0001 on). */
export function validDate(text: string, start: number): boolean {
  if (text.length < start + 8) return false;
  const year = number(text, start, 4);
  const month = number(text, start + 4, 2);
  const day = number(text, start + 6, 2);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** HHMM, HHMMSS or HHMMSS with decimal seconds (1–2 digits) in text[start, end). */
export function validTime(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length !== 4 && (length < 6 || length > 8)) return false;
  const hours = number(text, start, 2);
  const minutes = number(text, start + 2, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return false;
  if (length === 4) return true;
  const seconds = number(text, start + 4, 2);
  return seconds >= 0 && seconds <= 59 && number(text, start + 6, length - 6) >= 0;
}

/** CCYYMMDD-CCYYMMDD, both real dates, the first not after the second. */
function validDateRange(text: string, width: number, validPoint: (at: number) => boolean): boolean {
  if (text.length !== width * 2 + 1 || text.charCodeAt(width) !== MINUS) return false;
  return validPoint(0) && validPoint(width + 1) && text.slice(0, width) <= text.slice(width + 1);
}

const validDateTime = (text: string, at: number) => validDate(text, at) && validTime(text, at + 8, at + 12);

/**
 * A 1251 Date Time Period read by its 1250 format qualifier: D8, RD8, DT, RDT, TM. Answers
 * IK403 8 (9 for TM) when the value is not of the format; null for a format it does not know.
 */
export function checkDatePeriod(format: string, value: string): ElementSyntaxErrorCode | null {
  switch (format) {
    case 'D8':
      return value.length === 8 && validDate(value, 0) ? null : invalidDate;
    case 'RD8':
      return validDateRange(value, 8, (at) => validDate(value, at)) ? null : invalidDate;
    case 'DT':
      return value.length === 12 && validDateTime(value, 0) ? null : invalidDate;
    case 'RDT':
      return validDateRange(value, 12, (at) => validDateTime(value, at)) ? null : invalidDate;
    case 'TM':
      return validTime(value, 0, value.length) ? null : invalidTime;
    default:
      return null;
  }
}

/** I12 patterns of the guides, by name. */
export const PATTERNS: Readonly<Record<PatternName, (value: string) => boolean>> = {
  zip9: (value) => value.length === 9 && number(value, 0, 9) >= 0,
};
