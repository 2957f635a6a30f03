// FHIR JSON text → FhirDocument: the root resource, the Claims to translate and a reference
// index. Refuses, with a place, what cannot be translated: broken JSON, no resourceType, STU3,
// resource types other than Claim, response bundles and Bundles without a Claim.

import { bundleWithoutClaim, notAResource, unsupportedResourceType } from './errors.js';
import { parseJsonText } from './json-text.js';
import { ReferenceIndex, type BundleEntryLike } from './references.js';
import { checkContentTypeVersion, rejectStu3Claim } from './version.js';
import type { FhirClaimEntry, FhirDocument, FhirResource } from './document.js';

export function parseFhir(raw: string, contentType?: string): FhirDocument {
  checkContentTypeVersion(contentType);
  const root = asResource(parseJsonText(raw));
  if (root.resourceType === 'Claim') {
    rejectStu3Claim(root, 'Claim');
    return { resourceType: 'Claim', root, claims: [{ resource: root, path: 'Claim' }], references: new ReferenceIndex() };
  }
  if (root.resourceType === 'Bundle') return parseBundle(root);
  throw unsupportedResourceType(root.resourceType);
}

function asResource(value: unknown): FhirResource {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw notAResource('a FHIR message must be a JSON object with a resourceType');
  }
  const resourceType = (value as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string' || resourceType === '') {
    throw notAResource('the JSON object has no resourceType: it is not a FHIR resource');
  }
  return value as FhirResource;
}

function parseBundle(bundle: FhirResource): FhirDocument {
  const entries = (Array.isArray(bundle.entry) ? bundle.entry : []) as BundleEntryLike[];
  const first = entries[0]?.resource as FhirResource | undefined;
  // Da Vinci PAS (and ClaimResponse bundles generally) lead with the response; the Claim after
  // it is the echoed request, not a new submission.
  if (first?.resourceType === 'ClaimResponse') {
    const why = ` (this Bundle is a response: its first entry is ClaimResponse/${first.id ?? '?'})`;
    throw unsupportedResourceType('ClaimResponse', 'Bundle.entry[0].resource', why);
  }
  const found: FhirClaimEntry[] = [];
  entries.forEach((entry, index) => {
    const resource = entry?.resource as FhirResource | undefined;
    if (resource?.resourceType !== 'Claim') return;
    const path = `Bundle.entry[${index}].resource`;
    rejectStu3Claim(resource, path);
    found.push({ resource, path, fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined });
  });
  if (found.length === 0) throw bundleWithoutClaim(heldTypes(entries));
  const references = new ReferenceIndex(entries);
  return { resourceType: 'Bundle', root: bundle, claims: withoutRelatedPriors(found, references), references };
}

/**
 * Drops Claims that another Claim in the Bundle names in `related.claim`: a PAS update carries the
 * prior request beside it for context, and translating that prior again would duplicate it.
 */
function withoutRelatedPriors(claims: FhirClaimEntry[], references: ReferenceIndex): FhirClaimEntry[] {
  if (claims.length < 2) return claims;
  const related = new Set<FhirResource>();
  for (const { resource } of claims) {
    for (const link of (Array.isArray(resource.related) ? resource.related : []) as { claim?: unknown }[]) {
      const target = references.resolve(link?.claim as never);
      if (target && target !== resource) related.add(target);
    }
  }
  return related.size === 0 ? claims : claims.filter((claim) => !related.has(claim.resource));
}

/** `Patient, Coverage, Organization ×2`: what a Bundle without a Claim holds, in entry order. */
function heldTypes(entries: BundleEntryLike[]): string[] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const type = (entry?.resource as FhirResource | undefined)?.resourceType;
    if (typeof type === 'string') counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => (count > 1 ? `${type} ×${count}` : type));
}
