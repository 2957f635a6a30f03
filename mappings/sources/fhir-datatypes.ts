// FHIR datatypes → canonical shapes: Identifier, CodeableConcept, HumanName, Address. Pure
// functions behind the $identifier / $code / $name / $address helpers of fhir-r4 mappings.

import type { Crosswalk } from '../crosswalk.js';

/** Records a refusal at `at` (a path, an input element, or [element, 'field']). */
export type Refuse = (at: unknown, rule: string, message: string) => undefined;

const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface Identifier {
  system?: string;
  value?: string;
  type?: { coding?: Coding[] };
}

interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  suffix?: string[];
}

interface FhirAddress {
  use?: string;
  line?: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/**
 * `$identifier(resource, key)`: the value of the resource's first identifier whose system is
 * `key` or whose type has the code `key` (`MR`, `MB`, `NPI`…); undefined when none.
 */
export function identifier(resource: unknown, key: unknown): string | undefined {
  if (resource === null || typeof resource !== 'object' || typeof key !== 'string') return undefined;
  for (const id of list<Identifier>((resource as { identifier?: unknown }).identifier)) {
    if (typeof id?.value !== 'string') continue;
    if (id.system === key || id.type?.coding?.some((coding) => coding?.code === key)) return id.value;
  }
  return undefined;
}

/**
 * `$code(codeableConcept, prefer?, at?)` → `{ system, code, display }`: the first coding whose
 * canonical system is in `prefer` (a name or a list, in order), else the first coding with a
 * code; codings from data-absent-reason say "no value" and are skipped. The system goes through
 * the mapping's `codeSystem` crosswalk (unlisted URIs are kept). With `at` (where to refuse, or
 * `true` for the CodeableConcept itself), the code must be usable on a claim: a coding without a
 * system is refused (code-system-required), and so is one outside `prefer` when given (code-system).
 */
export function code(concept: unknown, prefer: unknown, at: unknown, systems: Crosswalk | undefined, refuse: Refuse): Record<string, string> | undefined {
  const codings = list<{ coding?: unknown }>(concept).flatMap((cc) => list<Coding>(cc?.coding))
    .filter((coding) => typeof coding?.code === 'string' && coding.code !== '' && coding.system !== DATA_ABSENT);
  if (codings.length === 0) return undefined;
  const canonical = (system: string | undefined) => (system === undefined ? undefined : systems?.get(system) ?? system);
  let chosen = codings[0];
  for (const preferred of list<string>(prefer)) {
    const match = codings.find((coding) => canonical(coding.system) === preferred);
    if (match) {
      chosen = match;
      break;
    }
  }
  const system = canonical(chosen.system);
  const strict = at !== undefined && at !== null && at !== false;
  const where = at === true ? concept : at;
  if (strict && !system) {
    return refuse(where, 'code-system-required', `code ${chosen.code} has no system: canonical codes always carry their code system`);
  }
  const wanted = list<string>(prefer);
  if (strict && wanted.length > 0 && !wanted.includes(system as string)) {
    return refuse(where, 'code-system', `code ${chosen.code} is coded in ${system}; a claim needs ${wanted.join(' or ')}`);
  }
  const result: Record<string, string> = {};
  if (system) result.system = system;
  result.code = chosen.code as string;
  if (typeof chosen.display === 'string') result.display = chosen.display;
  return result;
}

/** `$name(names)` → canonical PersonName: the official name, else the usual, else the first; undefined without a family name. */
export function name(names: unknown): Record<string, unknown> | undefined {
  const all = list<HumanName>(names).filter((n) => n && typeof n === 'object');
  const chosen = all.find((n) => n.use === 'official') ?? all.find((n) => n.use === 'usual') ?? all[0];
  if (typeof chosen?.family !== 'string' || chosen.family === '') return undefined;
  const result: Record<string, unknown> = { family: chosen.family };
  if (Array.isArray(chosen.given) && chosen.given.length > 0) result.given = chosen.given.filter((g) => typeof g === 'string');
  if (Array.isArray(chosen.suffix) && typeof chosen.suffix[0] === 'string') result.suffix = chosen.suffix[0];
  return result;
}

/** `$address(addresses)` → canonical Address: home, else work, else the first that is not `old`. */
export function address(addresses: unknown): Record<string, unknown> | undefined {
  const all = list<FhirAddress>(addresses).filter((a) => a && typeof a === 'object' && a.use !== 'old');
  const chosen = all.find((a) => a.use === 'home') ?? all.find((a) => a.use === 'work') ?? all[0];
  if (!chosen) return undefined;
  const result: Record<string, unknown> = { lines: Array.isArray(chosen.line) ? chosen.line.filter((l) => typeof l === 'string') : [] };
  for (const key of ['city', 'state', 'postalCode', 'country'] as const) {
    if (typeof chosen[key] === 'string') result[key] = chosen[key];
  }
  return result;
}

/**
 * Canonical identifiers: the type from the identifier's v2-0203 type code, else its system,
 * through the mapping's `identifierType` crosswalk; `other` when neither is listed.
 */
export function identifiers(ids: unknown, types: Crosswalk | undefined): Record<string, string>[] | undefined {
  const result: Record<string, string>[] = [];
  for (const id of list<Identifier>(ids)) {
    if (typeof id?.value !== 'string' || id.value === '') continue;
    const typeCode = id.type?.coding?.[0]?.code;
    const type = (typeCode && types?.get(typeCode)) || (id.system && types?.get(id.system)) || 'other';
    const canonical: Record<string, string> = { type, value: id.value };
    if (typeof id.system === 'string') canonical.system = id.system;
    result.push(canonical);
  }
  return result.length > 0 ? result : undefined;
}

export function list<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}
