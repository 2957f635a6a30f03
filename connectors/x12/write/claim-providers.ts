// The claim's provider loops (2310x) and the line's (2420x): each written only when the guide wants
// it, that is when the provider differs from the one a level up (rendering vs billing, facility vs
// the billing address).
import type { Address, Claim, Provider } from '../../../canonical-model/types.js';
import type { ClaimGuide } from './claim-levels.js';
import { addressSegments, organizationNm1, providerNm1, specialty } from './parties.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

const sameNpi = (a: Provider | undefined, b: Provider | undefined) => a?.npi !== undefined && a.npi === b?.npi;
const sameAddress = (a: Address | undefined, b: Address | undefined) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** 837P 2310A–D or 837I 2310A, B, D, E, F. */
export function claimProviders(v: ValueWriter, claim: Claim, guide: ClaimGuide): SegmentOut[] {
  const { billing, referring, rendering, supervising, attending, operating } = claim.providers;
  const path = (role: string) => `$.providers.${role}`;
  const person = (entity: string, provider: Provider | undefined, role: string, loop: string, prv?: string): SegmentOut[] =>
    provider === undefined
      ? []
      : [
          providerNm1(v, entity, provider, path(role), loop, { only: 'person' }),
          ...(prv === undefined ? [] : specialty(v, prv, provider.taxonomy, `${path(role)}.taxonomy`, loop)),
        ];
  if (guide === '837P')
    return [
      ...person('DN', referring, 'referring', '2310A'),
      // 2310B: required when the rendering provider is not the billing provider.
      ...(rendering === undefined || sameNpi(rendering, billing)
        ? []
        : [
            providerNm1(v, '82', rendering, path('rendering'), '2310B'),
            ...specialty(v, 'PE', rendering.taxonomy, `${path('rendering')}.taxonomy`, '2310B'),
          ]),
      ...serviceFacility(v, claim, '2310C'),
      ...person('DQ', supervising, 'supervising', '2310D'),
    ];
  return [
    ...person('71', attending, 'attending', '2310A', 'AT'),
    ...person('72', operating, 'operating', '2310B'),
    // 2310D: required when the rendering provider is not the attending provider.
    ...(sameNpi(rendering, attending) ? [] : person('82', rendering, 'rendering', '2310D')),
    ...serviceFacility(v, claim, '2310E'),
    ...person('DN', referring, 'referring', '2310F'),
  ];
}

/** 2310C (837P) / 2310E (837I): required when the service was not at the billing provider's address. */
function serviceFacility(v: ValueWriter, claim: Claim, loop: string): SegmentOut[] {
  const { facility, billing } = claim.providers;
  if (facility === undefined || sameAddress(facility.address, billing.address)) return [];
  if (facility.address === undefined && sameNpi(facility, billing)) return [];
  const npi = facility.npi === undefined ? undefined : v.digits(facility.npi, '$.providers.facility.npi', `NM109 NPI (${loop})`, [10]);
  return [
    organizationNm1(v, '77', facility.name, '$.providers.facility.name', loop, npi === undefined ? undefined : ['XX', npi]),
    ...addressSegments(v, facility.address, '$.providers.facility.address', loop, { required: true, zipPlus4: true }),
  ];
}

/** 837P 2420A / 837I 2420C: the line's rendering provider, when not the claim's. */
export function lineProviders(v: ValueWriter, claim: Claim, index: number, guide: ClaimGuide): SegmentOut[] {
  const provider = claim.serviceLines[index].renderingProvider;
  const { rendering, billing, attending } = claim.providers;
  const claimLevel = guide === '837P' ? (rendering ?? billing) : (rendering ?? attending);
  if (provider === undefined || sameNpi(provider, claimLevel)) return [];
  const path = `$.serviceLines[${index}].renderingProvider`;
  if (guide === '837I') return [providerNm1(v, '82', provider, path, '2420C', { only: 'person' })];
  return [providerNm1(v, '82', provider, path, '2420A'), ...specialty(v, 'PE', provider.taxonomy, `${path}.taxonomy`, '2420A')];
}
