// What the envelope reader hands on: the values of ISA, GS and ST, and the events that open and
// close each interchange, functional group and transaction set, with their findings.
import type { EnvelopeFinding } from './findings.js';
import type { Delimiters, Segment } from './segment.js';

/** ISA values. Padded fields (ISA02, ISA04, ISA06, ISA08) are trimmed; `segment` keeps them raw. */
export interface InterchangeHeader {
  authorizationQualifier: string;
  authorization: string;
  securityQualifier: string;
  security: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA09 YYMMDD and ISA10 HHMM, as written. */
  date: string;
  time: string;
  /** ISA12, `00501`. */
  version: string;
  /** ISA13. */
  controlNumber: string;
  /** ISA14: `1` asks for a TA1. */
  acknowledgmentRequested: string;
  /** ISA15: `P` production, `T` test. */
  usage: string;
  delimiters: Delimiters;
  segment: Segment;
}

/** GS values. */
export interface GroupHeader {
  /** GS01: `HC` claims, `HP` payments, `HI` services review, `FA` acknowledgements… */
  functionalIdentifier: string;
  senderCode: string;
  receiverCode: string;
  /** GS04 CCYYMMDD and GS05 HHMM[SS[D[D]]], as written. */
  date: string;
  time: string;
  /** GS06. */
  controlNumber: string;
  /** GS08: the implementation guide, `005010X222A1`. */
  version: string;
  segment: Segment;
}

/** ST values. */
export interface TransactionSetHeader {
  /** ST01: `837`, `835`, `278`, `999`… */
  id: string;
  /** ST02. */
  controlNumber: string;
  /** ST03, null when absent. */
  implementationReference: string | null;
  segment: Segment;
}

export type InterchangeStart = { kind: 'interchange-start'; interchange: InterchangeHeader; findings: EnvelopeFinding[] };
export type GroupStart = { kind: 'group-start'; interchange: InterchangeHeader; group: GroupHeader; findings: EnvelopeFinding[] };
export type TransactionSetStart = {
  kind: 'transaction-set-start';
  interchange: InterchangeHeader;
  /** null for a set outside any group (finding IK5 18). */
  group: GroupHeader | null;
  header: TransactionSetHeader;
  findings: EnvelopeFinding[];
};
export type TransactionSetEnd = Omit<TransactionSetStart, 'kind'> & {
  kind: 'transaction-set-end';
  /** Segments ST through SE (through the last one read when SE is missing). */
  segmentCount: number;
  /** The SE, null when it is missing. */
  trailer: Segment | null;
};
export type GroupEnd = {
  kind: 'group-end';
  interchange: InterchangeHeader;
  group: GroupHeader;
  transactionSetCount: number;
  trailer: Segment | null;
  findings: EnvelopeFinding[];
};
export type InterchangeEnd = {
  kind: 'interchange-end';
  interchange: InterchangeHeader;
  groupCount: number;
  trailer: Segment | null;
  findings: EnvelopeFinding[];
  /** TA1 interchange acknowledgments the interchange carries (between its ISA and first GS). */
  ta1s?: Segment[];
};

/**
 * Envelope boundaries in input order. Start events carry the findings on their header; end events
 * carry every finding of their level for that envelope: TA1 from `interchange-end`, AK9 from
 * `group-end`, IK5 and IK3 from `transaction-set-end`.
 */
export type EnvelopeEvent = InterchangeStart | GroupStart | TransactionSetStart | TransactionSetEnd | GroupEnd | InterchangeEnd;

export interface EnvelopeHandlers {
  onEvent(event: EnvelopeEvent): void;
  /** Every segment of a transaction set, ST and SE included, between its start and end events. */
  onSegment(segment: Segment): void;
}

/** The ISA's values; `isa` comes from the tokenizer (16 elements and its delimiters). */
export function interchangeHeader(isa: Segment): InterchangeHeader {
  const e = isa.elements;
  return {
    authorizationQualifier: e[0],
    authorization: e[1].trim(),
    securityQualifier: e[2],
    security: e[3].trim(),
    senderQualifier: e[4],
    senderId: e[5].trim(),
    receiverQualifier: e[6],
    receiverId: e[7].trim(),
    date: e[8],
    time: e[9],
    version: e[11],
    controlNumber: e[12],
    acknowledgmentRequested: e[13],
    usage: e[14],
    delimiters: isa.delimiters!,
    segment: isa,
  };
}

export function groupHeader(gs: Segment): GroupHeader {
  const [functionalIdentifier = '', senderCode = '', receiverCode = '', date = '', time = '', controlNumber = '', , version = ''] =
    gs.elements;
  return { functionalIdentifier, senderCode, receiverCode, date, time, controlNumber, version, segment: gs };
}

export function transactionSetHeader(st: Segment): TransactionSetHeader {
  const [id = '', controlNumber = '', implementationReference = ''] = st.elements;
  return { id, controlNumber, implementationReference: implementationReference === '' ? null : implementationReference, segment: st };
}
