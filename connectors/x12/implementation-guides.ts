// The 005010 implementation guides claimhub reads, by the version string GS08 and ST03 carry, with
// the functional group (GS01) and transaction set (ST01) each one belongs in.

export interface ImplementationGuide {
  name: string;
  /** What claimhub calls the message (mappings select by it): `837P`, `835`. */
  messageType: string;
  /** GS01 Functional Identifier Code. */
  functionalIdentifier: string;
  /** ST01 Transaction Set Identifier Code. */
  transactionSet: string;
  /** Whether the guide requires ST03 (then equal to GS08). */
  requiresImplementationReference: boolean;
}

export const IMPLEMENTATION_GUIDES: Readonly<Record<string, ImplementationGuide>> = {
  '005010X222A1': { name: '837 Professional',
    messageType: '837P', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  '005010X223A2': { name: '837 Institutional',
    messageType: '837I', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  '005010X224A2': { name: '837 Dental',
    messageType: '837D', functionalIdentifier: 'HC', transactionSet: '837', requiresImplementationReference: true },
  // 005010X221A1: the 835 does not use ST03 (payers send `ST*835*0001`); if present it must match.
  '005010X221A1': {
    name: '835 Health Care Claim Payment/Advice',
    messageType: '835',
    functionalIdentifier: 'HP',
    transactionSet: '835',
    requiresImplementationReference: false,
  },
  '005010X217': {
    name: '278 Health Care Services Review',
    messageType: '278',
    functionalIdentifier: 'HI',
    transactionSet: '278',
    requiresImplementationReference: true,
  },
  '005010X214': {
    name: '277CA Claim Acknowledgment',
    messageType: '277CA',
    functionalIdentifier: 'HN',
    transactionSet: '277',
    requiresImplementationReference: true,
  },
  '005010X231A1': {
    name: '999 Implementation Acknowledgment',
    messageType: '999',
    functionalIdentifier: 'FA',
    transactionSet: '999',
    requiresImplementationReference: true,
  },
};

/** A short name of a set's kind for people: `837 Professional`, else `transaction set <ST01>`. */
export function guideName(set: { guide: string; id: string }): string {
  return IMPLEMENTATION_GUIDES[set.guide]?.name ?? `transaction set ${set.id}`;
}
