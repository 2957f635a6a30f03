// The interchange that carries claimhub's acknowledgements back: sender and receiver swapped from
// the inbound ISA and GS, control numbers from the caller (a persistent counter), the TA1 after the
// ISA and one FA group holding the 999s.
import type { Delimiters } from '../segment.js';
import { interchangeText, isaSegment, segmentText, type InterchangeParties, type WriteOptions } from '../write/serialize.js';
import type { ImplementationAcknowledgment, Ta1 } from './model.js';
import { implementationAcknowledgmentBody, ta1Segment } from './write-999.js';

/** The guide the 999 follows: GS08 and ST03 of the reply. */
export const ACKNOWLEDGMENT_GUIDE = '005010X231A1';

/** Control numbers the caller takes from its persistent counters. */
export interface AckControlNumbers {
  /** ISA13 of the reply. */
  interchange: number;
  /**
   * GS06 of the reply's FA group, used only when a 999 is sent. The 999s in it are numbered 0001,
   * 0002… (ST02 must be unique within its group, and the group is the reply's own).
   */
  group: number;
}

export interface AckOptions {
  /** When the reply is made: ISA09/ISA10 and GS04/GS05, in UTC. */
  date: Date;
  /** Written after each segment terminator: '\n' for readable files, '' (the default) on the wire. */
  lineBreak?: string;
}

/** What claimhub replies to one inbound interchange: the values, and the text to store and send. */
export interface AcknowledgementReply {
  /** The TA1, when one is owed. */
  ta1: Ta1 | null;
  /** One 999 per functional group received, in input order; none when the TA1 rejects the interchange. */
  implementationAcknowledgments: ImplementationAcknowledgment[];
  /** ISA13 and GS06 as written (GS06 null when the reply holds no 999). */
  interchangeControlNumber: string;
  groupControlNumber: string | null;
  text: string;
}

/** What the reply interchange holds. */
export interface ReplyContent {
  /** The reply's own ISA parties (the inbound ones swapped). */
  parties: InterchangeParties;
  ta1: Ta1 | null;
  /** The FA group and its 999s; null when no 999 is sent. */
  group: {
    controlNumber: number;
    /** GS02 and GS03 of the reply (the inbound GS03 and GS02). */
    senderCode: string;
    receiverCode: string;
    acks: ImplementationAcknowledgment[];
  } | null;
}

export function writeReply(
  content: ReplyContent,
  interchangeControlNumber: number,
  delimiters: Delimiters,
  options: AckOptions,
): AcknowledgementReply {
  const { parties, ta1, group } = content;
  const write: WriteOptions = { delimiters, lineBreak: options.lineBreak ?? '' };
  const groups =
    group === null
      ? []
      : [
          {
            functionalIdentifier: 'FA',
            senderCode: group.senderCode,
            receiverCode: group.receiverCode,
            controlNumber: group.controlNumber,
            version: ACKNOWLEDGMENT_GUIDE,
            transactionSets: group.acks.map((ack) => ({
              id: '999',
              controlNumber: ack.controlNumber,
              implementationReference: ACKNOWLEDGMENT_GUIDE,
              body: implementationAcknowledgmentBody(ack, delimiters.component),
            })),
          },
        ];
  let text = interchangeText({ ...parties, controlNumber: interchangeControlNumber, date: options.date, groups }, write);
  if (ta1 !== null) {
    // X12.5: TA1 segments follow the ISA and precede the first GS; serialize.ts writes none itself.
    const isa = segmentText(isaSegment(parties, interchangeControlNumber, options.date, delimiters), write);
    text = isa + segmentText(ta1Segment(ta1), write) + text.slice(isa.length);
  }
  return {
    ta1,
    implementationAcknowledgments: group?.acks ?? [],
    interchangeControlNumber: String(interchangeControlNumber).padStart(9, '0'),
    groupControlNumber: group === null ? null : String(group.controlNumber),
    text,
  };
}
