// Canonical values as HL7 v2.5.1 data types (components in the order chapter 2A gives them):
// names (XPN), addresses (XAD), identifiers (CX), providers (XCN), coded elements (CE), prices (CP)
// and dates (DT/DTM).
import type { Address, Code, Identifier, PersonName, Provider } from '../../../canonical-model/types.js';
import type { Component, Occurrence } from './er7.js';

/** HL7 table 0396 names of the code systems the canonical model uses; others are written as they are. */
const CODING_SYSTEMS: Record<string, string> = {
  'ICD-10-CM': 'I10',
  'ICD-10-PCS': 'I10P',
  'ICD-9-CM': 'I9C',
  CPT: 'C4',
  HCPCS: 'HCPCS',
  NDC: 'NDC',
};

/** HL7 table 0203 identifier type codes of the canonical identifier types. */
const IDENTIFIER_TYPES: Record<string, string> = {
  mrn: 'MR',
  'member-id': 'MB',
  ssn: 'SS',
  npi: 'NPI',
  'tax-id': 'TAX',
};

/** The NPI registry as an assigning authority (HD with an ISO OID). */
const NPI_AUTHORITY: Component = ['', '2.16.840.1.113883.4.6', 'ISO'];

/** CE: identifier ^ text ^ name of coding system. */
export function codedElement(code: Code | undefined): Occurrence {
  if (code === undefined) return undefined;
  return [code.code, code.display, CODING_SYSTEMS[code.system] ?? code.system];
}

/** An assigning authority (HD) from an identifier system: `urn:oid:…` as an ISO OID, anything else as a namespace. */
export function assigningAuthority(system: string | undefined): Component {
  if (system === undefined) return undefined;
  const oid = /^urn:oid:([0-9.]+)$/.exec(system)?.[1];
  return oid === undefined ? [system] : ['', oid, 'ISO'];
}

/** CX: id ^ check digit ^ check digit scheme ^ assigning authority ^ identifier type code. */
export function extendedId(identifier: Identifier): Occurrence {
  return [identifier.value, '', '', assigningAuthority(identifier.system), IDENTIFIER_TYPES[identifier.type]];
}

/** XPN: family ^ given ^ further given names ^ suffix, name type L (legal). */
export function personName(name: PersonName): Occurrence {
  const [given, ...further] = name.given ?? [];
  return [name.family, given, further.join(' ') || undefined, name.suffix, '', '', 'L'];
}

/** XAD: street ^ other designator ^ city ^ state ^ postal code ^ country. Lines after the second join the second. */
export function address(value: Address | undefined): Occurrence {
  if (value === undefined) return undefined;
  const [street, ...other] = value.lines;
  return [street, other.join(', ') || undefined, value.city, value.state, value.postalCode, value.country];
}

/**
 * XCN: NPI ^ family ^ given ^ further given ^ suffix … ^ assigning authority (9) ^ name type (10) …
 * identifier type (13). An organization's name goes where a person's family name would.
 */
export function providerName(provider: Provider | undefined): Occurrence {
  if (provider === undefined) return undefined;
  const name = provider.person ?? { family: provider.name };
  const [given, ...further] = name.given ?? [];
  const npi = provider.npi !== undefined;
  return [
    provider.npi,
    name.family,
    given,
    further.join(' ') || undefined,
    name.suffix,
    '',
    '',
    '',
    npi ? NPI_AUTHORITY : undefined,
    'L',
    '',
    '',
    npi ? 'NPI' : undefined,
  ];
}

/** CP: price as MO (amount & currency). */
export function price(amount: string | undefined, currency: string): Occurrence {
  return amount === undefined ? undefined : [[amount, currency]];
}

/** DT from an ISO date: 2026-10-14 → 20261014. */
export function hl7Date(date: string | undefined): string | undefined {
  return date?.replaceAll('-', '');
}

/** DTM of a date and an HHMM hour (837I DTP times), or the date alone. */
export function hl7DateHour(date: string | undefined, hour: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  return hl7Date(date) + (hour ?? '');
}

/** DTM of an instant, in UTC with its offset written out: 20261015140205+0000. */
export function hl7Instant(instant: Date): string {
  return instant.toISOString().slice(0, 19).replace(/[-:T]/g, '') + '+0000';
}

/** HL7 table 0001 administrative sex. */
export function administrativeSex(gender: string | undefined): string | undefined {
  switch (gender) {
    case 'male':
      return 'M';
    case 'female':
      return 'F';
    case 'other':
      return 'O';
    case 'unknown':
      return 'U';
  }
  return undefined;
}
