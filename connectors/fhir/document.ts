// The parsed shape of one FHIR message: its root resource, the Claims to translate, and the
// reference index that resolves what those Claims point at.

import type { ReferenceIndex } from './references.js';

/** Any FHIR resource as parsed JSON: typed at the edges only, the mapping reads the rest. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

/** A FHIR Reference (literal `reference`, or logical `identifier`, with an optional `display`). */
export interface FhirReference {
  reference?: string;
  type?: string;
  identifier?: { system?: string; value?: string };
  display?: string;
}

export interface FhirClaimEntry {
  resource: FhirResource;
  /** Where the Claim sits in the message: `Claim` (bare) or `Bundle.entry[3].resource`. */
  path: string;
  fullUrl?: string;
}

export interface FhirDocument {
  /** Resource type of the root: `Claim` or `Bundle`. */
  resourceType: string;
  root: FhirResource;
  /** The Claims to translate, in message order (root Claim, or the Bundle's Claim entries). */
  claims: FhirClaimEntry[];
  /** Resolves urn:uuid / absolute / `Type/id` / conditional / `#contained` references. */
  references: ReferenceIndex;
}
