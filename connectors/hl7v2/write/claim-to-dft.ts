// A canonical claim as one HL7 v2.5.1 DFT^P03 (post detail financial transaction, chapter 6):
//   MSH EVN PID PV1 { FT1 per service line [PR1 per institutional procedure, after the first FT1] }
//   DG1 per diagnosis [DRG] { IN1 [IN2] per coverage } [ACC]
// Pure: the same claim, control id and instant give the same text. What the DFT has no field for
// (billing and pay-to provider, place of service, condition/occurrence/value codes, present-on-
// admission, attachments) is not sent; a claim the DFT cannot carry at all is refused with the
// JSON paths of what is missing.
import { ValidationError, type Issue } from '../../../canonical-model/errors.js';
import type { Claim, Coverage, Person, ServiceLine, SubscriberRelationship } from '../../../canonical-model/types.js';
import {
  address,
  administrativeSex,
  assigningAuthority,
  codedElement,
  extendedId,
  hl7Date,
  hl7DateHour,
  hl7Instant,
  personName,
  price,
  providerName,
} from './data-types.js';
import { MAX_CONTROL_ID_LENGTH } from './control-id.js';
import { headerSegment, messageText, repeated, segmentText, type Field, type Occurrence } from './er7.js';

/** MSH-3 to MSH-6 and MSH-11 of the messages a destination sends. */
export interface DftHeader {
  /** Each a namespace id, or the HD components joined with ^ (`BILLING^2.16.840.1.113883.3.7^ISO`). */
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  /** MSH-11: P production (default), T training, D debugging. */
  processingId?: 'P' | 'T' | 'D';
}

export interface DftOptions {
  header: DftHeader;
  /** MSH-10, at most 20 characters. */
  controlId: string;
  /** MSH-7 and EVN-2. */
  now: Date;
}

/** HL7 table 0063: the insured's relationship to the patient (IN1-17), the reverse of the canonical one. */
const INSURED_RELATIONSHIP: Record<SubscriberRelationship, string> = { self: 'SEL', spouse: 'SPO', child: 'PAR', other: 'OTH' };
/** HL7 table 0344: the patient's relationship to the insured (IN2-72); "other" has no code there. */
const PATIENT_RELATIONSHIP: Partial<Record<SubscriberRelationship, string>> = { self: '01', spouse: '02', child: '03' };
const COB_PRIORITY: Record<Coverage['rank'], string | undefined> = { primary: '1', secondary: '2', tertiary: '3', unknown: undefined };

/** The claim as DFT^P03 ER7 text (segments ended by CR); throws ValidationError with `$.` paths. */
export function claimToDft(claim: Claim, options: DftOptions): string {
  if (options.controlId.length > MAX_CONTROL_ID_LENGTH) throw new RangeError(`MSH-10 "${options.controlId}" is longer than 20 characters`);
  const issues = dftIssues(claim);
  if (issues.length > 0)
    throw new ValidationError(`the claim cannot be carried by a DFT^P03: ${issues.map((issue) => issue.path).join(', ')}`, issues);
  const now = hl7Instant(options.now);
  return messageText([
    messageHeader(options, now),
    segment('EVN', { 1: 'P03', 2: now }),
    patientIdentification(claim),
    patientVisit(claim),
    ...claim.serviceLines.flatMap((line, i) => [financialTransaction(claim, line, i), ...(i === 0 ? procedures(claim) : [])]),
    ...claim.diagnoses.map((diagnosis, i) =>
      segment('DG1', {
        1: String(i + 1),
        3: codedElement(diagnosis.code),
        6: diagnosis.kind === 'admitting' ? 'A' : 'F',
        15: String(diagnosis.sequence),
      }),
    ),
    ...(claim.institutional?.drgCode ? [segment('DRG', { 1: [claim.institutional.drgCode] })] : []),
    ...claim.coverages.flatMap((coverage, i) => insurance(claim, coverage, i)),
    ...(claim.accident ? [accident(claim.accident)] : []),
  ]);
}

/** What keeps the claim out of a DFT: required fields with no canonical value to fill them. */
export function dftIssues(claim: Claim): Issue[] {
  const issues: Issue[] = [];
  if (patientIdentifiers(claim).length === 0)
    issues.push({
      path: '$.patient.identifiers',
      rule: 'hl7-pid-3',
      message: 'PID-3 needs a patient identifier: the patient has none and no coverage has the patient as subscriber',
    });
  if (claim.serviceLines.length === 0)
    issues.push({ path: '$.serviceLines', rule: 'hl7-ft1', message: 'a DFT^P03 carries at least one FT1 (service line)' });
  claim.serviceLines.forEach((line, j) => {
    const at = `$.serviceLines[${j}]`;
    if (!line.serviceDate && !claim.billablePeriod)
      issues.push({ path: `${at}.serviceDate`, rule: 'hl7-ft1-4', message: 'FT1-4 needs a service date or the claim billable period' });
    if (!line.procedure && !line.revenueCode)
      issues.push({ path: `${at}.procedure`, rule: 'hl7-ft1-7', message: 'FT1-7 needs a procedure or a revenue code' });
    line.diagnosisPointers?.forEach((pointer, k) => {
      if (!claim.diagnoses.some((diagnosis) => diagnosis.sequence === pointer))
        issues.push({
          path: `${at}.diagnosisPointers[${k}]`,
          rule: 'diagnosis-pointer',
          message: `points at diagnosis ${pointer}, which the claim does not have`,
        });
    });
  });
  claim.institutional?.procedures?.forEach((procedure, k) => {
    if (!procedure.date && !claim.billablePeriod)
      issues.push({
        path: `$.institutional.procedures[${k}].date`,
        rule: 'hl7-pr1-5',
        message: 'PR1-5 needs a procedure date or the claim billable period',
      });
  });
  return issues;
}

/** A segment from its non-empty fields by number. */
function segment(id: string, fields: Record<number, Field>): string {
  const numbers = Object.keys(fields).map(Number);
  const list: Field[] = Array.from({ length: Math.max(0, ...numbers) }, () => undefined);
  for (const n of numbers) list[n - 1] = fields[n];
  return segmentText(id, list);
}

/** A configured HD: a namespace id, or components joined with ^ (config text, never escaped data). */
function designator(value: string | undefined): Occurrence {
  return value?.split('^');
}

function messageHeader({ header, controlId }: DftOptions, now: string): string {
  return headerSegment([
    designator(header.sendingApplication),
    designator(header.sendingFacility),
    designator(header.receivingApplication),
    designator(header.receivingFacility),
    now,
    undefined,
    ['DFT', 'P03', 'DFT_P03'],
    controlId,
    header.processingId ?? 'P',
    '2.5.1',
    // MSH-13 … MSH-17 empty: original acknowledgement mode.
    ...Array.from({ length: 5 }, () => undefined),
    'UNICODE UTF-8',
  ]);
}

/** PID-3: the patient's own identifiers, else the member id of a coverage the patient holds. */
function patientIdentifiers(claim: Claim): Occurrence[] {
  const own = (claim.patient.identifiers ?? []).map(extendedId);
  if (own.length > 0) return own;
  const held = claim.coverages.find((coverage) => coverage.relationship === 'self');
  return held ? [[held.memberId, '', '', assigningAuthority(held.payer.payerId), 'MB']] : [];
}

function patientIdentification(claim: Claim): string {
  const { patient } = claim;
  return segment('PID', {
    1: '1',
    3: repeated(patientIdentifiers(claim)),
    5: personName(patient.name),
    7: hl7Date(patient.birthDate),
    8: administrativeSex(patient.gender),
    11: address(patient.address),
    // PID-18 patient account number: the claim's patient control number (837 CLM01).
    18: [claim.claimNumber],
  });
}

/** PV1-2 patient class: inpatient for types of bill classified inpatient (digit 2 is 1 or 2), else outpatient. */
function patientClass(claim: Claim): string {
  const bill = claim.institutional?.typeOfBill?.replace(/^0(?=\d{3})/, '');
  return bill !== undefined && (bill[1] === '1' || bill[1] === '2') ? 'I' : 'O';
}

function patientVisit(claim: Claim): string {
  const institutional = claim.institutional;
  const admission = institutional?.admission;
  const end = claim.billablePeriod?.end;
  return segment('PV1', {
    1: '1',
    2: patientClass(claim),
    4: admission?.type?.code,
    7: providerName(claim.providers.attending),
    8: providerName(claim.providers.referring),
    14: admission?.source?.code,
    36: institutional?.dischargeStatus?.code,
    44: hl7DateHour(admission?.date, admission?.hour),
    45: institutional?.dischargeHour && end ? hl7DateHour(end, institutional.dischargeHour) : undefined,
  });
}

function financialTransaction(claim: Claim, line: ServiceLine, index: number): string {
  const period = line.serviceDate ?? claim.billablePeriod;
  const charged = line.revenueCode ?? line.procedure;
  return segment('FT1', {
    1: String(index + 1),
    2: line.lineControlNumber,
    4: [hl7Date(period?.start), hl7Date(period?.end)],
    // HL7 table 0017: a void credits the charges it reverses.
    6: claim.frequency === 'void' ? 'CD' : 'CG',
    7: codedElement(charged),
    8: charged?.display,
    10: line.units,
    11: price(line.charge, claim.currency),
    12: price(line.unitPrice, claim.currency),
    19: repeated((line.diagnosisPointers ?? []).map((pointer) => codedElement(claim.diagnoses.find((d) => d.sequence === pointer)?.code))),
    20: providerName(line.renderingProvider ?? claim.providers.rendering),
    21: providerName(claim.providers.referring),
    25: codedElement(line.procedure),
    26: repeated((line.modifiers ?? []).map((modifier) => [modifier])),
    29: line.ndc ? [line.ndc.code, '', 'NDC'] : undefined,
  });
}

/** Institutional procedures (ICD-10-PCS) as PR1s of the first financial group. */
function procedures(claim: Claim): string[] {
  let secondary = 1;
  return (claim.institutional?.procedures ?? []).map((procedure, k) =>
    segment('PR1', {
      1: String(k + 1),
      3: codedElement(procedure.code),
      5: hl7Date(procedure.date ?? claim.billablePeriod?.start),
      // HL7 table 0418: 1 the primary procedure, 2… the secondary ones.
      14: procedure.kind === 'principal' ? '1' : String(++secondary),
    }),
  );
}

function insurance(claim: Claim, coverage: Coverage, index: number): string[] {
  const insured: Person | undefined = coverage.subscriber ?? (coverage.relationship === 'self' ? claim.patient : undefined);
  const { payer, filingIndicator, memberId } = coverage;
  const in1 = segment('IN1', {
    1: String(index + 1),
    2: [payer.payerId, payer.name],
    3: [payer.payerId],
    4: [payer.name],
    5: address(payer.address),
    8: coverage.groupNumber,
    9: [coverage.groupName],
    // The claim's prior authorization belongs to the coverage it is billed to (the first).
    14: index === 0 ? [claim.priorAuthorizationNumber] : undefined,
    15: filingIndicator,
    16: insured ? personName(insured.name) : undefined,
    17: [INSURED_RELATIONSHIP[coverage.relationship]],
    18: hl7Date(insured?.birthDate),
    19: address(insured?.address),
    22: COB_PRIORITY[coverage.rank],
    36: memberId,
    43: administrativeSex(insured?.gender),
    49: [memberId, '', '', assigningAuthority(payer.payerId), 'MB'],
  });
  const in2: Record<number, Field> = {};
  // X12 claim filing indicators: MA/MB Medicare (IN2-6 Medicare card number), MC Medicaid (IN2-8).
  if (filingIndicator === 'MA' || filingIndicator === 'MB') in2[6] = memberId;
  if (filingIndicator === 'MC') in2[8] = memberId;
  const relationship = PATIENT_RELATIONSHIP[coverage.relationship];
  if (relationship) in2[72] = [relationship];
  return Object.keys(in2).length > 0 ? [in1, segment('IN2', in2)] : [in1];
}

function accident(value: NonNullable<Claim['accident']>): string {
  // ACC-2 holds one code: the first cause (837 CLM11: AA auto, EM employment, OA other).
  return segment('ACC', { 1: hl7Date(value.date), 2: [value.causes[0]], 4: [value.state] });
}
