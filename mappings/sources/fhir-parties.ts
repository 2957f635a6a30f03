// FHIR parties → canonical ones, behind $provider and $person: Practitioner, PractitionerRole,
// Organization or Location → Provider; Patient or RelatedPerson → Person. Native because they
// are FHIR idiom (US NPI / TIN identifier systems, NUCC taxonomy, role → practitioner) that every
// claim mapping repeats, and the same logic in JSONata was a fifth of a claim's mapping time.

import type { FhirReference, FhirResource } from '../../connectors/fhir/document.js';
import type { Crosswalk } from '../crosswalk.js';
import { address, identifier, identifiers, list, name, type Coding, type Refuse } from './fhir-datatypes.js';

export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** The IRS employer identification number (EIN/TIN). */
export const TAX_ID_SYSTEM = 'urn:oid:2.16.840.1.113883.4.4';
export const NUCC_TAXONOMY_SYSTEM = 'http://nucc.org/provider-taxonomy';

type Resolve = (reference: unknown, at?: unknown) => FhirResource | undefined;

/**
 * `$provider(reference, at)` → canonical Provider. A PractitionerRole stands for its practitioner
 * (with the role's NPI and specialty first), else its organization. A logical reference
 * (identifier + display, no resource) still names the provider. Refused at `at`: a reference
 * that is not in the message, a resource without a name, or one that is not a provider.
 */
export function provider(reference: unknown, at: unknown, resolve: Resolve, refuse: Refuse): Record<string, unknown> | undefined {
  if (reference === undefined || reference === null) return undefined;
  let resource = resolve(reference, at);
  let role: FhirResource | undefined;
  if (resource?.resourceType === 'PractitionerRole') {
    role = resource;
    resource = resolve(role.practitioner) ?? resolve(role.organization) ?? role;
  }
  const type = resource?.resourceType;
  if (type === 'Practitioner') {
    const person = name(resource?.name);
    if (!person) return refuse(at, 'provider-name-required', 'resolves to a Practitioner without a family name');
    return compact({
      entityType: 'person',
      name: person.family,
      person,
      npi: identifier(role, NPI_SYSTEM) ?? identifier(resource, NPI_SYSTEM),
      taxId: identifier(resource, TAX_ID_SYSTEM),
      taxonomy: taxonomy(role?.specialty) ?? taxonomy(list<{ code?: unknown }>(resource?.qualification).map((q) => q?.code)),
      address: address(resource?.address),
    });
  }
  if (type === 'Organization' || type === 'Location' || type === 'PractitionerRole') {
    if (typeof resource?.name !== 'string' || resource.name === '') {
      return refuse(at, 'provider-name-required', `resolves to a ${type} without a name`);
    }
    return compact({
      entityType: 'organization',
      name: resource.name,
      npi: identifier(resource, NPI_SYSTEM),
      taxId: identifier(resource, TAX_ID_SYSTEM) ?? identifier(resource, 'TAX'),
      address: address(resource.address),
    });
  }
  if (resource) return refuse(at, 'reference-type', `points at a ${type}, not a Practitioner, PractitionerRole, Organization or Location`);
  const logical = reference as FhirReference;
  if (typeof logical.reference === 'string') return undefined; // resolve() refused it already
  if (typeof logical.display === 'string' && logical.display !== '') {
    return compact({
      entityType: logical.type === 'Practitioner' || logical.type === 'PractitionerRole' ? 'person' : 'organization',
      name: logical.display,
      npi: logical.identifier?.system === NPI_SYSTEM ? logical.identifier.value : undefined,
    });
  }
  return refuse(at, 'unresolved-reference', `gives only an identifier (${logical.identifier?.value ?? 'none'}): no resource and no display name to bill with`);
}

/**
 * `$person(resource, at)` → canonical Person (name, birth date, gender, address, typed
 * identifiers). Refused at `at` when it is not a Patient or RelatedPerson, or has no family name.
 */
export function person(resource: unknown, at: unknown, identifierTypes: Crosswalk | undefined, refuse: Refuse): Record<string, unknown> | undefined {
  if (resource === undefined || resource === null) return undefined;
  const party = resource as FhirResource;
  if (party.resourceType !== 'Patient' && party.resourceType !== 'RelatedPerson') {
    return refuse(at, 'reference-type', `points at a ${party.resourceType}, not a Patient or RelatedPerson`);
  }
  const personName = name(party.name);
  if (!personName) return refuse(at, 'name-required', `resolves to a ${party.resourceType} without a family name`);
  return compact({
    name: personName,
    birthDate: party.birthDate,
    gender: party.gender,
    address: address(party.address),
    identifiers: identifiers(party.identifier, identifierTypes),
  });
}

function taxonomy(concepts: unknown): string | undefined {
  for (const concept of list<{ coding?: unknown }>(concepts)) {
    const coding = list<Coding>(concept?.coding).find((c) => c?.system === NUCC_TAXONOMY_SYSTEM && typeof c.code === 'string');
    if (coding) return coding.code;
  }
  return undefined;
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
