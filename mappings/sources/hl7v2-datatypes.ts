// HL7 v2 datatypes → canonical shapes: DT/DTM dates, CP/MO money, NM quantities, CWE/CNE codes,
// XPN names, XAD addresses, CX identifiers, XCN providers. Pure functions behind the hl7v2
// helpers; each reads a field as `[segment, 'FT1-11']` (and then refuses there what it cannot
// read) or a repetition object the mapping already holds (and then just answers undefined).

import type { Address, Code, Identifier, Money, PersonName, Provider } from '../../canonical-model/types.js';
import type { SegmentJson } from '../../connectors/hl7v2/message-json.js';
import type { Crosswalk } from '../crosswalk.js';
import { money } from '../money-functions.js';
import type { Refuse } from './fhir-datatypes.js';

export type { Refuse };

/** One repetition of a field in the JSON view: `{ C1: '100', C1_1: '100', C1_2: 'USD' }`. */
export type Rep = Record<string, string | null>;

/** The crosswalks the helpers read, by the names a mapping declares them under. */
export interface Hl7Tables {
  /** HL7 table 0396 coding system (CWE.3) → canonical system (`I10` → `ICD-10-CM`). */
  codingSystem?: Crosswalk;
  /** HL7 table 0203 identifier type (CX.5) → canonical identifier type (`MR` → `mrn`). */
  identifierType?: Crosswalk;
  /** HL7 table 0063 relationship (IN1-17) → canonical relationship (`SPO` → `spouse`). */
  relationship?: Crosswalk;
  /** `<facility>.<field>` → billing provider field (see $billingProvider). */
  billingProvider?: Crosswalk;
}

/** A field read from a segment: its repetitions and where to refuse it. */
export interface FieldRef {
  segment: SegmentJson;
  /** The designator as the mapping wrote it: `FT1-4` or `FT1-4.2`. */
  field: string;
  reps: Rep[];
  /** Component key (`C1`, `C2`…) the designator names; C1 without one. */
  component: string;
}

const DESIGNATOR = /^([A-Z][A-Z0-9]{2})-(\d{1,3})(?:\.(\d{1,2}))?$/;

/** `(segment, 'FT1-4.2')` → the field's repetitions; undefined when the arguments are not a segment and a designator. */
export function fieldOf(segment: unknown, field: unknown): FieldRef | undefined {
  const one = (Array.isArray(segment) ? segment[0] : segment) as SegmentJson | undefined;
  if (typeof field !== 'string' || one === null || typeof one !== 'object' || typeof one.position !== 'number') return undefined;
  const match = DESIGNATOR.exec(field);
  if (!match) return undefined;
  const reps = (one[`${match[1]}_${match[2]}`] ?? []) as Rep[];
  return { segment: one, field, reps, component: `C${match[3] ?? '1'}` };
}

/** A repetition's component as text; HL7 null ("") and empty count as absent. */
export function text(rep: Rep | undefined, key: string): string | undefined {
  const value = rep?.[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The first repetition when given a sequence (JSONata hands over one item or a one-item array). */
export function firstRep(value: unknown): Rep | undefined {
  const rep = Array.isArray(value) ? value[0] : value;
  return rep !== null && typeof rep === 'object' ? (rep as Rep) : undefined;
}

export function repsOf(value: unknown): Rep[] {
  if (Array.isArray(value)) return value.filter((rep): rep is Rep => rep !== null && typeof rep === 'object');
  return value !== null && typeof value === 'object' ? [value as Rep] : [];
}

// ---- dates ----------------------------------------------------------------------------------

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2}(?:\.\d{1,4})?)?([+-]\d{4})?$/;

interface DateParts {
  date?: string;
  time?: string;
  offset?: string;
  /** Why the value is no calendar date (when `date` is undefined). */
  problem?: string;
}

/** Reads DT/DTM text: YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]. */
function dateParts(value: string): DateParts {
  const match = DTM.exec(value);
  if (!match) return { problem: `"${value}" is not an HL7 date (YYYYMMDD[HHMM[SS]][+/-ZZZZ])` };
  const [, year, month, day, hour, minute, second, zone] = match;
  if (month === undefined || day === undefined) {
    return { problem: `"${value}" is only precise to the ${month === undefined ? 'year' : 'month'}: a date needs YYYYMMDD` };
  }
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(date)) return { problem: `"${value}" is not a calendar date` };
  if ((hour !== undefined && Number(hour) > 23) || (minute !== undefined && Number(minute) > 59) || (second !== undefined && Number(second) >= 60)) {
    return { problem: `"${value}" is not a time of day` };
  }
  const time = hour === undefined ? undefined : `${hour}:${minute ?? '00'}${second === undefined ? '' : `:${second}`}`;
  const offset = zone === undefined ? undefined : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return { date, time, offset };
}

/** `$date('20191122')` → `2019-11-22`; `$date(PID, 'PID-7')` reads the field and refuses an unreadable date there. */
export function date(value: unknown, field: unknown, refuse: Refuse): string | undefined {
  return readDate(value, field, refuse, (parts) => parts.date);
}

/** `$dateTime(EVN, 'EVN-2')`: the DTM as ISO 8601, as precise as sent (`2029-08-01T07:06:24+01:15`, `2019-11-22`). */
export function dateTime(value: unknown, field: unknown, refuse: Refuse): string | undefined {
  return readDate(value, field, refuse, ({ date: day, time, offset }) =>
    day === undefined ? undefined : time === undefined ? day : `${day}T${time}${offset ?? ''}`);
}

function readDate(value: unknown, field: unknown, refuse: Refuse, shape: (parts: DateParts) => string | undefined): string | undefined {
  const ref = fieldOf(value, field);
  const raw = ref ? text(ref.reps[0], ref.component) : typeof value === 'string' ? value.trim() : undefined;
  if (raw === undefined || raw === '') return undefined;
  const parts = dateParts(raw);
  if (parts.date === undefined && ref) refuse([ref.segment, ref.field], 'date', `${ref.field} ${parts.problem}`);
  return shape(parts);
}

// ---- amounts and quantities -----------------------------------------------------------------

const AMOUNT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * `$amount(FT1, 'FT1-11')`: a CP/MO amount (`100&USD`, `100.00`) as exact Money. Refused there: not
 * a number, more than two decimals, or a currency other than USD (canonical claims are in USD).
 */
export function amount(segment: unknown, field: unknown, refuse: Refuse): Money | undefined {
  const ref = fieldOf(segment, field);
  if (!ref) return money(typeof segment === 'string' && segment !== '' ? segment : undefined);
  const rep = ref.reps[0];
  const value = text(rep, ref.component);
  if (value === undefined) return undefined;
  const at = [ref.segment, ref.field];
  const currency = text(rep, `${ref.component}_2`);
  if (currency !== undefined && currency !== 'USD') return refuse(at, 'currency', `${ref.field} is in ${currency}: claimhub bills in USD`);
  if (!AMOUNT.test(value)) return refuse(at, 'amount', `${ref.field} amount "${value}" is not a number`);
  if (/\.\d{3,}$/.test(value) && !/\.\d{2}0+$/.test(value)) return refuse(at, 'amount', `${ref.field} amount ${value} has more than two decimals`);
  return money(value.replace(/^\+/, ''));
}

const QUANTITY = /^\+?(\d+(\.\d+)?)$/;

/** `$quantity(FT1, 'FT1-10')`: an NM count as a canonical quantity (`"2"`); refused there when negative or not a number. */
export function quantity(segment: unknown, field: unknown, refuse: Refuse): string | undefined {
  const ref = fieldOf(segment, field);
  const value = ref ? text(ref.reps[0], ref.component) : typeof segment === 'string' ? segment : undefined;
  if (value === undefined) return undefined;
  const match = QUANTITY.exec(value);
  if (match) return match[1];
  if (ref) refuse([ref.segment, ref.field], 'quantity', `${ref.field} quantity "${value}" is not a number of units${value.startsWith('-') ? ' (negative)' : ''}`);
  return undefined;
}

// ---- codes ----------------------------------------------------------------------------------

/** A coded value with the HL7 coding system it was sent with (CWE.3 / CWE.6 as written). */
export interface SentCode extends Code {
  /** The coding system as sent (`I10`), or undefined when the sender named none. */
  sentSystem?: string;
}

/**
 * The codes of a CWE/CNE repetition: the identifier triplet (C1–C3) and the alternate (C4–C6),
 * each with its canonical system (the `codingSystem` crosswalk, else the HL7 name as sent; ''
 * when none was sent).
 */
export function codesOf(rep: Rep | undefined, tables: Hl7Tables): SentCode[] {
  const codes: SentCode[] = [];
  for (const [codeKey, textKey, systemKey] of [['C1', 'C2', 'C3'], ['C4', 'C5', 'C6']]) {
    const code = text(rep, codeKey);
    if (code === undefined) continue;
    const sentSystem = text(rep, systemKey);
    const found: SentCode = { system: sentSystem === undefined ? '' : (tables.codingSystem?.get(sentSystem) ?? sentSystem), code };
    const display = text(rep, textKey);
    if (display !== undefined) found.display = display;
    if (sentSystem !== undefined) found.sentSystem = sentSystem;
    codes.push(found);
  }
  return codes;
}

/**
 * `$code(rep or [segment, 'DG1-3'], prefer?)`: a canonical Code: the triplet whose system is in
 * `prefer` (a name or a list), else the first; undefined when no system was sent.
 */
export function code(value: unknown, field: unknown, prefer: unknown, tables: Hl7Tables): Code | undefined {
  const ref = fieldOf(value, field);
  const codes = codesOf(ref ? ref.reps[0] : firstRep(value), tables);
  const wanted = ref ? prefer : field;
  const preferred = wanted === undefined ? [] : Array.isArray(wanted) ? wanted : [wanted];
  const chosen = codes.find((c) => preferred.includes(c.system)) ?? codes[0];
  if (chosen === undefined || chosen.system === '') return undefined;
  return chosen.display === undefined ? { system: chosen.system, code: chosen.code } : { system: chosen.system, code: chosen.code, display: chosen.display };
}

// ---- names, addresses, identifiers ------------------------------------------------------------

/**
 * `$name(PID.PID_5)`: XPN → PersonName from the first repetition with a family name (the standard
 * sends the primary, legal name first; later ones are aliases, display or maiden names).
 */
export function name(value: unknown): PersonName | undefined {
  const rep = repsOf(value).find((r) => text(r, 'C1') !== undefined);
  return rep === undefined ? undefined : personName(rep, 'C1', 'C2', 'C3', 'C4');
}

/** A name from a repetition's components: family (its first subcomponent: FN.1 surname), given names, suffix. */
export function personName(rep: Rep, familyKey: string, givenKey: string, middleKey: string, suffixKey: string): PersonName | undefined {
  const family = text(rep, familyKey);
  if (family === undefined) return undefined;
  const result: PersonName = { family };
  const given = [text(rep, givenKey), text(rep, middleKey)].filter((part): part is string => part !== undefined);
  if (given.length > 0) result.given = given;
  const suffix = text(rep, suffixKey);
  if (suffix !== undefined) result.suffix = suffix;
  return result;
}

/** XAD address types taken before the others (home, mailing, current), and those never taken (bad address, birth). */
const ADDRESS_PREFERENCE = ['H', 'M', 'C', 'P'];
const ADDRESS_UNUSABLE = new Set(['BA', 'BDL', 'BR']);

/** `$address(PID.PID_11)`: XAD → Address, home first, then mailing, current, permanent, then any usable one. */
export function address(value: unknown): Address | undefined {
  const reps = repsOf(value).filter((rep) => streetLine(rep) !== undefined && !ADDRESS_UNUSABLE.has(text(rep, 'C7') ?? ''));
  const rep = ADDRESS_PREFERENCE.map((type) => reps.find((r) => text(r, 'C7') === type)).find(Boolean) ?? reps[0];
  if (rep === undefined) return undefined;
  const lines = [streetLine(rep)!, text(rep, 'C2')].filter((line): line is string => line !== undefined);
  const result: Address = { lines };
  const parts: [keyof Omit<Address, 'lines'>, string][] = [['city', 'C3'], ['state', 'C4'], ['postalCode', 'C5'], ['country', 'C6']];
  for (const [key, component] of parts) {
    const part = text(rep, component);
    if (part !== undefined) result[key] = part;
  }
  return result;
}

/** XAD.1 (SAD): the street line, or its street address / street name / dwelling number subcomponents joined. */
function streetLine(rep: Rep): string | undefined {
  const [street, streetName, dwelling] = [text(rep, 'C1_1'), text(rep, 'C1_2'), text(rep, 'C1_3')];
  if (streetName === undefined && dwelling === undefined) return text(rep, 'C1');
  const parts = street !== undefined ? [street, streetName] : [dwelling, streetName];
  const line = parts.filter((part) => part !== undefined).join(' ');
  return line === '' ? undefined : line;
}

/**
 * `$identifiers(PID.PID_3)`: CX → Identifiers: CX.1 value, type from CX.5 through the
 * `identifierType` crosswalk (`other` when empty or unlisted), system the assigning authority
 * (CX.4 namespace id, else its universal id, else CX.6 assigning facility). Those typed MR come first.
 */
export function identifiers(value: unknown, tables: Hl7Tables): Identifier[] {
  const records: Identifier[] = [];
  const others: Identifier[] = [];
  for (const rep of repsOf(value)) {
    const id = text(rep, 'C1');
    if (id === undefined) continue;
    const typeCode = text(rep, 'C5');
    const identifier: Identifier = { type: (typeCode && tables.identifierType?.get(typeCode)) || 'other', value: id };
    const system = text(rep, 'C4') ?? text(rep, 'C4_2') ?? text(rep, 'C6') ?? text(rep, 'C6_2');
    if (system !== undefined) identifier.system = system;
    (typeCode === 'MR' ? records : others).push(identifier);
  }
  return [...records, ...others];
}

// ---- providers --------------------------------------------------------------------------------

/** The NPI's assigning authority OID (CMS NPPES). */
const NPI_OID = '2.16.840.1.113883.4.6';

/**
 * `$provider(rep or [segment, 'FT1-20'])`: XCN → a person Provider: XCN.2 family (FN.1), XCN.3/4
 * given names, XCN.5 suffix; XCN.1 is the NPI when XCN.13 says NPI or XCN.9 names the NPI
 * authority (NPI or its OID). From a field, an ID without a name and an NPI that is not ten
 * digits are refused there; an empty repetition is no provider.
 */
export function provider(value: unknown, field: unknown, refuse: Refuse): Provider | undefined {
  const ref = fieldOf(value, field);
  const rep = ref ? ref.reps[0] : firstRep(value);
  if (rep === undefined) return undefined;
  const id = text(rep, 'C1');
  const person = personName(rep, 'C2', 'C3', 'C4', 'C5');
  const at = ref ? [ref.segment, ref.field] : undefined;
  if (person === undefined) {
    if (id !== undefined && at) refuse(at, 'provider-name', `${ref!.field} gives the ID ${id} but no family name (XCN.2)`);
    return undefined;
  }
  const result: Provider = { entityType: 'person', name: person.family, person };
  const isNpi = text(rep, 'C13') === 'NPI' || text(rep, 'C9') === 'NPI' || text(rep, 'C9_2') === NPI_OID;
  if (isNpi && id !== undefined) {
    if (/^\d{10}$/.test(id)) result.npi = id;
    else if (at) refuse(at, 'npi', `${ref!.field} NPI "${id}" is not ten digits`);
  }
  return result;
}
