// Typed errors shared by every folder: each says where the problem is (issues with a path) and
// whether retrying could help. Channels turn them into their own answer (problem+json, ACK, 999).

/** One precise finding: where (JSON path, or segment/field for wire formats), which rule, what. */
export interface Issue {
  /** `$.serviceLines[0].charge`, `Claim.item[1].net`, `CLM02`, `PID-3.1`, `line 4 column 12`. */
  path: string;
  /** Short rule id: `required`, `type`, `pattern`, `total-equals-lines`, `json-syntax`… */
  rule: string;
  message: string;
}

export type ErrorClass =
  | 'parse' // the wire format itself is broken
  | 'unsupported' // well-formed, but a message type or version claimhub does not take
  | 'mapping' // the mapping failed to evaluate
  | 'validation' // the canonical object breaks the schema or a business rule
  | 'delivery' // a destination refused for good
  | 'transient' // network, timeout, 5xx, 429: worth retrying
  | 'config'; // a configuration or mapping file is wrong

export abstract class ClaimhubError extends Error {
  abstract readonly errorClass: ErrorClass;
  /** Permanent errors are never retried: retrying the same input gives the same answer. */
  abstract readonly permanent: boolean;
  readonly issues: Issue[];

  constructor(message: string, issues: Issue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.issues = issues;
  }

  /** The shape stored in messages.error and dead_letters.error. */
  toJSON(): { class: ErrorClass; message: string; issues: Issue[] } {
    return { class: this.errorClass, message: this.message, issues: this.issues };
  }
}

export class ParseError extends ClaimhubError {
  readonly errorClass = 'parse' as const;
  readonly permanent = true;
}

export class UnsupportedMessageError extends ClaimhubError {
  readonly errorClass = 'unsupported' as const;
  readonly permanent = true;
}

export class MappingError extends ClaimhubError {
  readonly errorClass = 'mapping' as const;
  readonly permanent = true;
}

export class ValidationError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

export class ConfigError extends ClaimhubError {
  readonly errorClass = 'config' as const;
  readonly permanent = true;
}

/** A destination refused the message for good (4xx other than 408/429, unwritable target). */
export class DeliveryRefusedError extends ClaimhubError {
  readonly errorClass = 'delivery' as const;
  readonly permanent = true;
}

/** Network failure, timeout, 5xx, 429, store or Redis unavailable: retry with backoff. */
export class TransientError extends ClaimhubError {
  readonly errorClass = 'transient' as const;
  readonly permanent = false;
  /** Server-requested wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(message: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(message, [], options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}
