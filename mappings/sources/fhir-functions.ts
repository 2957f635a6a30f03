// FHIR datatype helpers for mappings: $identifier, $code, $name, $address. They turn FHIR's
// Identifier / CodeableConcept / HumanName / Address idioms into canonical shapes natively,
// because the same conversion written in JSONata costs ~20 µs per call and a claim needs dozens.

import type { Crosswalk } from '../crosswalk.js';

/** Names these helpers take in every fhir-r4 mapping (with $resolve and $bundle per claim). */
export const FHIR_FUNCTIONS = ['identifier', 'code', 'name', 'address'] as const;

/** The crosswalk a FHIR mapping may declare to turn coding.system URIs into canonical names. */
export const CODE_SYSTEM_CROSSWALK = 'codeSystem';

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

interface Identifier {
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

export function fhirFunctions(crosswalks: ReadonlyMap<string, Crosswalk>): Record<string, unknown> {
  const systems = crosswalks.get(CODE_SYSTEM_CROSSWALK);
  return { identifier, code: (concept: unknown, prefer: unknown) => code(concept, prefer, systems), name, address };
}

/**
 * `$identifier(resource, key)`: the value of the resource's first identifier whose system is
 * `key` or whose type has the code `key` (`MR`, `MB`, `NPI`…); undefined when none.
 */
function identifier(resource: unknown, key: unknown): string | undefined {
  if (resource === null || typeof resource !== 'object' || typeof key !== 'string') return undefined;
  for (const id of list<Identifier>((resource as { identifier?: unknown }).identifier)) {
    if (typeof id?.value !== 'string') continue;
    if (id.system === key || id.type?.coding?.some((coding) => coding?.code === key)) return id.value;
  }
  return undefined;
}

/**
 * `$code(codeableConcept, prefer?)` → `{ system, code, display }`: the first coding whose
 * canonical system is in `prefer` (a name or a list, in order), else the first coding with a
 * code. The system goes through the mapping's `codeSystem` crosswalk (unlisted URIs are kept);
 * a coding without a system comes back without one, for the mapping to refuse.
 */
function code(concept: unknown, prefer: unknown, systems: Crosswalk | undefined): Record<string, string> | undefined {
  const codings = list<{ coding?: unknown }>(concept).flatMap((cc) => list<Coding>(cc?.coding))
    .filter((coding) => typeof coding?.code === 'string' && coding.code !== '');
  if (codings.length === 0) return undefined;
  const canonical = (system: string | undefined) => (system === undefined ? undefined : systems?.get(system) ?? system);
  let chosen = codings[0];
  for (const wanted of list<string>(prefer)) {
    const match = codings.find((coding) => canonical(coding.system) === wanted);
    if (match) {
      chosen = match;
      break;
    }
  }
  const result: Record<string, string> = {};
  const system = canonical(chosen.system);
  if (system) result.system = system;
  result.code = chosen.code as string;
  if (typeof chosen.display === 'string') result.display = chosen.display;
  return result;
}

/** `$name(names)` → canonical PersonName: the official name, else the usual, else the first; undefined without a family name. */
function name(names: unknown): Record<string, unknown> | undefined {
  const all = list<HumanName>(names).filter((n) => n && typeof n === 'object');
  const chosen = all.find((n) => n.use === 'official') ?? all.find((n) => n.use === 'usual') ?? all[0];
  if (typeof chosen?.family !== 'string' || chosen.family === '') return undefined;
  const result: Record<string, unknown> = { family: chosen.family };
  if (Array.isArray(chosen.given) && chosen.given.length > 0) result.given = chosen.given.filter((g) => typeof g === 'string');
  if (Array.isArray(chosen.suffix) && typeof chosen.suffix[0] === 'string') result.suffix = chosen.suffix[0];
  return result;
}

/** `$address(addresses)` → canonical Address: home, else work, else the first that is not `old`. */
function address(addresses: unknown): Record<string, unknown> | undefined {
  const all = list<FhirAddress>(addresses).filter((a) => a && typeof a === 'object' && a.use !== 'old');
  const chosen = all.find((a) => a.use === 'home') ?? all.find((a) => a.use === 'work') ?? all[0];
  if (!chosen) return undefined;
  const result: Record<string, unknown> = { lines: Array.isArray(chosen.line) ? chosen.line.filter((l) => typeof l === 'string') : [] };
  for (const key of ['city', 'state', 'postalCode', 'country'] as const) {
    if (typeof chosen[key] === 'string') result[key] = chosen[key];
  }
  return result;
}

function list<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}
