// Resolves FHIR references inside one message: Bundle fullUrls (urn:uuid, absolute URLs),
// relative `Type/id`, conditional `Type?identifier=system|value` (Synthea transaction bundles),
// logical references by identifier, and `#id` contained resources of the resource being mapped.
// Built once per message in one pass over the entries; the identifier index is built on first use.

import type { FhirReference, FhirResource } from './document.js';

export interface BundleEntryLike {
  fullUrl?: unknown;
  resource?: unknown;
}

export class ReferenceIndex {
  private readonly byKey = new Map<string, FhirResource>();
  private readonly resources: FhirResource[] = [];
  private byIdentifier?: Map<string, FhirResource>;

  constructor(entries: readonly BundleEntryLike[] = []) {
    for (const entry of entries) {
      const resource = entry?.resource as FhirResource | undefined;
      if (!resource || typeof resource.resourceType !== 'string') continue;
      this.resources.push(resource);
      if (typeof entry.fullUrl === 'string') this.byKey.set(entry.fullUrl, resource);
      if (typeof resource.id === 'string') this.byKey.set(`${resource.resourceType}/${resource.id}`, resource);
    }
  }

  /**
   * The resource `reference` points at, or undefined. `container` is the resource whose
   * `contained` list answers `#id` references (the Claim being mapped).
   */
  resolve(reference: FhirReference | string | undefined, container?: FhirResource): FhirResource | undefined {
    if (reference === undefined || reference === null) return undefined;
    if (typeof reference === 'object') {
      if (typeof reference.reference === 'string') return this.resolveLiteral(reference.reference, container);
      const id = reference.identifier;
      return id?.value ? this.findByIdentifier(reference.type, id.system, id.value) : undefined;
    }
    return typeof reference === 'string' ? this.resolveLiteral(reference, container) : undefined;
  }

  private resolveLiteral(literal: string, container: FhirResource | undefined): FhirResource | undefined {
    if (literal.startsWith('#')) return resolveContained(literal.slice(1), container);
    const direct = this.byKey.get(literal);
    if (direct) return direct;
    const query = literal.indexOf('?');
    if (query > 0) return this.resolveConditional(literal.slice(0, query), literal.slice(query + 1));
    // absolute URL or versioned reference: FHIR resolves `…/Type/id[/_history/n]` by its tail
    const tail = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(literal);
    return tail ? this.byKey.get(`${tail[1]}/${tail[2]}`) : undefined;
  }

  /** `Type?identifier=system|value`: the only search form a claim bundle needs. */
  private resolveConditional(type: string, query: string): FhirResource | undefined {
    const params = new URLSearchParams(query);
    const token = params.get('identifier');
    if (!token) return undefined;
    const bar = token.indexOf('|');
    return bar < 0
      ? this.findByIdentifier(type, undefined, token)
      : this.findByIdentifier(type, token.slice(0, bar) || undefined, token.slice(bar + 1));
  }

  private findByIdentifier(type: string | undefined, system: string | undefined, value: string): FhirResource | undefined {
    const index = (this.byIdentifier ??= this.buildIdentifierIndex());
    return index.get(identifierKey(type ?? '*', system ?? '*', value));
  }

  private buildIdentifierIndex(): Map<string, FhirResource> {
    const index = new Map<string, FhirResource>();
    for (const resource of this.resources) {
      const identifiers = Array.isArray(resource.identifier) ? resource.identifier : [resource.identifier];
      for (const id of identifiers as { system?: string; value?: string }[]) {
        if (!id || typeof id.value !== 'string') continue;
        // every combination of known/unknown type and system, so a lookup is one get()
        for (const type of [resource.resourceType, '*']) {
          for (const system of [id.system ?? '*', '*']) {
            const key = identifierKey(type, system, id.value);
            if (!index.has(key)) index.set(key, resource);
          }
        }
      }
    }
    return index;
  }
}

function resolveContained(id: string, container: FhirResource | undefined): FhirResource | undefined {
  if (!container) return undefined;
  if (id === '') return container;
  const contained = container.contained;
  if (!Array.isArray(contained)) return undefined;
  return (contained as FhirResource[]).find((resource) => resource?.id === id);
}

function identifierKey(type: string, system: string, value: string): string {
  return `${type}|${system}|${value}`;
}
