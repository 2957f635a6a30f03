// Canonical values turned into X12 element values, each checked against what the element can
// hold. A value that cannot be written is an issue with its JSON path, collected rather than
// thrown, so one pass over an object reports every problem before anything is written.
import type { Issue } from '../../../canonical-model/errors.js';
import { isMoney } from '../../../canonical-model/money.js';
import type { IsoDate, Money, Period } from '../../../canonical-model/types.js';
import { isValidDate, isValidTime } from '../envelope-checks.js';
import type { Delimiters } from '../segment.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/** A date element pair: DTP02 / HI0n-3 format qualifier and the value in that format. */
export interface DateValue {
  format: 'D8' | 'RD8';
  value: string;
}

export class ValueWriter {
  readonly issues: Issue[] = [];
  readonly delimiters: Delimiters;

  constructor(delimiters: Delimiters) {
    this.delimiters = delimiters;
  }

  refuse(path: string, rule: string, message: string): undefined {
    this.issues.push({ path, rule, message });
    return undefined;
  }

  /**
   * An AN element: trimmed, accents dropped (José → Jose), then refused when it keeps a character
   * outside printable ASCII, holds one of the interchange's delimiters or is too long. Empty is absent.
   */
  text(value: string | undefined, path: string, element: string, max: number, min = 1): string | undefined {
    if (value === undefined) return undefined;
    const cleaned = value.normalize('NFD').replace(/\p{M}/gu, '').trim();
    if (cleaned === '') return undefined;
    for (const character of cleaned) {
      const code = character.codePointAt(0)!;
      if (code < 0x20 || code > 0x7e)
        return this.refuse(
          path,
          'x12-character',
          `${element}: "${value}" holds ${JSON.stringify(character)}, outside the X12 character set`,
        );
    }
    const { element: e, component, repetition, segment } = this.delimiters;
    for (const delimiter of [e, component, repetition, segment])
      if (delimiter !== null && cleaned.includes(delimiter))
        return this.refuse(path, 'delimiter-in-value', `${element}: "${value}" holds "${delimiter}", a delimiter of this interchange`);
    if (cleaned.length > max || cleaned.length < min)
      return this.refuse(
        path,
        'element-length',
        `${element}: "${cleaned}" is ${cleaned.length} characters; the element holds ${min === max ? max : `${min} to ${max}`}`,
      );
    return cleaned;
  }

  /** Like `text`, and refused when absent. */
  required(value: string | undefined, path: string, element: string, max: number, min = 1): string | undefined {
    const before = this.issues.length;
    const written = this.text(value, path, element, max, min);
    if (written === undefined && this.issues.length === before) this.refuse(path, 'required', `${element} is required`);
    return written;
  }

  /** A fixed-length run of digits (NPI, EIN, NDC), separators `-` and spaces removed. */
  digits(value: string | undefined, path: string, element: string, lengths: readonly number[]): string | undefined {
    if (value === undefined) return undefined;
    const digits = value.replace(/[-\s]/g, '');
    if (/^\d+$/.test(digits) && lengths.includes(digits.length)) return digits;
    return this.refuse(path, 'digits', `${element}: "${value}" is not ${lengths.join(' or ')} digits`);
  }

  /** One of the values the element's code list allows. */
  code<T extends string>(value: string | undefined, path: string, element: string, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    return this.refuse(path, 'code', `${element}: "${value}" is not one of ${allowed.join(', ')}`);
  }

  /** IsoDate → CCYYMMDD (D8). */
  date(value: IsoDate | undefined, path: string, element: string): string | undefined {
    if (value === undefined) return undefined;
    const match = ISO_DATE.exec(value);
    const d8 = match ? match[1] + match[2] + match[3] : '';
    if (match && isValidDate(d8)) return d8;
    return this.refuse(path, 'date', `${element}: "${value}" is not a date (YYYY-MM-DD)`);
  }

  /** HHMM on a 24-hour clock (DTP TM, the hour of DT). */
  hour(value: string | undefined, path: string, element: string): string | undefined {
    if (value === undefined) return undefined;
    if (/^\d{4}$/.test(value) && isValidTime(value)) return value;
    return this.refuse(path, 'time', `${element}: "${value}" is not an hour and minute (HHMM)`);
  }

  /** A single day as D8; a range of days as RD8 (`always: 'RD8'` writes one day as a range too). */
  period(value: Period | undefined, path: string, element: string, always?: 'RD8'): DateValue | undefined {
    if (value === undefined) return undefined;
    const start = this.date(value.start, `${path}.start`, element);
    const end = value.end === undefined ? start : this.date(value.end, `${path}.end`, element);
    if (start === undefined || end === undefined) return undefined;
    if (end < start) return this.refuse(path, 'period-order', `${element}: the period ends ${value.end}, before it starts ${value.start}`);
    if (end === start && always === undefined) return { format: 'D8', value: start };
    return { format: 'RD8', value: `${start}-${end}` };
  }

  /** Money as an X12 R value: no trailing zeros or point (766.50 → 766.5, 100.00 → 100). */
  amount(value: Money | undefined, path: string, element: string): string | undefined {
    if (value === undefined) return undefined;
    if (!isMoney(value)) return this.refuse(path, 'money', `${element}: "${value}" is not an amount with at most 2 decimals`);
    return decimalR(value);
  }

  /** A positive count as an X12 R value (SV104, CTP04, HSD02): at most 15 digits. */
  quantity(value: string | undefined, path: string, element: string): string | undefined {
    if (value === undefined) return undefined;
    const match = DECIMAL.exec(value.trim());
    const written = match && (match[1] || match[2]) ? decimalR(value.trim()) : undefined;
    if (written === undefined || !/[1-9]/.test(written))
      return this.refuse(path, 'quantity', `${element}: "${value}" is not a number greater than 0`);
    if (written.replace('.', '').length > 15) return this.refuse(path, 'element-length', `${element}: "${value}" has more than 15 digits`);
    return written;
  }

  /** Components of a composite, joined by the component separator; trailing empty ones dropped. */
  composite(...parts: (string | undefined)[]): string {
    let last = parts.length - 1;
    while (last > 0 && (parts[last] === undefined || parts[last] === '')) last--;
    return parts
      .slice(0, last + 1)
      .map((part) => part ?? '')
      .join(this.delimiters.component);
  }
}

/** A plain decimal in X12 R form: leading and trailing zeros dropped, "0" for zero. */
export function decimalR(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const integer = whole.replace(/^0+/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const written = decimals === '' ? integer : `${integer}.${decimals}`;
  return negative && written !== '0' ? `-${written}` : written;
}
