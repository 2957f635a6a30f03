// The helpers every fhir-r4 mapping gets: $resolve, $identifier, $code, $name, $address,
// $provider, $person (see mappings/README.md). The ones that resolve references or refuse are
// bound per evaluation, to the claim being mapped and to that evaluation's $refuse.

import type { FhirReference, FhirResource } from '../../connectors/fhir/document.js';
import type { ReferenceIndex } from '../../connectors/fhir/references.js';
import type { Crosswalk } from '../crosswalk.js';
import { address, code, identifier, name, type Refuse } from './fhir-datatypes.js';
import { person, provider } from './fhir-parties.js';

export type { Refuse } from './fhir-datatypes.js';

/** Names these helpers take in every fhir-r4 mapping. */
export const FHIR_FUNCTIONS = ['resolve', 'identifier', 'code', 'name', 'address', 'provider', 'person'] as const;

/** The crosswalk a FHIR mapping may declare to turn coding.system URIs into canonical names. */
export const CODE_SYSTEM_CROSSWALK = 'codeSystem';
/** The crosswalk a FHIR mapping may declare to type identifiers (v2-0203 code or system → type). */
export const IDENTIFIER_TYPE_CROSSWALK = 'identifierType';

/** What the helpers of one claim's evaluation resolve against. */
export interface FhirUnitContext {
  references: ReferenceIndex;
  claim: FhirResource;
}

export function fhirFunctions(crosswalks: ReadonlyMap<string, Crosswalk>) {
  const systems = crosswalks.get(CODE_SYSTEM_CROSSWALK);
  const identifierTypes = crosswalks.get(IDENTIFIER_TYPE_CROSSWALK);
  return {
    shared: { identifier, name, address },
    perEvaluation(context: FhirUnitContext, refuse: Refuse) {
      const resolve = (reference: unknown, at?: unknown): FhirResource | undefined =>
        resolveReference(context, reference, at, refuse) as FhirResource | undefined;
      return {
        resolve,
        code: (concept: unknown, prefer: unknown, at: unknown) => code(concept, prefer, at, systems, refuse),
        provider: (reference: unknown, at: unknown) => provider(reference, at, resolve, refuse),
        person: (resource: unknown, at: unknown) => person(resource, at, identifierTypes, refuse),
      };
    },
  };
}

/**
 * `$resolve(reference, at?)`: the resource a Reference (or reference string) points at, or
 * undefined; an array gives an array. With `at`, a literal reference that is not in the message
 * is refused there (unresolved-reference); a logical one (identifier/display only) is not.
 */
function resolveReference(context: FhirUnitContext, reference: unknown, at: unknown, refuse: Refuse): unknown {
  if (Array.isArray(reference)) return reference.map((item) => resolveReference(context, item, at, refuse));
  const found = context.references.resolve(reference as FhirReference | string | undefined, context.claim);
  if (found || at === undefined || at === null) return found;
  const literal = typeof reference === 'string' ? reference : (reference as FhirReference | undefined)?.reference;
  if (typeof literal === 'string') {
    refuse(at, 'unresolved-reference', `references ${literal}, which is neither contained in the Claim nor an entry of the Bundle`);
  }
  return undefined;
}
