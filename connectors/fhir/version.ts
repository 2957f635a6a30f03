// Recognises FHIR releases other than R4 before anything is mapped: an STU3 Claim is valid JSON
// with familiar names, and mapping it as R4 would silently drop its provider, services and info.

import { stu3NotSupported } from './errors.js';
import { UnsupportedMessageError } from '../../canonical-model/errors.js';
import type { FhirResource } from './document.js';

/** Rejects a Content-Type whose `fhirVersion` parameter names a release other than R4 (4.0.x). */
export function checkContentTypeVersion(contentType: string | undefined): void {
  const version = contentType && /;\s*fhirVersion\s*=\s*"?([0-9.]+)/i.exec(contentType)?.[1];
  if (!version || version.startsWith('4.0')) return;
  if (version.startsWith('3.0')) {
    throw stu3NotSupported('Content-Type', `the Content-Type says fhirVersion=${version}`);
  }
  const message = `FHIR ${version} is not supported (Content-Type fhirVersion=${version}); claimhub expects FHIR R4 (4.0.1)`;
  throw new UnsupportedMessageError(message, [{ path: 'Content-Type', rule: 'fhir-version', message }]);
}

/** STU3 Claim elements that R4 renamed: their presence proves the resource is not R4. */
const STU3_CLAIM_ELEMENTS: Record<string, string> = {
  organization: 'provider',
  information: 'supportingInfo',
  employmentImpacted: 'supportingInfo (category employmentimpacted)',
  hospitalization: 'supportingInfo (category hospitalized)',
};
const STU3_ITEM_ELEMENTS: Record<string, string> = {
  service: 'productOrService',
  careTeamLinkId: 'careTeamSequence',
  diagnosisLinkId: 'diagnosisSequence',
  procedureLinkId: 'procedureSequence',
  informationLinkId: 'informationSequence',
};
/** Claim.use codes of STU3 (R4 has claim | preauthorization | predetermination). */
const STU3_USES = new Set(['complete', 'proposed', 'exploratory', 'other']);

/** Throws UnsupportedMessageError naming the first STU3 tell in `claim`; `path` locates the claim. */
export function rejectStu3Claim(claim: FhirResource, path: string): void {
  for (const [element, r4] of Object.entries(STU3_CLAIM_ELEMENTS)) {
    if (element in claim) throw stu3NotSupported(`${path}.${element}`, `${path}.${element} is an STU3 element (R4: ${r4})`);
  }
  if (typeof claim.use === 'string' && STU3_USES.has(claim.use)) {
    throw stu3NotSupported(`${path}.use`, `${path}.use "${claim.use}" is an STU3 code (R4: claim, preauthorization, predetermination)`);
  }
  const items = Array.isArray(claim.item) ? (claim.item as Record<string, unknown>[]) : [];
  for (const [index, item] of items.entries()) {
    for (const [element, r4] of Object.entries(STU3_ITEM_ELEMENTS)) {
      if (item && element in item) {
        const at = `${path}.item[${index}].${element}`;
        throw stu3NotSupported(at, `${at} is an STU3 element (R4: item.${r4})`);
      }
    }
  }
}
