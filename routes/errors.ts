// Errors of the routing layer itself.
import { ClaimhubError } from '../canonical-model/errors.js';

/** No route matched a canonical object: nothing knows where it should go. */
export class NoRouteError extends ClaimhubError {
  readonly errorClass = 'config' as const;
  readonly permanent = true;
}

/** A route predicate failed to evaluate on an object (a mistake in the route, not the message). */
export class RouteEvaluationError extends ClaimhubError {
  readonly errorClass = 'config' as const;
  readonly permanent = true;
}

/**
 * A sender reused a message control id (HL7 MSH-10) for different content. The message is stored
 * failed rather than taken as the resend it claims to be, or dropped: an operator decides.
 */
export class DuplicateControlIdError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;

  static of(controlId: string, originalId: string, receivedAt: string): DuplicateControlIdError {
    const message = `control id "${controlId}" from this sender was already used by message ${originalId} (received ${receivedAt}) with different content: send each message under its own control id`;
    return new DuplicateControlIdError(message, [{ path: 'MSH-10', rule: 'duplicate-control-id', message }]);
  }
}
