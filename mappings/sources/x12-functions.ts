// The helpers every x12 mapping gets (see mappings/README.md): composites in the interchange's own
// separator, dates, and the parties of NM1 loops (name, N3/N4 address, DMG, REF ids, PRV taxonomy)
// as canonical shapes. Native because the same logic in JSONata costs tens of evaluation steps per
// call, and every claim calls them a dozen times.

import type { Address, Identifier, Payer, Person, PersonName, Provider } from '../../canonical-model/types.js';
import type { LoopJson, SegmentJson } from '../../connectors/x12/structure/claim-json.js';
import type { X12UnitContext } from './x12.js';

/** Names these helpers take in every x12 mapping. */
export const X12_FUNCTIONS = ['components', 'composites', 'date', 'period', 'name', 'address', 'person', 'provider', 'payer'] as const;

/** NM108 identification code qualifier → canonical identifier type. */
const NM1_ID_TYPES: Readonly<Record<string, string>> = {
  XX: 'npi',
  MI: 'member-id',
  II: 'member-id', // standard unique health identifier, used as the member id
  PI: 'payer-id',
  XV: 'payer-id', // CMS National Plan ID
  '24': 'tax-id',
  '34': 'ssn',
  FI: 'tax-id',
};

const GENDERS: Readonly<Record<string, Person['gender']>> = { F: 'female', M: 'male', U: 'unknown' };

export function x12Functions() {
  return {
    shared: { date, period, name, address, person, provider, payer },
    perEvaluation(context: X12UnitContext) {
      const separator = context.delimiters.component;
      return {
        components: (value: unknown) => (typeof value === 'string' && value !== '' ? value.split(separator) : undefined),
        composites: (segments: unknown) => composites(segments, separator),
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
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as SegmentJson[];
  const found: Composite[] = [];
  for (const segment of list)
    for (const [designator, text] of Object.entries(segment)) found.push({ designator, parts: text.split(separator), segment });
  return found;
}

/** JSONata hands a one-item sequence over as that item or as a one-item array: take the item. */
function one<T>(value: unknown): T | undefined {
  return (Array.isArray(value) ? value[0] : value) as T | undefined;
}

function firstOf(loop: LoopJson | undefined, id: string): SegmentJson | undefined {
  return (loop?.[id] as SegmentJson[] | undefined)?.[0];
}

/** `$date('20240131')` → `2024-01-31`; undefined unless eight digits of a real calendar date. */
export function date(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 8 || !/^\d{8}$/.test(value)) return undefined;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

/** `$period(DTP)`: D8 → { start }, RD8 `20240101-20240105` → { start, end }; undefined otherwise. Reads DTP02/DTP03 (or DTM05/06). */
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

/** `$person(loop)`: NM1 person with N3/N4, DMG birth date and gender, NM109 (typed by NM108) and REF*SY. */
export function person(loopValue: unknown): Person | undefined {
  const loop = one<LoopJson>(loopValue);
  const nm1 = firstOf(loop, 'NM1');
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
  const ssn = (loop?.REF as SegmentJson[] | undefined)?.find((ref) => ref.REF01 === 'SY')?.REF02;
  if (ssn) identifiers.push({ type: 'ssn', value: ssn });
  if (identifiers.length > 0) result.identifiers = identifiers;
  return result;
}

/** `$provider(loop, PRV?)`: NM1 person or organization, NPI (NM108 XX), tax id (REF EI/SY), taxonomy (PRV03), N3/N4. */
export function provider(loopValue: unknown, prvValue?: unknown): Provider | undefined {
  const loop = one<LoopJson>(loopValue);
  const nm1 = firstOf(loop, 'NM1');
  if (!nm1?.NM103) return undefined;
  const isPerson = nm1.NM102 === '1';
  const result: Provider = { entityType: isPerson ? 'person' : 'organization', name: nm1.NM103 };
  if (isPerson) result.person = name(nm1);
  if (nm1.NM108 === 'XX' && nm1.NM109) result.npi = nm1.NM109;
  const tax = (loop?.REF as SegmentJson[] | undefined)?.find((ref) => ref.REF01 === 'EI' || ref.REF01 === 'SY')?.REF02;
  if (tax) result.taxId = tax;
  const taxonomy = (one<SegmentJson>(prvValue) ?? firstOf(loop, 'PRV'))?.PRV03;
  if (taxonomy) result.taxonomy = taxonomy;
  const place = address(loop);
  if (place) result.address = place;
  return result;
}

/** `$payer(loop)`: NM1 name and payer id (NM109), N3/N4. */
export function payer(loopValue: unknown): Payer | undefined {
  const loop = one<LoopJson>(loopValue);
  const nm1 = firstOf(loop, 'NM1');
  if (!nm1?.NM103) return undefined;
  const result: Payer = { name: nm1.NM103 };
  if (nm1.NM109) result.payerId = nm1.NM109;
  const place = address(loop);
  if (place) result.address = place;
  return result;
}
