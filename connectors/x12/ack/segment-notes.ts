// The IK3 loops of one transaction set's answer: segment and element findings grouped by the
// segment they point at, with the claim they sit in (CTX CLM01) and what 005010X231A1 allows copying.
import { SegmentSyntaxErrorCode } from '../ack-codes.js';
import type { Delimiters } from '../segment.js';
import type { BusinessUnit, ElementNote, SegmentNote } from './model.js';
import type { AckFinding, ClaimSpan, TransactionSetOutcome } from './outcome.js';

/** 005010X231A1: at most 9 CTX segment contexts per IK3 (an IK4 gets one trigger per finding, of 10 allowed). */
const MAX_SEGMENT_TRIGGERS = 9;
/** CTX01-2 is AN 1/35: a longer business unit id is cut to its first 35 characters (X12 RFI 2293). */
const MAX_BUSINESS_UNIT = 35;
/** IK404 is AN 1/99. */
const MAX_BAD_VALUE = 99;
/** IK402 is N0 1/4: a simple data element's number. */
const ELEMENT_REFERENCE = /^[0-9]{1,4}$/;

/** IK403 codes whose bad value is not copied: nothing was there (1, 2), or its characters are the fault (6). */
const NOT_COPIED = new Set(['1', '2', '6']);

/**
 * The IK3 loops for a set, in segment order. A segment gets one IK3 per distinct IK304 code; element
 * findings make its IK3 with code 8 and give it one IK4 each. 005010X231A1 sets no limit on the IK3
 * and IK4 loops (>1), so every finding is answered.
 */
export function segmentNotes(set: TransactionSetOutcome, delimiters: Delimiters): SegmentNote[] {
  const notes = new Map<string, SegmentNote>();
  for (const finding of set.findings) {
    if (finding.level !== 'segment' && finding.level !== 'element') continue;
    const code = finding.level === 'element' ? SegmentSyntaxErrorCode.hasElementErrors : finding.code;
    const key = `${finding.position} ${finding.segmentId} ${code}`;
    let note = notes.get(key);
    if (note === undefined) {
      note = { segmentId: writableSegmentId(finding.segmentId), position: finding.position, code, triggers: [], elements: [] };
      if (typeof finding.loopId === 'string') note.loopId = finding.loopId;
      const unit = businessUnit(finding, set.claims, delimiters);
      if (unit !== undefined) note.businessUnit = unit;
      notes.set(key, note);
    }
    if (finding.level === 'element') note.elements.push(elementNote(finding, delimiters));
    else if (finding.trigger !== undefined && note.triggers.length < MAX_SEGMENT_TRIGGERS) note.triggers.push(finding.trigger);
  }
  return [...notes.values()].sort((a, b) => a.position - b.position);
}

function elementNote(finding: AckFinding, delimiters: Delimiters): ElementNote {
  const note: ElementNote = { position: finding.element ?? 1, code: finding.code, triggers: [] };
  if (finding.component !== undefined) note.component = finding.component;
  if (finding.repetition !== undefined) note.repetition = finding.repetition;
  const reference = finding.elementReference === undefined ? '' : String(finding.elementReference);
  if (ELEMENT_REFERENCE.test(reference)) note.elementReference = reference;
  if (finding.badValue !== undefined && copiable(finding.code, finding.badValue, delimiters)) note.badValue = finding.badValue;
  if (finding.trigger !== undefined) note.triggers.push(finding.trigger);
  return note;
}

/**
 * 005010X231A1 IK404: a copy of the bad value, when there was one to copy. Not copied when the
 * fault is its characters, when it would not fit (99), or when it holds one of the 999's own
 * delimiters: copying it would break the acknowledgement that reports it.
 */
function copiable(code: string, value: string, delimiters: Delimiters): boolean {
  return value !== '' && value.length <= MAX_BAD_VALUE && !NOT_COPIED.has(code) && !holdsDelimiter(value, delimiters);
}

/** CTX CLM01: the claim an error is in, when it is in one and its number can be written. */
function businessUnit(finding: AckFinding, claims: readonly ClaimSpan[], delimiters: Delimiters): BusinessUnit | undefined {
  // Structure findings belong to the claim whose loops were open when they were found (a missing
  // segment is noticed at the next one, which may start the next claim); element findings sit on
  // their own segment, so its position places them.
  const claim =
    claims.find((span) => span.findings.includes(finding)) ??
    (finding.level === 'element' ? claims.find((span) => span.first <= finding.position && finding.position <= span.last) : undefined);
  if (claim === undefined || claim.claimNumber === '') return undefined;
  const value = claim.claimNumber.slice(0, MAX_BUSINESS_UNIT);
  return holdsDelimiter(value, delimiters) ? undefined : { name: 'CLM01', value };
}

function holdsDelimiter(value: string, d: Delimiters): boolean {
  return [d.element, d.component, d.segment, d.repetition].some((delimiter) => delimiter !== null && value.includes(delimiter));
}

/**
 * IK301 is an identifier of two or three characters. An unrecognized id (IK304 1) is written in
 * that shape, upper case and cut to three; one with fewer than two letters or digits is written ZZZ
 * (IK302 still says where it is).
 */
function writableSegmentId(id: string): string {
  const shaped = id
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 3);
  return shaped.length >= 2 ? shaped : 'ZZZ';
}
