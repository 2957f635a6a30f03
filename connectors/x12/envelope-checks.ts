// Checks on the values of the envelope headers (ISA, GS, ST): qualifiers, dates, times, versions
// and control number syntax. Pairing headers with trailers is envelope.ts's job.
import { GroupSyntaxErrorCode, Ta1NoteCode, TransactionSetSyntaxErrorCode } from './ack-codes.js';
import { finding, type ControlNumbers, type EnvelopeFinding } from './findings.js';
import { IMPLEMENTATION_GUIDES } from './implementation-guides.js';
import type { Segment } from './segment.js';

/** 005010 ISA05/ISA07 Interchange ID Qualifier (data element I05) values HIPAA guides allow. */
const INTERCHANGE_ID_QUALIFIERS = new Set(['01', '14', '20', '27', '28', '29', '30', '33', 'ZZ']);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDigits(value: string, min: number, max = min): boolean {
  if (value.length < min || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** CCYYMMDD, or YYMMDD (ISA09, read as 20YY), naming a day that exists. */
export function isValidDate(value: string): boolean {
  if (!isDigits(value, 6) && !isDigits(value, 8)) return false;
  const year = value.length === 8 ? Number(value.slice(0, 4)) : 2000 + Number(value.slice(0, 2));
  const month = Number(value.slice(-4, -2));
  const day = Number(value.slice(-2));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month !== 2 || day <= 28 || leap;
}

/** HHMM, HHMMSS, HHMMSSD or HHMMSSDD (data element 337), on a 24-hour clock. */
export function isValidTime(value: string): boolean {
  if (!isDigits(value, 4, 8) || value.length === 5) return false;
  const hours = Number(value.slice(0, 2));
  const minutes = Number(value.slice(2, 4));
  const seconds = value.length >= 6 ? Number(value.slice(4, 6)) : 0;
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}

/** Findings on ISA01–ISA15 (the layout and delimiters were checked when the ISA was read). */
export function checkInterchangeHeader(isa: Segment, controls: ControlNumbers): EnvelopeFinding[] {
  const findings: EnvelopeFinding[] = [];
  const e = isa.elements;
  const report = (element: number, code: Ta1NoteCode, rule: string, message: string) =>
    findings.push(finding({ level: 'interchange', code }, rule, message, isa, controls, element));

  if (e[0] !== '00' && e[0] !== '03') report(1, Ta1NoteCode.invalidAuthorizationQualifier, 'code', `ISA01 "${e[0]}" is not 00 or 03`);
  if (e[2] !== '00' && e[2] !== '01') report(3, Ta1NoteCode.invalidSecurityQualifier, 'code', `ISA03 "${e[2]}" is not 00 or 01`);
  if (!INTERCHANGE_ID_QUALIFIERS.has(e[4]))
    report(5, Ta1NoteCode.invalidSenderQualifier, 'code', `ISA05 "${e[4]}" is not an interchange ID qualifier`);
  if (e[5].trim() === '') report(6, Ta1NoteCode.invalidSenderId, 'required', 'ISA06 interchange sender ID is blank');
  if (!INTERCHANGE_ID_QUALIFIERS.has(e[6]))
    report(7, Ta1NoteCode.invalidReceiverQualifier, 'code', `ISA07 "${e[6]}" is not an interchange ID qualifier`);
  if (e[7].trim() === '') report(8, Ta1NoteCode.invalidReceiverId, 'required', 'ISA08 interchange receiver ID is blank');
  if (!isDigits(e[8], 6) || !isValidDate(e[8])) report(9, Ta1NoteCode.invalidDate, 'date', `ISA09 "${e[8]}" is not a date (YYMMDD)`);
  if (!isDigits(e[9], 4) || !isValidTime(e[9])) report(10, Ta1NoteCode.invalidTime, 'time', `ISA10 "${e[9]}" is not a time (HHMM)`);
  if (!isDigits(e[11], 5)) report(12, Ta1NoteCode.invalidVersion, 'version', `ISA12 "${e[11]}" is not a version number`);
  else if (e[11] !== '00501') report(12, Ta1NoteCode.versionNotSupported, 'version', `ISA12 ${e[11]}: only 00501 interchanges are read`);
  if (!isDigits(e[12], 9))
    report(13, Ta1NoteCode.invalidControlNumber, 'control-number', `ISA13 "${e[12]}" is not a nine-digit control number`);
  if (e[13] !== '0' && e[13] !== '1') report(14, Ta1NoteCode.invalidAcknowledgmentRequested, 'code', `ISA14 "${e[13]}" is not 0 or 1`);
  if (e[14] !== 'P' && e[14] !== 'T') report(15, Ta1NoteCode.invalidUsageIndicator, 'code', `ISA15 "${e[14]}" is not P or T`);
  return findings;
}

/** Findings on GS01–GS08. 005010 has no AK9 code for a bad GS date or party: TA1 024 answers those. */
export function checkGroupHeader(gs: Segment, controls: ControlNumbers): EnvelopeFinding[] {
  const findings: EnvelopeFinding[] = [];
  const e = gs.elements;
  const content = (element: number, rule: string, message: string) =>
    findings.push(finding({ level: 'interchange', code: Ta1NoteCode.invalidContent }, rule, message, gs, controls, element));
  const group = (element: number, code: GroupSyntaxErrorCode, rule: string, message: string) =>
    findings.push(finding({ level: 'group', code }, rule, message, gs, controls, element));
  const [functionalIdentifier = '', sender = '', receiver = '', date = '', time = '', controlNumber = '', agency = '', version = ''] = e;

  const guide = IMPLEMENTATION_GUIDES[version];
  if (guide === undefined) {
    group(8, GroupSyntaxErrorCode.versionNotSupported, 'version', `GS08 "${version}" is not a 005010 guide claimhub reads`);
  } else if (functionalIdentifier !== guide.functionalIdentifier) {
    group(
      1,
      GroupSyntaxErrorCode.notSupported,
      'code',
      `GS01 "${functionalIdentifier}" does not carry ${version} (${guide.name} is in ${guide.functionalIdentifier} groups)`,
    );
  }
  if (sender.length < 2 || sender.length > 15) content(2, 'length', `GS02 application sender code "${sender}" is not 2–15 characters`);
  if (receiver.length < 2 || receiver.length > 15)
    content(3, 'length', `GS03 application receiver code "${receiver}" is not 2–15 characters`);
  if (!isDigits(date, 8) || !isValidDate(date)) content(4, 'date', `GS04 "${date}" is not a date (CCYYMMDD)`);
  if (!isValidTime(time)) content(5, 'time', `GS05 "${time}" is not a time (HHMM[SS[D[D]]])`);
  if (!isDigits(controlNumber, 1, 9))
    group(6, GroupSyntaxErrorCode.controlNumberSyntax, 'control-number', `GS06 "${controlNumber}" is not a control number of 1–9 digits`);
  if (agency !== 'X') content(7, 'code', `GS07 "${agency}" is not X (Accredited Standards Committee X12)`);
  return findings;
}

/** Findings on ST01–ST03 against the group's GS08. */
export function checkTransactionSetHeader(st: Segment, groupVersion: string | null, controls: ControlNumbers): EnvelopeFinding[] {
  const findings: EnvelopeFinding[] = [];
  const [id = '', controlNumber = '', reference = ''] = st.elements;
  const report = (element: number, code: TransactionSetSyntaxErrorCode, rule: string, message: string) =>
    findings.push(finding({ level: 'transaction-set', code }, rule, message, st, controls, element));
  const guide = groupVersion === null ? undefined : IMPLEMENTATION_GUIDES[groupVersion];

  if (!isDigits(id, 3))
    report(1, TransactionSetSyntaxErrorCode.invalidIdentifier, 'code', `ST01 "${id}" is not a transaction set identifier`);
  else if (guide !== undefined && id !== guide.transactionSet) {
    report(
      1,
      TransactionSetSyntaxErrorCode.notSupported,
      'code',
      `ST01 ${id} is not the ${guide.transactionSet} that ${groupVersion} describes`,
    );
  }
  if (controlNumber.length < 4 || controlNumber.length > 9) {
    report(
      2,
      TransactionSetSyntaxErrorCode.invalidControlNumber,
      'control-number',
      `ST02 "${controlNumber}" is not a control number of 4–9 characters`,
    );
  }
  // 005010: ST03 names the guide the set follows; it must be the group's GS08.
  if (reference !== '' && groupVersion !== null && reference !== groupVersion) {
    report(
      3,
      TransactionSetSyntaxErrorCode.invalidImplementationReference,
      'implementation-reference',
      `ST03 ${reference} differs from GS08 ${groupVersion}`,
    );
  } else if (reference === '' && guide?.requiresImplementationReference) {
    report(3, TransactionSetSyntaxErrorCode.invalidImplementationReference, 'required', `ST03 is missing; ${groupVersion} requires it`);
  }
  return findings;
}
