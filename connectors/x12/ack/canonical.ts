// 999s and TA1s, received or sent, as canonical Acknowledgements: statuses per group and set, the
// IK5/AK9/TA105 codes on them, and one error per IK3 or IK4 with its place in the acknowledged set.
import type {
  AcknowledgedItem,
  Acknowledgement,
  AcknowledgementError,
  AcknowledgementStatus,
  ErrorLocation,
} from '../../../canonical-model/types.js';
import type { Segment } from '../segment.js';
import type { TransactionSetEvent } from '../transaction-sets.js';
import type { ElementNote, ImplementationAcknowledgment, SegmentNote, Ta1, TransactionSetResponse } from './model.js';
import { readImplementationAcknowledgment } from './read-999.js';
import { readTa1s } from './read-ta1.js';

/** Where an acknowledgement came from (or went to), for its provenance. */
export interface AcknowledgementSource {
  /** The inbound connector, trading partner or API client. */
  source: string;
  /** ISA13 of the interchange that carried it. */
  interchangeControlNumber: string;
  /** GS06 of the group that carried it (a 999). */
  groupControlNumber?: string;
}

/** IK501, AK901 and TA104 codes; M, W and X are rejections (for security reasons). */
const STATUS: Readonly<Record<string, AcknowledgementStatus>> = {
  A: 'accepted',
  E: 'accepted-with-errors',
  P: 'partially-accepted',
  R: 'rejected',
  M: 'rejected',
  W: 'rejected',
  X: 'rejected',
};

/** The canonical Acknowledgement of a 999 transaction set read by readX12 / readEnvelopes. */
export function acknowledgementFrom999(set: TransactionSetEvent, source: string): Acknowledgement {
  const from = { source, interchangeControlNumber: set.interchange.controlNumber, groupControlNumber: set.group?.controlNumber };
  return acknowledgementOf999(readImplementationAcknowledgment(set), from);
}

/** One canonical Acknowledgement per TA1 in `segments` (tokenize() of received interchanges). */
export function acknowledgementsFromTa1s(segments: Iterable<Segment>, source: string): Acknowledgement[] {
  return readTa1s(segments).map((received) =>
    acknowledgementOfTa1(received.ta1, { source, interchangeControlNumber: received.interchangeControlNumber }),
  );
}

export function acknowledgementOf999(ack: ImplementationAcknowledgment, from: AcknowledgementSource): Acknowledgement {
  const controlNumbers: Record<string, string> = { ISA13: from.interchangeControlNumber };
  if (from.groupControlNumber !== undefined) controlNumbers.GS06 = from.groupControlNumber;
  controlNumbers.ST02 = ack.controlNumber;
  return {
    resourceType: 'Acknowledgement',
    kind: 'x12-999',
    status: STATUS[ack.status],
    controlNumber: ack.controlNumber,
    acknowledged: [
      item('group', ack.group.controlNumber, ack.status, ack.codes, 'X12-AK905'),
      ...ack.transactionSets.map((set) => item('transaction-set', set.controlNumber, set.status, set.codes, 'X12-IK502')),
    ],
    errors: ack.transactionSets.flatMap(transactionSetErrors),
    provenance: { source: from.source, format: 'x12-999', mapping: 'x12-999@1', controlNumbers },
  };
}

export function acknowledgementOfTa1(ta1: Ta1, from: AcknowledgementSource): Acknowledgement {
  return {
    resourceType: 'Acknowledgement',
    kind: 'x12-ta1',
    status: STATUS[ta1.status],
    controlNumber: from.interchangeControlNumber,
    acknowledged: [item('interchange', ta1.controlNumber, ta1.status, [ta1.noteCode], 'X12-TA105')],
    errors: [],
    provenance: { source: from.source, format: 'x12-ta1', mapping: 'x12-ta1@1', controlNumbers: { ISA13: from.interchangeControlNumber } },
  };
}

function item(level: AcknowledgedItem['level'], controlNumber: string, status: string, codes: string[], system: string): AcknowledgedItem {
  const acknowledged: AcknowledgedItem = { level, controlNumber, status: STATUS[status] };
  if (codes.length > 0) acknowledged.statusCodes = codes.map((code) => ({ system, code }));
  return acknowledged;
}

/**
 * One error per IK3, and one per IK4 under it (an IK3 with code 8 says no more than its IK4s do).
 * They are warnings in a set accepted with errors.
 */
function transactionSetErrors(set: TransactionSetResponse): AcknowledgementError[] {
  const severity = set.status === 'A' || set.status === 'E' ? 'warning' : 'error';
  const errors: AcknowledgementError[] = [];
  for (const note of set.segments) {
    const location = segmentLocation(set.controlNumber, note);
    const message = note.businessUnit && `in ${note.businessUnit.name} ${note.businessUnit.value}`;
    const withMessage = (error: AcknowledgementError) => (message ? { ...error, message } : error);
    if (note.code !== '8' || note.elements.length === 0)
      errors.push(withMessage({ location, code: { system: 'X12-IK304', code: note.code }, severity }));
    for (const element of note.elements) {
      const error: AcknowledgementError = {
        location: elementLocation(location, element),
        code: { system: 'X12-IK403', code: element.code },
        severity,
      };
      if (element.badValue !== undefined) error.badValue = element.badValue;
      errors.push(withMessage(error));
    }
  }
  return errors;
}

/** The set's control number, and the segment's id, position and loop where the canonical schema can hold them. */
function segmentLocation(controlNumber: string, note: SegmentNote): ErrorLocation {
  const location: ErrorLocation = { controlNumber };
  if (/^[A-Z][A-Z0-9]{1,2}$/.test(note.segmentId)) location.segment = note.segmentId;
  if (note.position >= 1) location.segmentPosition = note.position;
  if (note.loopId !== undefined) location.loop = note.loopId;
  return location;
}

function elementLocation(segment: ErrorLocation, element: ElementNote): ErrorLocation {
  const location: ErrorLocation = { ...segment };
  if (element.position >= 1) location.element = element.position;
  if (element.component !== undefined && element.component >= 1) location.component = element.component;
  if (element.repetition !== undefined && element.repetition >= 1) location.repetition = element.repetition;
  return location;
}
