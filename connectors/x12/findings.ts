// Envelope findings: what is wrong, the acknowledgement code that answers it (TA1, 999 AK9, IK5,
// IK3) and where it is, by control numbers and by place in the input.
import type { Issue } from '../../canonical-model/errors.js';
import type { ElementSyntaxErrorCode, GroupSyntaxErrorCode, SegmentSyntaxErrorCode, Ta1NoteCode, TransactionSetSyntaxErrorCode } from './ack-codes.js';
import type { Segment } from './segment.js';

interface FindingPlace extends Issue {
  /** ISA13, GS06 and ST02 of the envelopes around the finding; null outside one. */
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionSetControlNumber: string | null;
  /** The segment that shows the problem (the one that was expected, for a missing trailer: `SE`). */
  segmentId: string;
  /** 1-based element at fault (9 for ISA09), when one is. */
  element?: number;
  /** Where the segment that shows the problem is (for a missing trailer: the last segment read). */
  position: number;
  offset: number;
  line: number;
}

/** A level with one of its codes: `{ level: 'transaction-set', code: '4' }`. */
export type Coded =
  | { level: 'interchange'; code: Ta1NoteCode }
  | { level: 'group'; code: GroupSyntaxErrorCode }
  | { level: 'transaction-set'; code: TransactionSetSyntaxErrorCode }
  | { level: 'segment'; code: SegmentSyntaxErrorCode }
  /** elements/check.ts: IK403, with the element's place (IK401, IK402) and bad value (IK404). */
  | { level: 'element'; code: ElementSyntaxErrorCode };

/**
 * One envelope problem. `code` is the value of the element that answers it at its level:
 * interchange → TA105, group → AK905–AK909, transaction-set → IK502, segment → IK304.
 */
export type EnvelopeFinding = FindingPlace & Coded;

/** The control numbers a finding sits in. */
export interface ControlNumbers {
  interchange: string | null;
  group: string | null;
  transactionSet: string | null;
}

/** Builds a finding about `segment` (element `element`, 1-based, when one is at fault). */
export function finding(
  coded: Coded,
  rule: string,
  message: string,
  segment: Segment,
  controls: ControlNumbers,
  element?: number,
  segmentId = segment.id,
): EnvelopeFinding {
  const name = segmentId === '' ? `segment at line ${segment.line}` : segmentId;
  const path = element === undefined ? name : `${name}${String(element).padStart(2, '0')}`;
  return {
    ...coded,
    path,
    rule,
    message,
    interchangeControlNumber: controls.interchange,
    groupControlNumber: controls.group,
    transactionSetControlNumber: controls.transactionSet,
    segmentId,
    ...(element === undefined ? {} : { element }),
    position: segment.position,
    offset: segment.offset,
    line: segment.line,
  };
}

/** A finding as a canonical Issue: the path names the element and where it is (control numbers, position, line). */
export function findingIssue(finding: EnvelopeFinding & { loopId?: string }): Issue {
  const controls = [
    finding.interchangeControlNumber && `ISA13 ${finding.interchangeControlNumber}`,
    finding.groupControlNumber && `GS06 ${finding.groupControlNumber}`,
    finding.transactionSetControlNumber && `ST02 ${finding.transactionSetControlNumber}`,
  ].filter(Boolean);
  const place = [...controls, ...(finding.position > 0 ? [`segment ${finding.position}`] : []), `line ${finding.line}`];
  const loop = typeof finding.loopId === 'string' ? ` (loop ${finding.loopId})` : '';
  return { path: `${finding.path} (${place.join(', ')})`, rule: finding.rule, message: `${finding.message}${loop}` };
}
