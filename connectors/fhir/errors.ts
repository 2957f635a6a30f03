// The FHIR connector's refusals, built as the shared typed errors (ParseError, UnsupportedMessageError)
// with an issue that names the place: a line and column for broken JSON, a JSON path otherwise.

import { ParseError, UnsupportedMessageError, type Issue } from '../../canonical-model/errors.js';

/** Malformed JSON text: the issue path is `line L column C`. */
export function jsonSyntaxError(line: number, column: number, detail: string): ParseError {
  const issue: Issue = { path: `line ${line} column ${column}`, rule: 'json-syntax', message: detail };
  return new ParseError(`FHIR JSON is malformed at line ${line} column ${column}: ${detail}`, [issue]);
}

/** Well-formed JSON that is not a FHIR resource (no object root, no resourceType). */
export function notAResource(message: string): ParseError {
  return new ParseError(message, [{ path: '$.resourceType', rule: 'required', message }]);
}

/** An STU3 (3.0) resource, recognised by an element that R4 renamed or dropped. */
export function stu3NotSupported(path: string, tell: string): UnsupportedMessageError {
  const message = `FHIR STU3 is not supported: ${tell}; claimhub expects FHIR R4 (4.0.1)`;
  return new UnsupportedMessageError(message, [{ path, rule: 'fhir-version', message }]);
}

/** A resource type that this path does not translate (ClaimResponse, Patient, EOB…). */
export function unsupportedResourceType(resourceType: string, path = '$.resourceType', why = ''): UnsupportedMessageError {
  const message = `${resourceType} is not accepted on this path yet${why}: claimhub translates FHIR R4 Claim resources (bare or in a Bundle)`;
  return new UnsupportedMessageError(message, [{ path, rule: 'resource-type', message }]);
}

/** A Bundle that holds no Claim: says what it does hold, so the sender sees the mix-up. */
export function bundleWithoutClaim(held: string[]): UnsupportedMessageError {
  const holds = held.length === 0 ? 'no entries' : held.join(', ');
  const message = `Bundle holds ${holds} but no Claim: nothing to translate into a canonical claim`;
  return new UnsupportedMessageError(message, [{ path: '$.entry', rule: 'bundle-without-claim', message }]);
}
