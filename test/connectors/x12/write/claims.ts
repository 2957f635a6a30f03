// Canonical claims in the styles of the shared corpus's 837 samples (single claim, dependent with
// COB, drug line with NDC, institutional with UB codes, auto accident), built from the canonical
// fixtures so each test can change one field without touching the next.
import type { Claim, Provider } from '../../../../canonical-model/index.js';
import { institutionalClaim, professionalClaim } from '../../../canonical-model/fixtures.js';
import { fullClaim } from '../../../canonical-model/full-samples.js';

export { institutionalClaim, professionalClaim };

/** Every canonical field filled in (test/canonical-model/full-samples.ts), as a professional claim. */
export function fullProfessionalClaim(): Claim {
  const claim = structuredClone(fullClaim) as Claim;
  claim.providers.payTo = {
    ...claim.providers.payTo!,
    address: { lines: ['PO Box 4410'], city: 'Boulder', state: 'CO', postalCode: '80306' },
  };
  return claim;
}

/** The same, as an institutional replacement claim (type of bill 0137). */
export function fullInstitutionalClaim(): Claim {
  const claim = fullProfessionalClaim();
  claim.type = 'institutional';
  claim.institutional!.typeOfBill = '0137';
  return claim;
}

/** The COB sample's shape: a child patient, billed to the father's primary plan, the mother's plan secondary. */
export function dependentWithSecondaryClaim(): Claim {
  const claim = professionalClaim();
  claim.claimNumber = '26407789';
  claim.patient = {
    name: { family: 'Smith', given: ['Ted'] },
    birthDate: '2013-05-01',
    gender: 'male',
    address: { lines: ['236 N Main St'], city: 'Miami', state: 'FL', postalCode: '33413' },
  };
  // the first coverage is the one billed (2000B); the secondary rides along in 2320
  claim.coverages = [
    {
      rank: 'primary',
      payer: {
        name: 'Great Prairies Health',
        payerId: '567890',
        address: { lines: ['4456 South Shore Blvd'], city: 'Chicago', state: 'IL', postalCode: '44444' },
      },
      memberId: '222334444',
      groupName: 'Seaway Employers',
      relationship: 'child',
      subscriber: { name: { family: 'Smith', given: ['Jack'] }, birthDate: '1983-10-22', gender: 'male' },
      filingIndicator: 'CI',
    },
    {
      rank: 'secondary',
      payer: { name: 'Key Insurance Company', payerId: '999996666' },
      memberId: 'JS00111223333',
      relationship: 'child',
      subscriber: {
        name: { family: 'Smith', given: ['Jane'] },
        address: { lines: ['236 N Main St'], city: 'Miami', state: 'FL', postalCode: '33111' },
      },
      filingIndicator: 'CI',
    },
  ];
  return claim;
}

/** The drug-in-the-office sample's shape: an injection line with its NDC (2410), charges with cents to trim. */
export function drugLineClaim(): Claim {
  const claim = professionalClaim();
  claim.claimNumber = 'CLMNO12345';
  claim.totalCharge = '766.50';
  claim.billablePeriod = { start: '2026-10-12', end: '2026-10-14' };
  const { unitPrice: _, ...office } = claim.serviceLines[0];
  claim.serviceLines = [
    { ...office, charge: '700.00', serviceDate: { start: '2026-10-12', end: '2026-10-14' } },
    {
      sequence: 2,
      procedure: { system: 'HCPCS', code: 'J1550' },
      units: '1.0',
      unitType: 'UN',
      charge: '66.50',
      serviceDate: { start: '2026-10-14' },
      placeOfService: { system: 'POS', code: '11' },
      diagnosisPointers: [2],
      ndc: { code: '00026-0635-12', quantity: '10', unit: 'ML' },
    },
  ];
  return claim;
}

/** The automobile accident sample's shape: an outpatient hospital claim for a patient who is not the subscriber. */
export function autoAccidentInstitutionalClaim(): Claim {
  const claim = institutionalClaim();
  claim.claimNumber = '67236695521';
  claim.coverages[0].relationship = 'other';
  claim.accident = { date: '2026-09-02', causes: ['AA'], state: 'CA' };
  claim.institutional!.occurrenceCodes = [{ code: { system: 'NUBC-OCCURRENCE', code: '01' }, date: '2026-09-02' }];
  claim.institutional!.conditionCodes = [{ system: 'NUBC-CONDITION', code: '02' }];
  return claim;
}

const BILLING: Provider[] = [
  professionalClaim().providers.billing,
  {
    entityType: 'organization',
    name: 'Pearl Street Family Practice',
    npi: '1104025329',
    taxId: '840654321',
    address: { lines: ['2030 Pearl St'], city: 'Boulder', state: 'CO', postalCode: '803025512' },
  },
];

/** A professional claim from billing provider `provider` (0, 1) for subscriber `subscriber` (0…), its `n`th. */
export function batchClaim(provider: number, subscriber: number, n: number): Claim {
  const claim = professionalClaim();
  claim.claimNumber = `B${provider}-S${subscriber}-${n}`;
  claim.providers = { billing: BILLING[provider] };
  claim.patient = { ...claim.patient, name: { family: `Subscriber${subscriber}`, given: ['Pat'] } };
  claim.coverages[0].memberId = `MEMBER-${subscriber}`;
  return claim;
}
