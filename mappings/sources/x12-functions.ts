// The helpers every x12 mapping gets (see mappings/README.md): composites in the interchange's own
// separator, dates, the parties of NM1 and N1 loops (name, N3/N4 address, DMG, REF ids, PRV taxonomy)
// as canonical shapes, procedure composites, and the 835's money lists (CAS adjustments, PLB
// provider adjustments). Native because the same logic in JSONata costs tens of evaluation steps
// per call, and every claim, claim payment and service line calls them.

import type {
  Address, Adjustment, AdjustmentGroup, Code, Identifier, Payer, Period, Person, PersonName, Provider, ProviderAdjustment, ServiceLinePayment,
} from '../../canonical-model/types.js';
import type { LoopJson, SegmentJson } from '../../connectors/x12/structure/claim-json.js';
import { money } from '../money-functions.js';
import type { X12UnitContext } from './x12.js';

/** Names these helpers take in every x12 mapping. */
export const X12_FUNCTIONS = [
  'components', 'composites', 'date', 'period', 'dtmPeriod', 'name', 'address', 'person', 'provider', 'payer',
  'serviceCode', 'adjustments', 'providerAdjustments', 'servicePayments',
] as const;

/** NM108 identification code qualifier → canonical identifier type. */
const NM1_ID_TYPES: Readonly<Record<string, string>> = {
  XX: 'npi',
  MI: 'member-id',
  II: 'member-id', // standard unique health identifier, used as the member id
  HN: 'member-id', // 835 NM1*QC: Medicare health insurance claim number
  MR: 'mrn', // 835 NM1*QC: the provider's medical record number
  PI: 'payer-id',
  XV: 'payer-id', // CMS National Plan ID
  '24': 'tax-id',
  '34': 'ssn',
  FI: 'tax-id',
};

/** NM108 qualifiers whose NM109 is a provider's tax id: EIN (278), SSN of a person (278), federal taxpayer id (835). */
const NM1_TAX_IDS: ReadonlySet<string> = new Set(['24', '34', 'FI']);

/** Product/service id qualifier (SV101-1, SV202-1, SV301-1, SVC01-1) → code system, besides HC (CPT or HCPCS) and NU (revenue code). */
const PRODUCT_SYSTEMS: Readonly<Record<string, string>> = { AD: 'CDT', N4: 'NDC', HP: 'HIPPS' };

/** CAS02/03/04 … CAS17/18/19: the six reason, amount, quantity triplets of a CAS segment. */
const CAS_TRIPLETS = [2, 5, 8, 11, 14, 17].map((i) => [i, i + 1, i + 2].map((n) => `CAS${String(n).padStart(2, '0')}`));
/** PLB03/04 … PLB13/14: the six adjustment identifier, amount pairs of a PLB segment. */
const PLB_PAIRS = [3, 5, 7, 9, 11, 13].map((i) => [i, i + 1].map((n) => `PLB${String(n).padStart(2, '0')}`));

const GENDERS: Readonly<Record<string, Person['gender']>> = { F: 'female', M: 'male', U: 'unknown' };

export function x12Functions() {
  return {
    shared: { date, period, dtmPeriod, name, address, person, provider, payer, adjustments },
    perEvaluation(context: X12UnitContext) {
      const separator = context.delimiters.component;
      return {
        components: (value: unknown) => (typeof value === 'string' && value !== '' ? value.split(separator) : undefined),
        composites: (segments: unknown) => composites(segments, separator),
        serviceCode: (composite: unknown) => serviceCode(composite, separator),
        providerAdjustments: (segments: unknown) => providerAdjustments(segments, separator),
        servicePayments: (loops: unknown) => servicePayments(loops, separator),
      };
    },
  };
}

/** One composite of `$composites`: where it is and its components. */
interface Composite {
  /** Reference designator: `HI03`. */
  designator: string;
  parts: string[];
  /** The segment it is in (for $refuse: `[segment, designator]`). */
  segment: SegmentJson;
}

/**
 * `$composites(HI)`: every non-empty element of the segments, in order (HI01…HI12 of the first HI,
 * then the next), each as { designator, parts, segment }. Objects, not nested arrays, so JSONata
 * keeps one entry per composite even when there is only one.
 */
function composites(value: unknown, separator: string): Composite[] {
  const found: Composite[] = [];
  for (const segment of segmentsOf(value))
    for (const [designator, text] of Object.entries(segment)) found.push({ designator, parts: text.split(separator), segment });
  return found;
}

/** JSONata hands a one-item sequence over as that item or as a one-item array: take the item. */
function one<T>(value: unknown): T | undefined {
  return ((Array.isArray(value) ? value[0] : value) ?? undefined) as T | undefined;
}

/** A segment or a sequence of segments as a list. */
function segmentsOf(value: unknown): SegmentJson[] {
  return (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) as SegmentJson[];
}

function firstOf(loop: LoopJson | undefined, id: string): SegmentJson | undefined {
  return (loop?.[id] as SegmentJson[] | undefined)?.[0];
}

function refOf(loop: LoopJson | undefined, qualifiers: readonly string[]): string | undefined {
  return (loop?.REF as SegmentJson[] | undefined)?.find((ref) => qualifiers.includes(ref.REF01))?.REF02;
}

/** The NM1 a party helper reads, and its loop: the value itself when it is an NM1 segment (835 2100), else its loop's NM1. */
function nm1Party(value: unknown): { nm1: SegmentJson | undefined; loop: LoopJson | undefined } {
  const item = one<Record<string, unknown>>(value);
  if (item !== undefined && typeof item.NM101 === 'string') return { nm1: item as SegmentJson, loop: undefined };
  const loop = item as LoopJson | undefined;
  return { nm1: firstOf(loop, 'NM1'), loop };
}

/** `$date('20240131')` → `2024-01-31`; undefined unless eight digits of a real calendar date. */
export function date(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 8 || !/^\d{8}$/.test(value)) return undefined;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

/** `$period(DTP)`: D8 → { start }, RD8 `20240101-20240105` → { start, end }; undefined otherwise. Reads DTP02/DTP03. */
export function period(segment: unknown): { start: string; end?: string } | undefined {
  const dtp = one<SegmentJson>(segment);
  if (!dtp) return undefined;
  const format = dtp.DTP02;
  const value = dtp.DTP03;
  if (format === 'D8') {
    const start = date(value);
    return start ? { start } : undefined;
  }
  if (format === 'RD8' && typeof value === 'string') {
    const [from, to] = value.split('-');
    const start = date(from);
    const end = date(to);
    return start && end ? { start, end } : undefined;
  }
  return undefined;
}

/**
 * `$dtmPeriod(DTM, '232', '233')`: the DTM02 dates of the DTM segments qualified (DTM01) as the
 * start and, optionally, the end of a period (835: 232/233 statement, 150/151 service, 472 one
 * day); undefined without a start date.
 */
export function dtmPeriod(segments: unknown, startQualifier: unknown, endQualifier?: unknown): Period | undefined {
  let start: string | undefined;
  let end: string | undefined;
  for (const dtm of segmentsOf(segments)) {
    if (dtm.DTM01 === startQualifier) start = date(dtm.DTM02);
    else if (endQualifier !== undefined && dtm.DTM01 === endQualifier) end = date(dtm.DTM02);
  }
  if (start === undefined) return undefined;
  return end === undefined ? { start } : { start, end };
}

/** `$name(NM1)` of a person: NM103 family, NM104/NM105 given, NM107 suffix. */
export function name(segment: unknown): PersonName | undefined {
  const nm1 = one<SegmentJson>(segment);
  if (!nm1?.NM103) return undefined;
  const result: PersonName = { family: nm1.NM103 };
  const given = [nm1.NM104, nm1.NM105].filter((part): part is string => !!part);
  if (given.length > 0) result.given = given;
  if (nm1.NM107) result.suffix = nm1.NM107;
  return result;
}

/** `$address(loop)` from its N3 and N4; undefined without N3. */
export function address(loopValue: unknown): Address | undefined {
  const loop = one<LoopJson>(loopValue);
  const n3 = firstOf(loop, 'N3');
  if (!n3?.N301) return undefined;
  const n4 = firstOf(loop, 'N4');
  const result: Address = { lines: n3.N302 ? [n3.N301, n3.N302] : [n3.N301] };
  if (n4?.N401) result.city = n4.N401;
  if (n4?.N402) result.state = n4.N402;
  if (n4?.N403) result.postalCode = n4.N403;
  if (n4?.N404) result.country = n4.N404;
  return result;
}

/**
 * `$person(loop or NM1)`: NM1 person with NM109 (typed by NM108); from a loop also N3/N4, DMG birth
 * date and gender, and REF*SY.
 */
export function person(value: unknown): Person | undefined {
  const { nm1, loop } = nm1Party(value);
  const personName = name(nm1);
  if (!personName || !nm1) return undefined;
  const result: Person = { name: personName };
  const dmg = firstOf(loop, 'DMG');
  if (dmg?.DMG01 === 'D8') {
    const birthDate = date(dmg.DMG02);
    if (birthDate) result.birthDate = birthDate;
  }
  const gender = dmg?.DMG03 ? GENDERS[dmg.DMG03] : undefined;
  if (gender) result.gender = gender;
  const place = address(loop);
  if (place) result.address = place;
  const identifiers: Identifier[] = [];
  if (nm1.NM109) identifiers.push({ type: NM1_ID_TYPES[nm1.NM108] ?? 'other', value: nm1.NM109 });
  const ssn = refOf(loop, ['SY']);
  if (ssn) identifiers.push({ type: 'ssn', value: ssn });
  if (identifiers.length > 0) result.identifiers = identifiers;
  return result;
}

/**
 * `$provider(loop or NM1, PRV?)`: NM1 person or organization, NPI (NM108 XX), tax id (REF EI/SY,
 * else NM109 with NM108 24, 34 or FI), taxonomy (PRV03), N3/N4. An N1 loop (835 payee) is an
 * organization: N102 name, N104 NPI (N103 XX) or tax id (N103 FI, else REF*TJ).
 */
export function provider(value: unknown, prvValue?: unknown): Provider | undefined {
  const { nm1, loop } = nm1Party(value);
  if (nm1 === undefined) return n1Provider(loop);
  if (!nm1.NM103) return undefined;
  const isPerson = nm1.NM102 === '1';
  const result: Provider = { entityType: isPerson ? 'person' : 'organization', name: nm1.NM103 };
  if (isPerson) result.person = name(nm1);
  if (nm1.NM108 === 'XX' && nm1.NM109) result.npi = nm1.NM109;
  const tax = refOf(loop, ['EI', 'SY']) ?? (NM1_TAX_IDS.has(nm1.NM108) ? nm1.NM109 : undefined);
  if (tax) result.taxId = tax;
  const taxonomy = (one<SegmentJson>(prvValue) ?? firstOf(loop, 'PRV'))?.PRV03;
  if (taxonomy) result.taxonomy = taxonomy;
  const place = address(loop);
  if (place) result.address = place;
  return result;
}

function n1Provider(loop: LoopJson | undefined): Provider | undefined {
  const n1 = firstOf(loop, 'N1');
  if (!n1?.N102) return undefined;
  const result: Provider = { entityType: 'organization', name: n1.N102 };
  if (n1.N103 === 'XX' && n1.N104) result.npi = n1.N104;
  const tax = n1.N103 === 'FI' ? n1.N104 : refOf(loop, ['TJ']);
  if (tax) result.taxId = tax;
  const place = address(loop);
  if (place) result.address = place;
  return result;
}

/** `$payer(loop)`: NM1 name and payer id (NM109), N3/N4; from an N1 loop (835 payer) N102 and N104, else REF*2U. */
export function payer(value: unknown): Payer | undefined {
  const { nm1, loop } = nm1Party(value);
  const payerName = nm1 ? nm1.NM103 : firstOf(loop, 'N1')?.N102;
  if (!payerName) return undefined;
  const result: Payer = { name: payerName };
  const payerId = nm1 ? nm1.NM109 : (firstOf(loop, 'N1')?.N104 ?? refOf(loop, ['2U']));
  if (payerId) result.payerId = payerId;
  const place = address(loop);
  if (place) result.address = place;
  return result;
}

/** What `$serviceCode` reads from a procedure composite. */
interface ServiceCode {
  procedure?: Code;
  revenueCode?: Code;
  modifiers?: string[];
}

/**
 * `$serviceCode(SVC01)` (or SV101, SV202, SV301): the code with its system by qualifier (HC: CPT
 * when it starts with a digit, else HCPCS; NU: a revenue code; AD CDT, N4 NDC, HP HIPPS; any other
 * qualifier names its own X12 code list, `X12-235-ER`) and modifiers 3–6.
 */
function serviceCode(value: unknown, separator: string): ServiceCode | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const [qualifier, code, ...rest] = value.split(separator);
  const result: ServiceCode = {};
  if (code && qualifier === 'NU') result.revenueCode = { system: 'NUBC-REV', code };
  else if (code) result.procedure = { system: productSystem(qualifier, code), code };
  const modifiers = rest.slice(0, 4).filter((modifier) => modifier !== '');
  if (modifiers.length > 0) result.modifiers = modifiers;
  return result;
}

function productSystem(qualifier: string, code: string): string {
  if (qualifier === 'HC') return code.charCodeAt(0) >= 48 && code.charCodeAt(0) <= 57 ? 'CPT' : 'HCPCS';
  return PRODUCT_SYSTEMS[qualifier] ?? `X12-235-${qualifier}`;
}

/**
 * `$adjustments(CAS)`: every reason of the CAS segments as canonical adjustments: CAS01 group as
 * written (the mapping decides which groups it takes), CARC reason, exact amount, quantity.
 */
export function adjustments(segments: unknown): Adjustment[] | undefined {
  const found: Adjustment[] = [];
  for (const cas of segmentsOf(segments))
    for (const [reasonKey, amountKey, quantityKey] of CAS_TRIPLETS) {
      const reason = cas[reasonKey];
      if (!reason) continue;
      const adjustment = { group: cas.CAS01 as AdjustmentGroup, reason: { system: 'CARC', code: reason }, amount: money(cas[amountKey])! } as Adjustment;
      if (cas[quantityKey]) adjustment.quantity = cas[quantityKey];
      found.push(adjustment);
    }
  return found.length > 0 ? found : undefined;
}

/**
 * `$providerAdjustments(PLB)`: every adjustment of the PLB segments: PLB03-1 reason (system X12-PLB),
 * PLB03-2 reference, exact amount (positive withholds from the payment), PLB02 fiscal period date.
 */
function providerAdjustments(segments: unknown, separator: string): ProviderAdjustment[] | undefined {
  const found: ProviderAdjustment[] = [];
  for (const plb of segmentsOf(segments)) {
    const fiscalPeriodDate = date(plb.PLB02);
    for (const [identifierKey, amountKey] of PLB_PAIRS) {
      const identifier = plb[identifierKey];
      if (!identifier) continue;
      const [reason, reference] = identifier.split(separator);
      const adjustment: ProviderAdjustment = { reason: { system: 'X12-PLB', code: reason }, amount: money(plb[amountKey])! };
      if (reference) adjustment.reference = reference;
      if (fiscalPeriodDate) adjustment.fiscalPeriodDate = fiscalPeriodDate;
      found.push(adjustment);
    }
  }
  return found.length > 0 ? found : undefined;
}

/**
 * `$servicePayments(`2110`)`: the service payments of one claim payment as canonical lines: SVC01
 * ($serviceCode), SVC04 revenue code beside a procedure, SVC02 charge, SVC03 paid, SVC05 units,
 * DTM 472 or 150/151 dates, CAS ($adjustments), REF*6R, AMT*B6 allowed, LQ remark codes (HE RARC,
 * RX NCPDP reject codes). Native: an 835 carries thousands of lines, and the same in JSONata costs
 * about 70 evaluation steps per line.
 */
function servicePayments(value: unknown, separator: string): ServiceLinePayment[] | undefined {
  const loops = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) as LoopJson[];
  if (loops.length === 0) return undefined;
  return loops.map((loop) => servicePayment(loop, separator));
}

function servicePayment(loop: LoopJson, separator: string): ServiceLinePayment {
  const svc = firstOf(loop, 'SVC') ?? {};
  const code = serviceCode(svc.SVC01, separator);
  const line = { charge: money(svc.SVC02), paid: money(svc.SVC03) } as ServiceLinePayment;
  const lineControlNumber = refOf(loop, ['6R']);
  if (lineControlNumber) line.lineControlNumber = lineControlNumber;
  if (code?.procedure) line.procedure = code.procedure;
  const revenueCode = code?.revenueCode ?? (svc.SVC04 ? { system: 'NUBC-REV', code: svc.SVC04 } : undefined);
  if (revenueCode) line.revenueCode = revenueCode;
  if (code?.modifiers) line.modifiers = code.modifiers;
  const allowed = (loop.AMT as SegmentJson[] | undefined)?.find((amt) => amt.AMT01 === 'B6')?.AMT02;
  if (allowed) line.allowed = money(allowed);
  // 005010X221A1: SVC05 is sent when the paid units are not one.
  line.units = svc.SVC05 ?? '1';
  const dates = loop.DTM;
  const serviceDate = dtmPeriod(dates, '472') ?? dtmPeriod(dates, '150', '151');
  if (serviceDate) line.serviceDate = serviceDate;
  const lineAdjustments = adjustments(loop.CAS);
  if (lineAdjustments) line.adjustments = lineAdjustments;
  const remarks = loop.LQ as SegmentJson[] | undefined;
  if (remarks) line.remarkCodes = remarks.map((lq) => ({ system: lq.LQ01 === 'HE' ? 'RARC' : 'NCPDP-REJECT', code: lq.LQ02 }));
  return line;
}
