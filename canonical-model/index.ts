// The canonical model's public face: types, schemas, validation, exact money, NPI check.

export type * from './types.js';
export * from './errors.js';
export { addMoney, compareMoney, formatMoney, InvalidMoneyError, isMoney, parseMoney, subtractMoney, sumMoney, toMoney } from './money.js';
export { isValidNpi } from './npi.js';
export {
  assertCanonical,
  canonicalSchemas,
  checkCanonical,
  validateAcknowledgement,
  validateCanonical,
  validateClaim,
  validatePatientUpdate,
  validatePriorAuthorization,
  validateRemittance,
  type CanonicalCheck,
} from './validate.js';
export { claimAdvisories, claimRules } from './rules/claim-rules.js';
export { patientUpdateRules } from './rules/patient-update-rules.js';
export { priorAuthorizationRules } from './rules/prior-authorization-rules.js';
export { remittanceRules } from './rules/remittance-rules.js';
export type { Rule } from './rules/rule.js';
