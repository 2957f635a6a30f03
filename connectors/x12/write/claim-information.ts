// The head of loop 2300: CLM, the claim dates, attachments (PWK), the patient's payment and the
// claim's references (referral, prior authorization, payer claim number, medical record number).
import type { Claim, ClaimFrequency } from '../../../canonical-model/types.js';
import type { ClaimGuide } from './claim-levels.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

/** CLM05-3 claim frequency type code. */
const FREQUENCY: Readonly<Record<ClaimFrequency, string>> = { original: '1', replacement: '7', void: '8' };
/** CLM11 related causes (the canonical model carries the X12 code or its word). */
const RELATED_CAUSES: Readonly<Record<string, string>> = { AA: 'AA', auto: 'AA', EM: 'EM', employment: 'EM', OA: 'OA', other: 'OA' };
const TRANSMISSION_CODES = ['AA', 'BM', 'EL', 'EM', 'FT', 'FX'] as const;

/**
 * CLM06–CLM09 have no place in the canonical model: claimhub submits as providers almost always do,
 * signature on file (Y), assignment accepted (A), benefits assigned (Y), release of information signed (Y).
 */
const ATTESTATIONS = { signature: 'Y', assignment: 'A', benefitsAssigned: 'Y', releaseOfInformation: 'Y' } as const;

/** 837P CLM05-1: the claim's place of service, or its first line's. */
export function claimPlaceOfService(v: ValueWriter, claim: Claim): string | undefined {
  const code = claim.placeOfService?.code ?? claim.serviceLines.find((line) => line.placeOfService)?.placeOfService?.code;
  if (code === undefined) return v.refuse('$.placeOfService', 'required', 'CLM05-1 (837P): the place of service is required');
  return v.text(code, '$.placeOfService.code', 'CLM05-1 place of service', 2, 2);
}

/** CLM, DTP, PWK, AMT and REF of the 2300 loop, in the guide's order. */
export function claimInformation(v: ValueWriter, claim: Claim, guide: ClaimGuide, placeOfService: string | undefined): SegmentOut[] {
  const number = v.required(claim.claimNumber, '$.claimNumber', 'CLM01 patient control number', 38);
  const total = v.amount(claim.totalCharge, '$.totalCharge', 'CLM02 total claim charge');
  const { signature, assignment, benefitsAssigned, releaseOfInformation } = ATTESTATIONS;
  if (guide === '837P')
    return [
      [
        'CLM',
        number,
        total,
        undefined,
        undefined,
        v.composite(placeOfService, 'B', FREQUENCY[claim.frequency]),
        signature,
        assignment,
        benefitsAssigned,
        releaseOfInformation,
        undefined,
        relatedCauses(v, claim),
      ],
      ...professionalDates(v, claim),
      ...attachments(v, claim),
      ...(claim.patientPaid === undefined
        ? []
        : [['AMT', 'F5', v.amount(claim.patientPaid, '$.patientPaid', 'AMT02 patient amount paid')] as SegmentOut]),
      ...references(v, claim, ['9F', 'G1', 'F8', 'EA']),
    ];
  return [
    ['CLM', number, total, undefined, undefined, billType(v, claim), undefined, assignment, benefitsAssigned, releaseOfInformation],
    ...institutionalDates(v, claim),
    ...institutionalClaimCode(v, claim),
    ...attachments(v, claim),
    ...references(v, claim, ['F8', '9F', 'G1', 'EA', 'LU']),
  ];
}

/** 837I CLM05: facility type (type of bill digits 2–3), A, frequency (its last digit), which must agree with `frequency`. */
function billType(v: ValueWriter, claim: Claim): string | undefined {
  const typeOfBill = claim.institutional?.typeOfBill;
  if (typeOfBill === undefined) return v.refuse('$.institutional.typeOfBill', 'required', 'CLM05 (837I): the type of bill is required');
  const match = /^0?([1-9][0-9])([0-9A-Z])$/.exec(typeOfBill);
  if (match === null)
    return v.refuse('$.institutional.typeOfBill', 'type-of-bill', `CLM05: "${typeOfBill}" is not a type of bill (e.g. 0131)`);
  const [, facility, frequency] = match;
  const implied: ClaimFrequency = frequency === '7' ? 'replacement' : frequency === '8' ? 'void' : 'original';
  if (implied !== claim.frequency)
    return v.refuse(
      '$.institutional.typeOfBill',
      'frequency-mismatch',
      `type of bill ${typeOfBill} is a${implied === 'original' ? 'n' : ''} ${implied} bill, the claim is a ${claim.frequency}`,
    );
  return v.composite(facility, 'A', frequency);
}

/** CLM11: up to two related causes, and the state for an auto accident. */
function relatedCauses(v: ValueWriter, claim: Claim): string | undefined {
  const accident = claim.accident;
  if (accident === undefined) return undefined;
  const causes = accident.causes.map(
    (cause, i) =>
      RELATED_CAUSES[cause] ??
      v.refuse(`$.accident.causes[${i}]`, 'code', `CLM11: "${cause}" is not AA (auto), EM (employment) or OA (other accident)`),
  );
  if (causes.length > 2) v.refuse('$.accident.causes', 'related-causes', `CLM11 holds two related causes; the claim has ${causes.length}`);
  const auto = causes.includes('AA');
  if (auto && accident.state === undefined)
    v.refuse('$.accident.state', 'required', 'CLM11-4: an auto accident needs the state it happened in');
  const state = auto ? v.text(accident.state, '$.accident.state', 'CLM11-4 auto accident state', 2, 2) : undefined;
  return v.composite(causes[0], causes[1], '', state);
}

/** 837P DTP*439 accident (required for auto and other accidents) and DTP*435 admission. */
function professionalDates(v: ValueWriter, claim: Claim): SegmentOut[] {
  const dates: SegmentOut[] = [];
  const accident = claim.accident;
  if (accident !== undefined) {
    const needsDate = accident.causes.some((cause) => ['AA', 'auto', 'OA', 'other'].includes(cause));
    if (needsDate && accident.date === undefined) v.refuse('$.accident.date', 'required', 'DTP*439 (2300): the accident date is required');
    const date = v.date(accident.date, '$.accident.date', 'DTP03 accident date');
    if (date !== undefined) dates.push(['DTP', '439', 'D8', date]);
  }
  const admitted = v.date(claim.institutional?.admission?.date, '$.institutional.admission.date', 'DTP03 admission date');
  if (admitted !== undefined) dates.push(['DTP', '435', 'D8', admitted]);
  return dates;
}

/** 837I DTP*096 discharge hour, DTP*434 statement dates (always a range), DTP*435 admission date and hour. */
function institutionalDates(v: ValueWriter, claim: Claim): SegmentOut[] {
  const dates: SegmentOut[] = [];
  const info = claim.institutional;
  const discharge = v.hour(info?.dischargeHour, '$.institutional.dischargeHour', 'DTP03 discharge hour');
  if (discharge !== undefined) dates.push(['DTP', '096', 'TM', discharge]);
  if (claim.billablePeriod === undefined) v.refuse('$.billablePeriod', 'required', 'DTP*434 (837I): the statement period is required');
  const statement = v.period(claim.billablePeriod, '$.billablePeriod', 'DTP03 statement dates', 'RD8');
  if (statement !== undefined) dates.push(['DTP', '434', statement.format, statement.value]);
  const admission = info?.admission;
  const date = v.date(admission?.date, '$.institutional.admission.date', 'DTP03 admission date');
  const hour = v.hour(admission?.hour, '$.institutional.admission.hour', 'DTP03 admission hour');
  if (date !== undefined) dates.push(hour === undefined ? ['DTP', '435', 'D8', date] : ['DTP', '435', 'DT', date + hour]);
  return dates;
}

/** 837I CL1: admission type, admission source, patient status (CL103 is required once CL1 is sent). */
function institutionalClaimCode(v: ValueWriter, claim: Claim): SegmentOut[] {
  const info = claim.institutional;
  const type = info?.admission?.type?.code;
  const source = info?.admission?.source?.code;
  const status = info?.dischargeStatus?.code;
  if (type === undefined && source === undefined && status === undefined) return [];
  if (status === undefined)
    v.refuse(
      '$.institutional.dischargeStatus',
      'required',
      'CL103 (2300): the patient status is required with an admission type or source',
    );
  return [
    [
      'CL1',
      v.text(type, '$.institutional.admission.type.code', 'CL101 admission type', 1),
      v.text(source, '$.institutional.admission.source.code', 'CL102 admission source', 1),
      v.text(status, '$.institutional.dischargeStatus.code', 'CL103 patient status', 2),
    ],
  ];
}

/** PWK: report type, how it is sent, and its attachment control number (AC) unless it is available on request. */
function attachments(v: ValueWriter, claim: Claim): SegmentOut[] {
  const list = claim.attachments ?? [];
  if (list.length > 10)
    v.refuse('$.attachments', 'attachment-limit', `PWK (2300) repeats 10 times; the claim has ${list.length} attachments`);
  return list.slice(0, 10).map((attachment, i): SegmentOut => {
    const path = `$.attachments[${i}]`;
    const transmission = v.code(attachment.transmission, `${path}.transmission`, 'PWK02 transmission code', TRANSMISSION_CODES);
    if (transmission !== undefined && transmission !== 'AA' && attachment.controlNumber === undefined)
      v.refuse(`${path}.controlNumber`, 'required', `PWK06: an attachment sent ${transmission} needs its control number`);
    const control = v.text(attachment.controlNumber, `${path}.controlNumber`, 'PWK06 attachment control number', 80, 2);
    return [
      'PWK',
      v.text(attachment.reportType, `${path}.reportType`, 'PWK01 report type', 2, 2),
      transmission,
      undefined,
      undefined,
      control && 'AC',
      control,
    ];
  });
}

type ReferenceQualifier = 'F8' | '9F' | 'G1' | 'EA' | 'LU';

/** The claim's REF segments in the order given (the guides' orders differ). */
function references(v: ValueWriter, claim: Claim, order: ReferenceQualifier[]): SegmentOut[] {
  const mrn = claim.patient.identifiers?.find((identifier) => identifier.type === 'mrn')?.value;
  const autoAccident = claim.accident?.causes.some((cause) => cause === 'AA' || cause === 'auto');
  const values: Record<ReferenceQualifier, [string | undefined, string, string]> = {
    // REF*F8: only on replacement and void claims, the ones that refer to an earlier claim.
    F8: [
      claim.frequency === 'original' ? undefined : claim.originalClaimNumber,
      '$.originalClaimNumber',
      'REF02 payer claim control number',
    ],
    '9F': [claim.referralNumber, '$.referralNumber', 'REF02 referral number'],
    G1: [claim.priorAuthorizationNumber, '$.priorAuthorizationNumber', 'REF02 prior authorization number'],
    EA: [mrn, '$.patient.identifiers', 'REF02 medical record number'],
    // 837I REF*LU: the state of an auto accident (837P carries it in CLM11-4).
    LU: [autoAccident ? claim.accident?.state : undefined, '$.accident.state', 'REF02 auto accident state'],
  };
  return order.flatMap((qualifier): SegmentOut[] => {
    const [value, path, element] = values[qualifier];
    const written = v.text(value, path, element, qualifier === 'LU' ? 2 : 50);
    return written === undefined ? [] : [['REF', qualifier, written]];
  });
}
