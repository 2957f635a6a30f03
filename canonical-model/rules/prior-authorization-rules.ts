// Prior authorization rules: a decision the claim can later quote, and periods that make sense.

import type { Issue } from '../errors.js';
import type { PriorAuthorization, PriorAuthorizationDecision } from '../types.js';
import { periodEndsBeforeStart, type Rule } from './rule.js';

const grants = (decision?: PriorAuthorizationDecision) => decision?.status === 'approved' || decision?.status === 'modified';

/**
 * An approved or modified authorization carries a certification number (278 HCR02), on the
 * overall decision or on every service it grants: without it the claim cannot quote it (REF*G1).
 */
export function certificationNumberRequired(auth: PriorAuthorization): Issue[] {
  if (auth.status !== 'approved' && auth.status !== 'modified') return [];
  if (auth.decision?.certificationNumber) return [];
  const granted = auth.services
    .map((service, index) => ({ service, index }))
    .filter(({ service }) => grants(service.decision) || !service.decision);
  const missing = granted.filter(({ service }) => !service.decision?.certificationNumber);
  if (granted.length > 0 && missing.length === 0) return [];
  return [
    {
      path: '$.decision.certificationNumber',
      rule: 'certification-number-required',
      message: `an ${auth.status} authorization needs a certification number`,
    },
  ];
}

export function validityPeriodOrder(auth: PriorAuthorization): Issue[] {
  return [
    ...periodEndsBeforeStart(auth.decision?.validityPeriod, '$.decision.validityPeriod', 'period-order'),
    ...periodEndsBeforeStart(auth.eventPeriod, '$.eventPeriod', 'period-order'),
    ...auth.services.flatMap((service, i) => [
      ...periodEndsBeforeStart(service.serviceDate, `$.services[${i}].serviceDate`, 'period-order'),
      ...periodEndsBeforeStart(service.decision?.validityPeriod, `$.services[${i}].decision.validityPeriod`, 'period-order'),
    ]),
  ];
}

export const priorAuthorizationRules: readonly Rule<PriorAuthorization>[] = [certificationNumberRequired, validityPeriodOrder];
