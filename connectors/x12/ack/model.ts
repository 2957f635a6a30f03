// The 999 and the TA1 as X12 states them, element by element: what the writer writes and the
// reader reads back, so an acknowledgement claimhub sends and one it receives are the same value.

/** IK501: A accepted, E accepted with errors, R rejected; M, W, X are rejections for security reasons. */
export type TransactionSetAcknowledgmentCode = 'A' | 'E' | 'R' | 'M' | 'W' | 'X';

/** AK901: as IK501, plus P, partially accepted (some sets rejected). */
export type GroupAcknowledgmentCode = TransactionSetAcknowledgmentCode | 'P';

/** TA104: A accepted, E accepted with errors, R rejected. */
export type InterchangeAcknowledgmentCode = 'A' | 'E' | 'R';

/**
 * CTX `SITUATIONAL TRIGGER`: the segment (and element) whose content made a situational rule apply,
 * e.g. the CLM05-3 frequency code that requires REF*F8.
 */
export interface SituationalTrigger {
  /** CTX02, CTX03, CTX04. */
  segmentId: string;
  position: number;
  loopId?: string;
  /** CTX05-1, -2, -3. */
  element?: number;
  component?: number;
  repetition?: number;
}

/** CTX business unit identifier (CTX01-1 name, CTX01-2 value): `CLM01` and the claim's patient control number. */
export interface BusinessUnit {
  name: string;
  value: string;
}

/** One IK4 (loop 2110) with its element context. */
export interface ElementNote {
  /** IK401-1, -2, -3: the element's position in the segment, its component, its repetition (1-based). */
  position: number;
  component?: number;
  repetition?: number;
  /** IK402: the data element reference number (`1028` for CLM01). */
  elementReference?: string;
  /** IK403 (ack-codes.ts ElementSyntaxErrorCode). */
  code: string;
  /** IK404: a copy of the bad value. */
  badValue?: string;
  triggers: SituationalTrigger[];
}

/** One IK3 (loop 2100) with its segment context, business unit and IK4s. */
export interface SegmentNote {
  /** IK301, IK302 (ST is 1), IK303. */
  segmentId: string;
  position: number;
  loopId?: string;
  /** IK304 (ack-codes.ts SegmentSyntaxErrorCode). */
  code: string;
  triggers: SituationalTrigger[];
  businessUnit?: BusinessUnit;
  elements: ElementNote[];
}

/** One AK2 loop (2000): the answer for one transaction set received. */
export interface TransactionSetResponse {
  /** AK201 ST01, AK202 ST02, AK203 ST03 (when the set had one). */
  id: string;
  controlNumber: string;
  implementationReference?: string;
  segments: SegmentNote[];
  /** IK501 and IK502–IK506 (ack-codes.ts TransactionSetSyntaxErrorCode). */
  status: TransactionSetAcknowledgmentCode;
  codes: string[];
}

/** One 999 transaction set: the answer for one functional group received. */
export interface ImplementationAcknowledgment {
  /** ST02 of the 999 itself. */
  controlNumber: string;
  /** AK101 GS01, AK102 GS06, AK103 GS08 of the group acknowledged. */
  group: { functionalIdentifier: string; controlNumber: string; version: string };
  transactionSets: TransactionSetResponse[];
  /** AK901; AK902 sets the GE says it holds, AK903 sets received, AK904 sets accepted (IK501 A or E). */
  status: GroupAcknowledgmentCode;
  included: number;
  received: number;
  accepted: number;
  /** AK905–AK909 (ack-codes.ts GroupSyntaxErrorCode). */
  codes: string[];
}

/** One TA1 (Interchange Acknowledgment): the answer for one interchange. */
export interface Ta1 {
  /** TA101 ISA13, TA102 ISA09, TA103 ISA10, as received. */
  controlNumber: string;
  date: string;
  time: string;
  status: InterchangeAcknowledgmentCode;
  /** TA105 (ack-codes.ts Ta1NoteCode); `000` when there is nothing to note. */
  noteCode: string;
}
