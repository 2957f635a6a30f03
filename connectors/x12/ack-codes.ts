// The X12 code values an acknowledgement answers with (TA1 for the interchange, 999 for groups,
// transaction sets, segments and elements), named once so findings and the 999/TA1 writer agree.

/** TA105 Interchange Note Code (data element I18), ISA/IEA version 00501. */
export const Ta1NoteCode = {
  /** 001 The Interchange Control Number in the Header and Trailer Do Not Match (ISA13 ≠ IEA02). */
  controlNumberMismatch: '001',
  /** 003 This Version of the Controls is Not Supported (ISA12 well formed but not 00501). */
  versionNotSupported: '003',
  /** 004 The Segment Terminator is Invalid. */
  invalidSegmentTerminator: '004',
  /** 005 Invalid Interchange ID Qualifier for Sender (ISA05). */
  invalidSenderQualifier: '005',
  /** 006 Invalid Interchange Sender ID (ISA06). */
  invalidSenderId: '006',
  /** 007 Invalid Interchange ID Qualifier for Receiver (ISA07). */
  invalidReceiverQualifier: '007',
  /** 008 Invalid Interchange Receiver ID (ISA08). */
  invalidReceiverId: '008',
  /** 010 Invalid Authorization Information Qualifier Value (ISA01). */
  invalidAuthorizationQualifier: '010',
  /** 011 Invalid Authorization Information Value (ISA02). */
  invalidAuthorization: '011',
  /** 012 Invalid Security Information Qualifier Value (ISA03). */
  invalidSecurityQualifier: '012',
  /** 013 Invalid Security Information Value (ISA04). */
  invalidSecurity: '013',
  /** 014 Invalid Interchange Date Value (ISA09). */
  invalidDate: '014',
  /** 015 Invalid Interchange Time Value (ISA10). */
  invalidTime: '015',
  /** 016 Invalid Interchange Standards Identifier Value: ISA11, the repetition separator in 00501. */
  invalidStandardsIdentifier: '016',
  /** 017 Invalid Interchange Version ID Value (ISA12 not five digits). */
  invalidVersion: '017',
  /** 018 Invalid Interchange Control Number Value (ISA13 not nine digits). */
  invalidControlNumber: '018',
  /** 019 Invalid Acknowledgment Requested Value (ISA14 not 0/1). */
  invalidAcknowledgmentRequested: '019',
  /** 020 Invalid Test Indicator Value (ISA15 not P/T). */
  invalidUsageIndicator: '020',
  /** 021 Invalid Number of Included Groups Value (IEA01 ≠ number of GS). */
  invalidGroupCount: '021',
  /** 022 Invalid Control Structure (no ISA where one must be, ISA with the wrong number of elements). */
  invalidControlStructure: '022',
  /** 023 Improper (Premature) End-of-File (Transmission): IEA missing, last segment cut off. */
  prematureEndOfFile: '023',
  /** 024 Invalid Interchange Content (e.g., Invalid GS Segment), and segments outside any group. */
  invalidContent: '024',
  /** 025 Duplicate Interchange Control Number (the same ISA13 twice in one input). */
  duplicateControlNumber: '025',
  /** 026 Invalid Data Element Separator. */
  invalidElementSeparator: '026',
  /** 027 Invalid Component Element Separator. */
  invalidComponentSeparator: '027',
} as const;
export type Ta1NoteCode = (typeof Ta1NoteCode)[keyof typeof Ta1NoteCode];

/** AK905–AK909 Functional Group Syntax Error Code (data element 716), 005010X231A1. */
export const GroupSyntaxErrorCode = {
  /** 1 Functional Group Not Supported (GS01 does not match the guide named in GS08). */
  notSupported: '1',
  /** 2 Functional Group Version Not Supported (GS08). */
  versionNotSupported: '2',
  /** 3 Functional Group Trailer Missing (no GE). */
  trailerMissing: '3',
  /** 4 Group Control Number in the Functional Group Header and Trailer Do Not Agree (GS06 ≠ GE02). */
  controlNumberMismatch: '4',
  /** 5 Number of Included Transaction Sets Does Not Match Actual Count (GE01). */
  transactionSetCountMismatch: '5',
  /** 6 Group Control Number Violates Syntax (GS06 not 1–9 digits). */
  controlNumberSyntax: '6',
  /** 19 Functional Group Control Number not Unique within Interchange. */
  controlNumberNotUnique: '19',
} as const;
export type GroupSyntaxErrorCode = (typeof GroupSyntaxErrorCode)[keyof typeof GroupSyntaxErrorCode];

/** IK502–IK506 Implementation Transaction Set Syntax Error Code (data element 618), 005010X231A1. */
export const TransactionSetSyntaxErrorCode = {
  /** 1 Transaction Set Not Supported (ST01 is not the set the guide in GS08 describes). */
  notSupported: '1',
  /** 2 Transaction Set Trailer Missing (no SE). */
  trailerMissing: '2',
  /** 3 Transaction Set Control Number in Header and Trailer Do Not Match (ST02 ≠ SE02). */
  controlNumberMismatch: '3',
  /** 4 Number of Included Segments Does Not Match Actual Count (SE01). */
  segmentCountMismatch: '4',
  /** 5 One or More Segments in Error. */
  segmentsInError: '5',
  /** 6 Missing or Invalid Transaction Set Identifier (ST01). */
  invalidIdentifier: '6',
  /** 7 Missing or Invalid Transaction Set Control Number (ST02). */
  invalidControlNumber: '7',
  /** 18 Transaction Set not in Functional Group (ST without an open GS). */
  notInGroup: '18',
  /** 19 Invalid Transaction Set Implementation Convention Reference (ST03 ≠ GS08, or missing). */
  invalidImplementationReference: '19',
  /** 23 Transaction Set Control Number Not Unique within the Functional Group. */
  controlNumberNotUnique: '23',
} as const;
export type TransactionSetSyntaxErrorCode = (typeof TransactionSetSyntaxErrorCode)[keyof typeof TransactionSetSyntaxErrorCode];

/** IK304 Implementation Segment Syntax Error Code (data element 620), 005010X231A1. */
export const SegmentSyntaxErrorCode = {
  /** 1 Unrecognized segment ID (not two or three upper-case letters and digits). */
  unrecognizedSegmentId: '1',
  /** 2 Unexpected segment. */
  unexpectedSegment: '2',
  /** 3 Required Segment Missing. */
  requiredSegmentMissing: '3',
  /** 4 Loop Occurs Over Maximum Times. */
  loopOverMaximum: '4',
  /** 5 Segment Exceeds Maximum Use. */
  segmentOverMaximum: '5',
  /** 6 Segment Not in Defined Transaction Set. */
  notInTransactionSet: '6',
  /** 7 Segment Not in Proper Sequence. */
  outOfSequence: '7',
  /** 8 Segment Has Data Element Errors (details in IK4). */
  hasElementErrors: '8',
} as const;
export type SegmentSyntaxErrorCode = (typeof SegmentSyntaxErrorCode)[keyof typeof SegmentSyntaxErrorCode];

/** IK403 Implementation Data Element Syntax Error Code (data element 621), 005010X231A1. */
export const ElementSyntaxErrorCode = {
  /** 1 Required Data Element Missing. */
  requiredMissing: '1',
  /** 2 Conditional Required Data Element Missing. */
  conditionalMissing: '2',
  /** 3 Too Many Data Elements. */
  tooManyElements: '3',
  /** 4 Data Element Too Short. */
  tooShort: '4',
  /** 5 Data Element Too Long. */
  tooLong: '5',
  /** 6 Invalid Character In Data Element. */
  invalidCharacter: '6',
  /** 7 Invalid Code Value. */
  invalidCode: '7',
  /** 8 Invalid Date. */
  invalidDate: '8',
  /** 9 Invalid Time. */
  invalidTime: '9',
  /** 10 Exclusion Condition Violated. */
  exclusionViolated: '10',
  /** 12 Too Many Repetitions. */
  tooManyRepetitions: '12',
  /** 13 Too Many Components. */
  tooManyComponents: '13',
  /** I10 Implementation "Not Used" Data Element Present. */
  notUsedPresent: 'I10',
  /** I12 Implementation Pattern Match Failure. */
  patternMismatch: 'I12',
} as const;
export type ElementSyntaxErrorCode = (typeof ElementSyntaxErrorCode)[keyof typeof ElementSyntaxErrorCode];
