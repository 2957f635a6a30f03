// The 005010 implementation guides claimhub reads, by the version string GS08 and ST03 carry, with
// the functional group (GS01) and transaction set (ST01) each one belongs in.

export interface ImplementationGuide {
  name: string;
  /** GS01 Functional Identifier Code. */
  functionalIdentifier: string;
  /** ST01 Transaction Set Identifier Code. */
  transactionSet: string;
  /** Whether the guide requires ST03 (then equal to GS08). */
  requiresImplementationReference: boolean;
}

export const IMPLEMENTATION_GUIDES: Readonly<Record<string, ImplementationGuide>> = {
  '005010X222A1': { name: '837 Professional', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  '005010X223A2': { name: '837 Institutional', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  '005010X224A2': { name: '837 Dental', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  // 005010X221A1: the 835 does not use ST03 (payers send `ST*835*0001`); if present it must match.
  '005010X221A1': {
    name: '835 Health Care Claim Payment/Advice',
    functionalIdentifier: 'HP',
    transactionSet: '835',
    requiresImplementationReference: false,
  },
  '005010X217': {
    name: '278 Health Care Services Review',
    functionalIdentifier: 'HI',
    transactionSet: '278',
    requiresImplementationReference: true,
  },
  '005010X214': {
    name: '277CA Claim Acknowledgment',
    functionalIdentifier: 'HN',
    transactionSet: '277',
    requiresImplementationReference: true,
  },
  '005010X231A1': {
    name: '999 Implementation Acknowledgment',
    functionalIdentifier: 'FA',
    transactionSet: '999',
    requiresImplementationReference: true,
  },
};
