// A canonical prior authorization request as the body of a 278 request (005010X217, BHT02 13):
// UMO (2000A), requester (2000B), subscriber (2000C), dependent (2000D) when the patient is not
// the subscriber, patient event (2000E) and one service level (2000F) per requested service.
import type { Issue } from '../../../canonical-model/errors.js';
import type { Diagnosis, PriorAuthorization, Provider, RequestedService, SubscriberRelationship } from '../../../canonical-model/types.js';
import { validatePriorAuthorization } from '../../../canonical-model/validate.js';
import type { Delimiters } from '../segment.js';
import { icd10Code } from './claim-codes.js';
import { addressSegments, demographics, payerNm1, personNm1, providerNm1, specialty } from './parties.js';
import { ccyymmdd, DEFAULT_DELIMITERS, hhmm, type SegmentOut } from './serialize.js';
import { ValueWriter } from './values.js';

/** UM01 request categories of a request: admission review, health services review, specialty care review, individual. */
const CATEGORIES = ['AR', 'HS', 'SC', 'IN'] as const;
/** UM02 certification types: initial, appeals, cancel, extension, revised. */
const CERTIFICATION_TYPES = ['I', '1', '2', '3', '4', 'S'] as const;
/** 2010D INS02: the patient's relationship to the subscriber. */
const DEPENDENT_RELATIONSHIP: Readonly<Record<Exclude<SubscriberRelationship, 'self'>, string>> = {
  spouse: '01',
  child: '19',
  other: 'G8',
};
/** HSD01 quantity qualifier by canonical unit: days, units, hours, months, visits. */
const QUANTITY_QUALIFIERS: Readonly<Record<string, string>> = { DY: 'DY', FL: 'FL', UN: 'FL', HS: 'HS', MN: 'MN', VS: 'VS' };
const DIAGNOSIS_QUALIFIERS: Readonly<Record<Diagnosis['kind'], string>> = {
  principal: 'ABK',
  admitting: 'ABJ',
  'reason-for-visit': 'APR',
  other: 'ABF',
};

export interface Request278 {
  /** BHT03: the request number, which the UMO's response repeats. */
  transactionId: string;
  /** HL 2000A through the last 2000F. */
  hierarchy: SegmentOut[];
}

export type Request278Result = { parts: Request278; issues: [] } | { parts: null; issues: Issue[] };

/** A 278 request's BHT and HL loops. */
export function body278(parts: Request278, now: Date): SegmentOut[] {
  return [['BHT', '0007', '13', parts.transactionId, ccyymmdd(now), hhmm(now)], ...parts.hierarchy];
}

/** The 278 request's parts, or every reason the request cannot be written. */
export function request278(request: PriorAuthorization, delimiters: Delimiters = DEFAULT_DELIMITERS): Request278Result {
  // The canonical schema and blocking rules first: the writer below relies on a valid request.
  const canonicalIssues = validatePriorAuthorization(request);
  if (canonicalIssues.length > 0) return { parts: null, issues: canonicalIssues };
  const v = new ValueWriter(delimiters);
  if (request.kind !== 'request')
    v.refuse('$.kind', 'unsupported-kind', 'a 278 request (BHT02 13) carries requests; decisions are the UMO’s to send');
  const transactionId = v.required(request.requestNumber, '$.requestNumber', 'BHT03 submitter transaction identifier', 50);
  const levels = hierarchy(v, request);
  if (v.issues.length > 0 || transactionId === undefined) return { parts: null, issues: v.issues };
  return { parts: { transactionId, hierarchy: levels }, issues: [] };
}

/** Why `request` cannot be written as a 278 request (empty when it can). */
export function check278(request: PriorAuthorization, options: { delimiters?: Delimiters } = {}): Issue[] {
  return request278(request, options.delimiters).issues;
}

function hierarchy(v: ValueWriter, request: PriorAuthorization): SegmentOut[] {
  const { coverage, patient, providers } = request;
  const self = coverage.relationship === 'self';
  const subscriber = self ? patient : coverage.subscriber;
  if (subscriber === undefined)
    v.refuse(
      '$.coverage.subscriber',
      'required',
      `the patient is the subscriber's ${coverage.relationship}: the subscriber is required (2010C)`,
    );
  const subscriberPath = self ? '$.patient' : '$.coverage.subscriber';
  const segments: SegmentOut[] = [
    ['HL', '1', undefined, '20', '1'],
    payerNm1(v, 'X3', request.payer, '$.payer', '2010A'),
    ['HL', '2', '1', '21', '1'],
    providerNm1(v, '1P', providers.requesting, '$.providers.requesting', '2010B', { npiRequired: true }),
    ...addressSegments(v, providers.requesting.address, '$.providers.requesting.address', '2010B'),
    ...specialty(v, 'RF', providers.requesting.taxonomy, '$.providers.requesting.taxonomy', '2010B'),
    ['HL', '3', '2', '22', '1'],
  ];
  if (subscriber !== undefined) {
    segments.push(
      personNm1(v, 'IL', subscriber.name, `${subscriberPath}.name`, '2010C', [
        'MI',
        v.required(coverage.memberId, '$.coverage.memberId', 'NM109 member identifier (2010C)', 80, 2),
      ]),
    );
    const group = v.text(coverage.groupNumber, '$.coverage.groupNumber', 'REF02 group number (2010C)', 50);
    if (group !== undefined) segments.push(['REF', '6P', group]);
    segments.push(...addressSegments(v, subscriber.address, `${subscriberPath}.address`, '2010C'));
    if (subscriber.birthDate !== undefined) segments.push(demographics(v, subscriber, subscriberPath, '2010C'));
  }
  let eventParent = 3;
  if (coverage.relationship !== 'self') {
    eventParent = 4;
    segments.push(
      ['HL', '4', '3', '23', '1'],
      personNm1(v, 'QC', patient.name, '$.patient.name', '2010D'),
      ...addressSegments(v, patient.address, '$.patient.address', '2010D'),
      ...(patient.birthDate === undefined ? [] : [demographics(v, patient, '$.patient', '2010D')]),
      ['INS', 'N', DEPENDENT_RELATIONSHIP[coverage.relationship]],
    );
  }
  const event = eventParent + 1;
  segments.push(['HL', String(event), String(eventParent), 'EV', request.services.length > 0 ? '1' : '0'], ...patientEvent(v, request));
  request.services.forEach((service, index) => {
    segments.push(['HL', String(event + 1 + index), String(event), 'SS', '0'], ...serviceLevel(v, request, service, index));
  });
  return segments;
}

/** 2000E: TRN, UM, DTP, HI and the event's providers (2010EA). */
function patientEvent(v: ValueWriter, request: PriorAuthorization): SegmentOut[] {
  const segments: SegmentOut[] = [];
  const requester = request.providers.requesting;
  // TRN03 names who assigned the trace number: "1" and the requester's EIN.
  const ein = requester.taxId === undefined ? undefined : v.digits(requester.taxId, '$.providers.requesting.taxId', 'TRN03 (2000E)', [9]);
  const number = v.text(request.requestNumber, '$.requestNumber', 'TRN02 patient event tracking number', 50);
  if (ein !== undefined) segments.push(['TRN', '1', number, `1${ein}`]);
  const category = request.category?.code;
  if (category === undefined) v.refuse('$.category', 'required', 'UM01 (2000E): the request category (AR, HS, SC, IN) is required');
  const certification = request.certificationType?.code;
  if (certification === undefined)
    v.refuse('$.certificationType', 'required', 'UM02 (2000E): the certification type (I, 3, 4, S…) is required');
  const shared = eventServiceValues(request.services);
  segments.push([
    'UM',
    v.code(category, '$.category.code', 'UM01 request category', CATEGORIES),
    v.code(certification, '$.certificationType.code', 'UM02 certification type', CERTIFICATION_TYPES),
    v.text(shared.serviceType, '$.services', 'UM03 service type', 2),
    shared.placeOfService === undefined
      ? undefined
      : v.composite(v.text(shared.placeOfService, '$.services', 'UM04-1 place of service', 2, 2), 'B'),
  ]);
  segments.push(...eventDates(v, request, category));
  segments.push(...diagnoses(v, request.diagnoses ?? []));
  const { servicing, facility, attending } = request.providers;
  segments.push(...eventProvider(v, 'SJ', servicing, 'servicing', 'PE'));
  segments.push(...eventProvider(v, 'FA', facility, 'facility'));
  segments.push(...eventProvider(v, '71', attending, 'attending', 'AT'));
  return segments;
}

/** The service type and place of service every service shares: said once, in the event's UM. */
function eventServiceValues(services: RequestedService[]): { serviceType?: string; placeOfService?: string } {
  const shared = (value: (service: RequestedService) => string | undefined) => {
    const values = new Set(services.map(value));
    return values.size === 1 ? [...values][0] : undefined;
  };
  return { serviceType: shared((s) => s.serviceType?.code), placeOfService: shared((s) => s.placeOfService?.code) };
}

/** An admission review states admission (435) and discharge (096) dates; other reviews the event date (AAH). */
function eventDates(v: ValueWriter, request: PriorAuthorization, category: string | undefined): SegmentOut[] {
  const period = request.eventPeriod;
  if (period === undefined) return [];
  if (category !== 'AR') {
    const date = v.period(period, '$.eventPeriod', 'DTP03 event date (2000E)');
    return date === undefined ? [] : [['DTP', 'AAH', date.format, date.value]];
  }
  const admission = v.date(period.start, '$.eventPeriod.start', 'DTP03 admission date (2000E)');
  const discharge = v.date(period.end, '$.eventPeriod.end', 'DTP03 discharge date (2000E)');
  return [
    ...(admission === undefined ? [] : [['DTP', '435', 'D8', admission] as SegmentOut]),
    ...(discharge === undefined ? [] : [['DTP', '096', 'D8', discharge] as SegmentOut]),
  ];
}

/** HI (2000E): principal first, up to 12 codes. */
function diagnoses(v: ValueWriter, list: Diagnosis[]): SegmentOut[] {
  if (list.length === 0) return [];
  if (list.length > 12) v.refuse('$.diagnoses', 'diagnosis-limit', `HI (2000E) holds 12 diagnoses; the request has ${list.length}`);
  const ordered = list
    .map((diagnosis, index) => ({ diagnosis, index }))
    .sort(
      (a, b) =>
        Number(b.diagnosis.kind === 'principal') - Number(a.diagnosis.kind === 'principal') || a.diagnosis.sequence - b.diagnosis.sequence,
    );
  return [
    [
      'HI',
      ...ordered
        .slice(0, 12)
        .map(({ diagnosis, index }) => v.composite(DIAGNOSIS_QUALIFIERS[diagnosis.kind], icd10Code(v, diagnosis, `$.diagnoses[${index}]`))),
    ],
  ];
}

/** 2010EA: a provider of the whole event, with its address and taxonomy. */
function eventProvider(v: ValueWriter, entity: string, provider: Provider | undefined, role: string, prv?: string): SegmentOut[] {
  if (provider === undefined) return [];
  const path = `$.providers.${role}`;
  return [
    providerNm1(v, entity, provider, path, '2010EA'),
    ...addressSegments(v, provider.address, `${path}.address`, '2010EA'),
    ...(prv === undefined ? [] : specialty(v, prv, provider.taxonomy, `${path}.taxonomy`, '2010EA')),
  ];
}

/** 2000F: UM when the service's type or place differs from the event's, DTP*472, SV1 or SV2, HSD, its provider (2010F). */
function serviceLevel(v: ValueWriter, request: PriorAuthorization, service: RequestedService, index: number): SegmentOut[] {
  const path = `$.services[${index}]`;
  const shared = eventServiceValues(request.services);
  const segments: SegmentOut[] = [];
  const serviceType = service.serviceType?.code;
  const placeOfService = service.placeOfService?.code;
  if (
    (serviceType !== undefined && serviceType !== shared.serviceType) ||
    (placeOfService !== undefined && placeOfService !== shared.placeOfService)
  )
    segments.push([
      'UM',
      'HS',
      request.certificationType?.code,
      serviceType === shared.serviceType ? undefined : v.text(serviceType, `${path}.serviceType.code`, 'UM03 service type (2000F)', 2),
      placeOfService === shared.placeOfService
        ? undefined
        : v.composite(v.text(placeOfService, `${path}.placeOfService.code`, 'UM04-1 place of service (2000F)', 2, 2), 'B'),
    ]);
  const date = v.period(service.serviceDate, `${path}.serviceDate`, 'DTP03 service date (2000F)');
  if (date !== undefined) segments.push(['DTP', '472', date.format, date.value]);
  const procedure = procedureComposite(v, service, path);
  const revenue = service.revenueCode?.code;
  if (revenue !== undefined) {
    const code = /^\d{3,4}$/.test(revenue)
      ? revenue.padStart(4, '0')
      : v.refuse(`${path}.revenueCode.code`, 'revenue-code', `SV201: "${revenue}" is not a NUBC revenue code`);
    segments.push(['SV2', code, procedure]);
  } else if (procedure !== undefined) segments.push(['SV1', procedure]);
  else if (serviceType === undefined)
    v.refuse(path, 'required', 'loop 2000F: a service needs a procedure, a revenue code or a service type');
  if (service.units !== undefined) {
    const qualifier =
      QUANTITY_QUALIFIERS[service.unitType ?? 'FL'] ??
      v.refuse(`${path}.unitType`, 'code', `HSD01: "${service.unitType}" is not DY, FL, UN, HS, MN or VS`);
    segments.push(['HSD', qualifier, v.quantity(service.units, `${path}.units`, 'HSD02 quantity')]);
  }
  if (service.servicingProvider !== undefined)
    segments.push(
      providerNm1(v, 'SJ', service.servicingProvider, `${path}.servicingProvider`, '2010F'),
      ...specialty(v, 'PE', service.servicingProvider.taxonomy, `${path}.servicingProvider.taxonomy`, '2010F'),
    );
  return segments;
}

/** SV101 / SV202: HC:code:modifiers for a CPT or HCPCS procedure. */
function procedureComposite(v: ValueWriter, service: RequestedService, path: string): string | undefined {
  const code = service.procedure;
  if (code === undefined) return undefined;
  if (code.system !== 'CPT' && code.system !== 'HCPCS')
    return v.refuse(
      `${path}.procedure.system`,
      'code-system',
      `SV1/SV2 (2000F): procedure code system "${code.system}" is not CPT or HCPCS`,
    );
  const modifiers = service.modifiers ?? [];
  if (modifiers.length > 4)
    v.refuse(`${path}.modifiers`, 'modifier-limit', `a procedure carries four modifiers; the service has ${modifiers.length}`);
  return v.composite(
    'HC',
    v.text(code.code.toUpperCase(), `${path}.procedure.code`, 'procedure code (2000F)', 48),
    ...modifiers
      .slice(0, 4)
      .map((modifier, i) => v.text(modifier.toUpperCase(), `${path}.modifiers[${i}]`, 'procedure modifier (2000F)', 2, 2)),
  );
}
