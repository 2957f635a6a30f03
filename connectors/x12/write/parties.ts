// The segments that name a party in an 837 or 278: NM1 (person or organization, with its id),
// N3/N4 address, DMG demographics, PRV taxonomy. Each value is checked where it comes from.
import type { Address, Payer, Person, PersonName, Provider } from '../../../canonical-model/types.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

/** NM108/NM109: the qualifier and the id, both absent when there is no id. */
export type NameId = [qualifier: string | undefined, id: string | undefined];

const NO_ID: NameId = [undefined, undefined];

/** NM1 of a person: NM103 last, NM104 first, NM105 middle (the other given names), NM107 suffix. */
export function personNm1(v: ValueWriter, entity: string, name: PersonName, path: string, loop: string, id: NameId = NO_ID): SegmentOut {
  return [
    'NM1',
    entity,
    '1',
    v.required(name.family, `${path}.family`, `NM103 last name (${loop})`, 60),
    v.text(name.given?.[0], `${path}.given[0]`, `NM104 first name (${loop})`, 35),
    v.text(name.given?.slice(1).join(' '), `${path}.given`, `NM105 middle name (${loop})`, 25),
    undefined,
    v.text(name.suffix, `${path}.suffix`, `NM107 name suffix (${loop})`, 10),
    ...(id[1] === undefined ? [] : id),
  ];
}

/** NM1 of an organization: NM103 its name. */
export function organizationNm1(v: ValueWriter, entity: string, name: string, path: string, loop: string, id: NameId = NO_ID): SegmentOut {
  return [
    'NM1',
    entity,
    '2',
    v.required(name, path, `NM103 organization name (${loop})`, 60),
    undefined,
    undefined,
    undefined,
    undefined,
    ...(id[1] === undefined ? [] : id),
  ];
}

export interface ProviderNameRules {
  /** Refuse a provider without an NPI (2010AA, 278 requester). */
  npiRequired?: boolean;
  /** The guide allows only this entity type in NM102 (2310A referring: persons). */
  only?: Provider['entityType'];
}

/** NM1 of a provider, NPI in NM109 (qualifier XX). */
export function providerNm1(
  v: ValueWriter,
  entity: string,
  provider: Provider,
  path: string,
  loop: string,
  rules: ProviderNameRules = {},
): SegmentOut {
  if (rules.only !== undefined && provider.entityType !== rules.only)
    v.refuse(`${path}.entityType`, 'entity-type', `NM102 (${loop}): this provider must be a ${rules.only}, not a ${provider.entityType}`);
  const npi =
    provider.npi === undefined
      ? rules.npiRequired
        ? v.refuse(`${path}.npi`, 'required', `NM109 (${loop}): the provider needs an NPI`)
        : undefined
      : v.digits(provider.npi, `${path}.npi`, `NM109 NPI (${loop})`, [10]);
  const id: NameId = npi === undefined ? NO_ID : ['XX', npi];
  return provider.entityType === 'person'
    ? personNm1(v, entity, provider.person ?? { family: provider.name }, provider.person ? `${path}.person` : path, loop, id)
    : organizationNm1(v, entity, provider.name, `${path}.name`, loop, id);
}

/** NM1 of a payer, identified by its payer id (NM108 PI). */
export function payerNm1(v: ValueWriter, entity: string, payer: Payer, path: string, loop: string): SegmentOut {
  return organizationNm1(v, entity, payer.name, `${path}.name`, loop, [
    'PI',
    v.required(payer.payerId, `${path}.payerId`, `NM109 payer identifier (${loop})`, 80, 2),
  ]);
}

export interface AddressRules {
  required?: boolean;
  /** 2010AA, 2310C/2310E: "the full nine digit ZIP code must be provided". */
  zipPlus4?: boolean;
  /** 2010AA: a street address; post office and lock boxes go in 2010AB. */
  street?: boolean;
}

/** N3 (two lines at most) and N4 (city, state, ZIP; country outside the US). */
export function addressSegments(
  v: ValueWriter,
  address: Address | undefined,
  path: string,
  loop: string,
  rules: AddressRules = {},
): SegmentOut[] {
  if (address === undefined) {
    if (rules.required) v.refuse(path, 'required', `N3/N4 (${loop}) need an address`);
    return [];
  }
  const lines = address.lines.filter((line) => line.trim() !== '');
  if (lines.length === 0) v.refuse(`${path}.lines`, 'required', `N301 (${loop}) needs an address line`);
  if (lines.length > 2) v.refuse(`${path}.lines`, 'address-lines', `N3 (${loop}) holds two address lines, the address has ${lines.length}`);
  if (rules.street && lines.some((line) => /\b(P\.?\s*O\.?\s*BOX|LOCK\s*BOX)\b/i.test(line)))
    v.refuse(`${path}.lines`, 'street-address', `N301 (${loop}) must be a street address, not a post office or lock box`);
  const country = address.country?.toUpperCase();
  const foreign = country !== undefined && country !== 'US' && country !== 'USA';
  const zip =
    address.postalCode === undefined
      ? foreign
        ? undefined
        : v.refuse(`${path}.postalCode`, 'required', `N403 (${loop}): a US address needs its ZIP code`)
      : foreign
        ? v.text(address.postalCode, `${path}.postalCode`, `N403 postal code (${loop})`, 15, 3)
        : v.digits(address.postalCode, `${path}.postalCode`, `N403 ZIP code (${loop})`, rules.zipPlus4 ? [9] : [5, 9]);
  const state =
    address.state === undefined
      ? foreign
        ? undefined
        : v.refuse(`${path}.state`, 'required', `N402 (${loop}): a US address needs its state`)
      : foreign
        ? v.text(address.state, `${path}.state`, `N402 state (${loop})`, 2, 2)
        : v.code(address.state.toUpperCase(), `${path}.state`, `N402 state (${loop})`, US_STATES);
  return [
    ['N3', ...lines.slice(0, 2).map((line, i) => v.text(line, `${path}.lines[${i}]`, `N30${i + 1} address (${loop})`, 55))],
    [
      'N4',
      v.required(address.city, `${path}.city`, `N401 city (${loop})`, 30, 2),
      state,
      zip,
      foreign ? v.text(country, `${path}.country`, `N404 country (${loop})`, 3, 2) : undefined,
    ],
  ];
}

/** DMG: birth date (D8) and gender (F, M, U). */
export function demographics(v: ValueWriter, person: Person, path: string, loop: string): SegmentOut {
  const gender = person.gender === 'female' ? 'F' : person.gender === 'male' ? 'M' : 'U';
  const birthDate =
    person.birthDate === undefined
      ? v.refuse(`${path}.birthDate`, 'required', `DMG02 (${loop}): the birth date is required`)
      : v.date(person.birthDate, `${path}.birthDate`, `DMG02 birth date (${loop})`);
  return ['DMG', 'D8', birthDate, gender];
}

/** PRV with a taxonomy code (qualifier PXC), when the provider has one. */
export function specialty(v: ValueWriter, role: string, taxonomy: string | undefined, path: string, loop: string): SegmentOut[] {
  const code = v.text(taxonomy, path, `PRV03 taxonomy (${loop})`, 10, 10);
  return code === undefined ? [] : [['PRV', role, 'PXC', code]];
}

/** US states, DC, territories and military "states" (N402 for US addresses). */
const US_STATES = [
  ...['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME'],
  ...['MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI'],
  ...['SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'AS', 'GU', 'MP', 'PR', 'VI', 'FM', 'MH', 'PW'],
  ...['AA', 'AE', 'AP'],
] as const;
