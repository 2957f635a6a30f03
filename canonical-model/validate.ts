// Validation of canonical objects at the edge: the JSON Schemas (compiled once, ajv 2020-12),
// then, only for schema-valid objects, the business rules. Errors block; warnings are reported.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import { ValidationError, type Issue } from './errors.js';
import { issuesFromAjv } from './issues.js';
import { claimAdvisories, claimRules } from './rules/claim-rules.js';
import { patientUpdateRules } from './rules/patient-update-rules.js';
import { priorAuthorizationRules } from './rules/prior-authorization-rules.js';
import { remittanceRules } from './rules/remittance-rules.js';
import type { Rule } from './rules/rule.js';
import acknowledgementSchema from './schemas/acknowledgement.schema.json' with { type: 'json' };
import claimSchema from './schemas/claim.schema.json' with { type: 'json' };
import commonSchema from './schemas/common.schema.json' with { type: 'json' };
import patientUpdateSchema from './schemas/patient-update.schema.json' with { type: 'json' };
import priorAuthorizationSchema from './schemas/prior-authorization.schema.json' with { type: 'json' };
import remittanceSchema from './schemas/remittance.schema.json' with { type: 'json' };
import type { CanonicalResource, CanonicalResourceType } from './types.js';

const addFormats = _addFormats.default;

/** The published schemas, by the resourceType they describe (`common` holds the shared $defs). */
export const canonicalSchemas = {
  common: commonSchema,
  Claim: claimSchema,
  PriorAuthorization: priorAuthorizationSchema,
  Remittance: remittanceSchema,
  Acknowledgement: acknowledgementSchema,
  PatientUpdate: patientUpdateSchema,
} as const;

export interface CanonicalCheck {
  /** Schema violations, or (when the schema passes) broken business rules: refuse the object. */
  errors: Issue[];
  /** Findings worth showing an operator that do not block (e.g. an NPI check digit). */
  warnings: Issue[];
}

let compiled: Record<CanonicalResourceType, ValidateFunction> | undefined;

/** Compiles every schema on first use and keeps the validators for the life of the process. */
function validators(): Record<CanonicalResourceType, ValidateFunction> {
  if (compiled) return compiled;
  // verbose: errors carry the failing value and its schema (its title makes the message readable)
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strictTuples: false, schemas: [commonSchema] });
  addFormats(ajv);
  compiled = {
    Claim: ajv.compile(claimSchema),
    PriorAuthorization: ajv.compile(priorAuthorizationSchema),
    Remittance: ajv.compile(remittanceSchema),
    Acknowledgement: ajv.compile(acknowledgementSchema),
    PatientUpdate: ajv.compile(patientUpdateSchema),
  };
  return compiled;
}

function checker<T>(type: CanonicalResourceType, rules: readonly Rule<T>[], advisories: readonly Rule<T>[] = []) {
  return (value: unknown): CanonicalCheck => {
    const validate = validators()[type];
    if (!validate(value)) return { errors: issuesFromAjv(validate.errors, value), warnings: [] };
    const resource = value as T;
    return {
      errors: rules.flatMap((rule) => rule(resource)),
      warnings: advisories.flatMap((rule) => rule(resource)),
    };
  };
}

const checkers: Record<CanonicalResourceType, (value: unknown) => CanonicalCheck> = {
  Claim: checker('Claim', claimRules, claimAdvisories),
  PriorAuthorization: checker('PriorAuthorization', priorAuthorizationRules),
  Remittance: checker('Remittance', remittanceRules),
  Acknowledgement: checker('Acknowledgement', []),
  PatientUpdate: checker('PatientUpdate', patientUpdateRules),
};

const resourceTypes = Object.keys(checkers) as CanonicalResourceType[];

function isResourceType(value: unknown): value is CanonicalResourceType {
  return typeof value === 'string' && Object.hasOwn(checkers, value);
}

/** Errors and warnings for any canonical object, chosen by its `resourceType`. */
export function checkCanonical(value: unknown): CanonicalCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: [{ path: '$', rule: 'type', message: 'must be an object with a resourceType' }], warnings: [] };
  }
  const resourceType = (value as { resourceType?: unknown }).resourceType;
  if (!isResourceType(resourceType)) {
    const found = resourceType === undefined ? 'missing resourceType' : `unknown resourceType ${JSON.stringify(resourceType)}`;
    const message = `${found}; expected one of ${resourceTypes.map((type) => `"${type}"`).join(', ')}`;
    return { errors: [{ path: '$.resourceType', rule: 'resource-type', message }], warnings: [] };
  }
  return checkers[resourceType](value);
}

/** The blocking issues of any canonical object: schema first, then business rules. Empty = valid. */
export function validateCanonical(value: unknown): Issue[] {
  return checkCanonical(value).errors;
}

export const validateClaim = (value: unknown): Issue[] => checkers.Claim(value).errors;
export const validatePriorAuthorization = (value: unknown): Issue[] => checkers.PriorAuthorization(value).errors;
export const validateRemittance = (value: unknown): Issue[] => checkers.Remittance(value).errors;
export const validateAcknowledgement = (value: unknown): Issue[] => checkers.Acknowledgement(value).errors;
export const validatePatientUpdate = (value: unknown): Issue[] => checkers.PatientUpdate(value).errors;

/** The typed object, or a ValidationError carrying every blocking issue (the ingest edge). */
export function assertCanonical(value: unknown): CanonicalResource {
  const errors = validateCanonical(value);
  if (errors.length > 0) {
    const [first] = errors;
    throw new ValidationError(`${errors.length} issue(s) in the canonical object, first at ${first.path}: ${first.message}`, errors);
  }
  return value as CanonicalResource;
}
