// Turns segments (id + elements) into X12 text and wraps transaction sets in their envelopes with
// the counts and control numbers the trailers must repeat. Every writer (999, TA1, 837, 278) goes
// through here, so delimiter checks and trailer arithmetic live in one place.
import type { Delimiters } from '../segment.js';

/** A segment to write: id first, then elements 01…; trailing empty elements are dropped. */
export type SegmentOut = readonly [string, ...(string | undefined)[]];

export const DEFAULT_DELIMITERS: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

export interface WriteOptions {
  delimiters?: Delimiters;
  /** Written after each segment terminator ('\n' for readable files; '' on the wire). */
  lineBreak?: string;
}

/** Thrown when a value holds a delimiter: writing it would silently shift every element after it. */
export class DelimiterInValueError extends Error {}

/** One segment as text, terminator included. Components are joined by the caller with `delimiters.component`. */
export function segmentText(segment: SegmentOut, options: WriteOptions = {}): string {
  const d = options.delimiters ?? DEFAULT_DELIMITERS;
  let last = segment.length - 1;
  while (last > 0 && (segment[last] === undefined || segment[last] === '')) last--;
  const parts: string[] = [];
  for (let i = 0; i <= last; i++) {
    const value = segment[i] ?? '';
    if (value.includes(d.element) || value.includes(d.segment))
      throw new DelimiterInValueError(`${segment[0]}${String(i).padStart(2, '0')} "${value}" contains a delimiter`);
    parts.push(value);
  }
  return parts.join(d.element) + d.segment + (options.lineBreak ?? '');
}

export interface InterchangeParties {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA15: P production, T test. */
  usage?: 'P' | 'T';
  /** ISA14: ask the receiver for a TA1. */
  acknowledgmentRequested?: boolean;
}

export interface GroupOut {
  /** GS01: HC, HI, HP, FA. */
  functionalIdentifier: string;
  /** GS02 / GS03 application codes. */
  senderCode: string;
  receiverCode: string;
  /** GS06. */
  controlNumber: number | string;
  /** GS08: 005010X222A1. */
  version: string;
  /** Each set's segments from the one after ST to the one before SE. */
  transactionSets: { id: string; controlNumber: number | string; implementationReference?: string; body: SegmentOut[] }[];
}

export interface InterchangeOut extends InterchangeParties {
  controlNumber: number | string;
  date: Date;
  groups: GroupOut[];
}

/** The ISA segment: fixed-width fields padded, delimiters declared in ISA11 and ISA16. */
export function isaSegment(
  parties: InterchangeParties,
  controlNumber: number | string,
  date: Date,
  d: Delimiters = DEFAULT_DELIMITERS,
): SegmentOut {
  return [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    parties.senderQualifier.padEnd(2),
    parties.senderId.padEnd(15).slice(0, 15),
    parties.receiverQualifier.padEnd(2),
    parties.receiverId.padEnd(15).slice(0, 15),
    yymmdd(date),
    hhmm(date),
    d.repetition ?? 'U',
    '00501',
    String(controlNumber).padStart(9, '0'),
    parties.acknowledgmentRequested ? '1' : '0',
    parties.usage ?? 'P',
    d.component,
  ];
}

/** A whole interchange as text: ISA, each GS with its sets (ST…SE counted), GE, IEA. */
export function interchangeText(interchange: InterchangeOut, options: WriteOptions = {}): string {
  const d = options.delimiters ?? DEFAULT_DELIMITERS;
  const write = (segment: SegmentOut) => segmentText(segment, { ...options, delimiters: d });
  const control9 = String(interchange.controlNumber).padStart(9, '0');
  let text = write(isaSegment(interchange, control9, interchange.date, d));
  for (const group of interchange.groups) {
    text += write([
      'GS',
      group.functionalIdentifier,
      group.senderCode,
      group.receiverCode,
      ccyymmdd(interchange.date),
      hhmm(interchange.date),
      String(group.controlNumber),
      'X',
      group.version,
    ]);
    for (const set of group.transactionSets) {
      const control = String(set.controlNumber).padStart(4, '0');
      text += write(['ST', set.id, control, set.implementationReference]);
      for (const segment of set.body) text += write(segment);
      text += write(['SE', String(set.body.length + 2), control]);
    }
    text += write(['GE', String(group.transactionSets.length), String(group.controlNumber)]);
  }
  text += write(['IEA', String(interchange.groups.length), control9]);
  return text;
}

export function ccyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

export function yymmdd(date: Date): string {
  return ccyymmdd(date).slice(2);
}

export function hhmm(date: Date): string {
  return date.toISOString().slice(11, 16).replace(':', '');
}
