// FHIR R4 front end of the mapping engine: a parsed FhirDocument → one unit per Claim, whose input
// is the Claim resource itself, with $bundle and $modifierExtensions (FHIR: a modifier extension
// the receiver does not understand must stop it); its helpers resolve against the unit's context.

import { parseFhir } from '../../connectors/fhir/parse.js';
import type { FhirClaimEntry, FhirDocument, FhirResource } from '../../connectors/fhir/document.js';
import type { FhirUnitContext } from './fhir-functions.js';
import type { MappingUnit, SourceMessage } from './source.js';

/** Per-claim variables of every fhir-r4 mapping. */
export const FHIR_UNIT_BINDINGS = ['bundle', 'modifierExtensions'] as const;

export function readFhirMessage(raw: string, contentType?: string): SourceMessage {
  const document = parseFhir(raw, contentType);
  const messageNumbers = bundleNumbers(document);
  const claimIds = document.claims.map((claim) => claim.resource.id).filter((id): id is string => typeof id === 'string');
  const controlNumbers = { ...messageNumbers };
  if (claimIds.length === 1) controlNumbers.claimId = claimIds[0];
  else if (claimIds.length > 1) controlNumbers.claimIds = claimIds.join(',');
  return {
    format: 'fhir-r4',
    messageType: document.resourceType,
    controlNumbers,
    units: document.claims.map((entry) => claimUnit(document, entry, messageNumbers)),
  };
}

function claimUnit(document: FhirDocument, entry: FhirClaimEntry, messageNumbers: Record<string, string>): MappingUnit {
  const claim = entry.resource;
  const controlNumbers = { ...messageNumbers };
  if (typeof claim.id === 'string') controlNumbers.claimId = claim.id;
  const context: FhirUnitContext = { references: document.references, claim };
  return {
    input: claim,
    path: entry.path,
    root: 'Claim',
    label: `Claim ${firstIdentifierValue(claim) ?? claim.id ?? entry.path}`,
    controlNumbers,
    bindings: {
      bundle: document.resourceType === 'Bundle' ? document.root : undefined,
      modifierExtensions: modifierExtensions(claim, 'Claim'),
    },
    context,
  };
}

interface IdentifierLike {
  value?: string;
}

interface ModifierExtensionAt {
  /** `Claim.item[1].modifierExtension[0]` */
  path: string;
  /** The element it modifies: `Claim.item[1]`. */
  owner: string;
  url: string;
}

/** Every modifierExtension in the resource, at any depth (contained resources included), with its path. */
function modifierExtensions(node: unknown, path: string, found: ModifierExtensionAt[] = []): ModifierExtensionAt[] {
  if (Array.isArray(node)) {
    node.forEach((child, index) => modifierExtensions(child, `${path}[${index}]`, found));
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (child === null || typeof child !== 'object') continue;
      if (key === 'modifierExtension' && Array.isArray(child)) {
        child.forEach((extension: { url?: unknown }, index) =>
          found.push({ path: `${path}.modifierExtension[${index}]`, owner: path, url: String(extension?.url) }));
      } else {
        modifierExtensions(child, `${path}.${key}`, found);
      }
    }
  }
  return found;
}

function bundleNumbers(document: FhirDocument): Record<string, string> {
  if (document.resourceType !== 'Bundle') return {};
  const numbers: Record<string, string> = {};
  if (typeof document.root.id === 'string') numbers.bundleId = document.root.id;
  const value = (document.root.identifier as IdentifierLike | undefined)?.value;
  if (typeof value === 'string') numbers.bundleIdentifier = value;
  return numbers;
}

function firstIdentifierValue(resource: FhirResource): string | undefined {
  const list = resource.identifier;
  const first = (Array.isArray(list) ? list[0] : undefined) as IdentifierLike | undefined;
  return typeof first?.value === 'string' ? first.value : undefined;
}
