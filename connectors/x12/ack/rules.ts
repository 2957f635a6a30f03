// When claimhub accepts, accepts with errors or rejects: the one place the IK501, AK901 and TA104
// codes are decided from the findings.
//
// Transaction set (IK5): R when any finding of the set (its envelope, a segment, an element) is an
// error; E when every finding is a warning; A when there is none. IK502–IK506 carry the set's own
// codes in the order found, then 5 when segments are in error.
//
// Functional group (AK9): R when the group's envelope is wrong (any AK905 code: GS/GE values,
// counts, control numbers, a missing GE), because the sender must then resend it whole; otherwise
// A when every set is A, E when every set is A or E and one is E, R when every set is R, and P when
// some but not all sets are R. AK904 counts the sets that will be processed: those whose IK501 is
// A or E, none in a rejected group (each IK5 still says what was wrong with its own set, if anything).
//
// Interchange (TA1): R when the interchange cannot be trusted or is incomplete (a header value, the
// delimiters or the control structure is wrong, the input ends before the IEA, or ISA13 repeats one
// already received), and then no 999 answers its groups: the sender resends it. E when the header
// and every group were read whole but the trailer or the content between groups is wrong (TA105
// 001, 021, 024, and 023 when only the IEA's own terminator is missing). A otherwise.
import { Ta1NoteCode, TransactionSetSyntaxErrorCode } from '../ack-codes.js';
import type { GroupAcknowledgmentCode, InterchangeAcknowledgmentCode, TransactionSetAcknowledgmentCode } from './model.js';
import type { AckFinding, GroupOutcome, InterchangeOutcome, TransactionSetOutcome } from './outcome.js';

/** IK5 limits the codes to five (IK502–IK506), AK9 too (AK905–AK909). */
const MAX_CODES = 5;

const isError = (finding: AckFinding) => finding.severity !== 'warning';

export function transactionSetStatus(set: TransactionSetOutcome): { status: TransactionSetAcknowledgmentCode; codes: string[] } {
  const own = set.findings.filter((finding) => finding.level === 'transaction-set');
  const inSegments = set.findings.some((finding) => finding.level === 'segment' || finding.level === 'element');
  const codes = distinct([...own.map((finding) => finding.code), ...(inSegments ? [TransactionSetSyntaxErrorCode.segmentsInError] : [])]);
  const status = set.findings.some(isError) ? 'R' : set.findings.length > 0 ? 'E' : 'A';
  return { status, codes };
}

export function groupStatus(
  group: GroupOutcome,
  sets: readonly TransactionSetAcknowledgmentCode[],
): { status: GroupAcknowledgmentCode; codes: string[] } {
  const codes = distinct(group.findings.map((finding) => finding.code));
  const rejected = sets.filter((status) => status !== 'A' && status !== 'E').length;
  let status: GroupAcknowledgmentCode;
  if (group.findings.some(isError)) status = 'R';
  else if (rejected > 0) status = rejected === sets.length ? 'R' : 'P';
  else status = group.findings.length > 0 || sets.includes('E') ? 'E' : 'A';
  return { status, codes };
}

/** Findings that leave the interchange readable: its header is sound and every group was read whole. */
const NOTED_ONLY: ReadonlySet<string> = new Set([
  Ta1NoteCode.controlNumberMismatch,
  Ta1NoteCode.invalidGroupCount,
  Ta1NoteCode.invalidContent,
]);

/** TA104 and TA105 for an interchange; null when no TA1 is owed (none asked for in ISA14, nothing to note). */
export function interchangeStatus(interchange: InterchangeOutcome): { status: InterchangeAcknowledgmentCode; noteCode: string } | null {
  const rejecting: AckFinding[] = [];
  const noted: AckFinding[] = [];
  for (const finding of interchange.findings) {
    // An unterminated last segment with the IEA read is an IEA without its `~`: nothing is lost.
    const onlyTerminator = finding.code === Ta1NoteCode.prematureEndOfFile && interchange.trailerRead;
    (NOTED_ONLY.has(finding.code) || onlyTerminator ? noted : rejecting).push(finding);
  }
  if (rejecting.length > 0) return { status: 'R', noteCode: rejecting[0].code };
  if (noted.length > 0) return { status: 'E', noteCode: noted[0].code };
  // A set outside any group is content the interchange may not hold (and no 999 can answer it).
  if (interchange.ungroupedSets.length > 0) return { status: 'E', noteCode: Ta1NoteCode.invalidContent };
  return interchange.header.acknowledgmentRequested === '1' ? { status: 'A', noteCode: '000' } : null;
}

function distinct(codes: string[]): string[] {
  return [...new Set(codes)].slice(0, MAX_CODES);
}
