// Answers one inbound interchange: the TA1 its envelope is owed and one 999 per functional group
// received, written back to the sender in the sender's own delimiters.
import type { Delimiters } from '../segment.js';
import type { ImplementationAcknowledgment, TransactionSetResponse } from './model.js';
import type { GroupOutcome, InterchangeOutcome, TransactionSetOutcome } from './outcome.js';
import { writeReply, type AckControlNumbers, type AckOptions, type AcknowledgementReply } from './reply.js';
import { groupStatus, interchangeStatus, transactionSetStatus } from './rules.js';
import { segmentNotes } from './segment-notes.js';

/**
 * The reply to one interchange (rules.ts says when it is A, E or R), or null when nothing is owed:
 * no TA1 asked for or needed, and no functional group to answer.
 */
export function acknowledgeInterchange(
  interchange: InterchangeOutcome,
  numbers: AckControlNumbers,
  options: AckOptions,
): AcknowledgementReply | null {
  const { header, groups } = interchange;
  const status = interchangeStatus(interchange);
  const ta1 = status === null ? null : { controlNumber: header.controlNumber, date: header.date, time: header.time, ...status };
  // A rejected interchange is not processed: the sender resends it, so its groups get no 999.
  const answered = ta1?.status === 'R' ? [] : groups;
  if (ta1 === null && answered.length === 0) return null;
  const acks = answered.map((group, index) => implementationAcknowledgment(group, String(index + 1).padStart(4, '0'), header.delimiters));
  const parties = {
    senderQualifier: header.receiverQualifier,
    senderId: header.receiverId,
    receiverQualifier: header.senderQualifier,
    receiverId: header.senderId,
    usage: header.usage === 'T' ? ('T' as const) : ('P' as const),
  };
  // One FA group answers every group; it is addressed back with the first group's application codes.
  const first = answered[0]?.header;
  const group =
    first === undefined ? null : { controlNumber: numbers.group, senderCode: first.receiverCode, receiverCode: first.senderCode, acks };
  return writeReply({ parties, ta1, group }, numbers.interchange, header.delimiters, options);
}

/** The 999 for one functional group; `controlNumber` is its ST02. */
function implementationAcknowledgment(group: GroupOutcome, controlNumber: string, delimiters: Delimiters): ImplementationAcknowledgment {
  const transactionSets = group.transactionSets.map((set) => transactionSetResponse(set, delimiters));
  const { status, codes } = groupStatus(
    group,
    transactionSets.map((set) => set.status),
  );
  const received = transactionSets.length;
  // AK902 is what GE01 says the group holds; without a readable GE01, what arrived.
  const declared = group.declaredCount !== null && /^[0-9]{1,6}$/.test(group.declaredCount) ? Number(group.declaredCount) : received;
  return {
    controlNumber,
    group: {
      functionalIdentifier: group.header.functionalIdentifier,
      controlNumber: group.header.controlNumber,
      version: group.header.version,
    },
    transactionSets,
    status,
    included: declared,
    received,
    // The sets that will be processed: none of a rejected group, whatever each one's own IK5 says.
    accepted: status === 'R' ? 0 : transactionSets.filter((set) => set.status === 'A' || set.status === 'E').length,
    codes,
  };
}

function transactionSetResponse(set: TransactionSetOutcome, delimiters: Delimiters): TransactionSetResponse {
  const { id, controlNumber, implementationReference } = set.header;
  const response: TransactionSetResponse = { id, controlNumber, segments: segmentNotes(set, delimiters), ...transactionSetStatus(set) };
  if (implementationReference !== null) response.implementationReference = implementationReference;
  return response;
}
