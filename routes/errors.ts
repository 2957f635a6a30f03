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
