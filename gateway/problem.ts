// RFC 9457 problem details: the single shape of every HTTP error claimhub answers with.
import type { Response } from 'express';
import { ClaimhubError, type Issue } from '../canonical-model/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Precise findings: JSON path / segment / line, rule, message. */
  errors?: Issue[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://claimhub.dev/problems/';

export function problem(
  status: number,
  slug: string,
  title: string,
  extra: Omit<Partial<Problem>, 'status' | 'type' | 'title'> = {},
): Problem {
  return { type: PROBLEM_BASE + slug, title, status, ...extra };
}

/** HTTP status for a typed error: broken syntax 400, well-formed but unacceptable 422. */
export function statusOf(error: ClaimhubError): number {
  switch (error.errorClass) {
    case 'parse':
      return 400;
    case 'transient':
      return 503;
    default:
      return 422;
  }
}

const TITLES: Record<string, string> = {
  parse: 'The message could not be parsed',
  unsupported: 'The message is not supported',
  mapping: 'The message could not be mapped',
  validation: 'The message failed validation',
  config: 'The hub configuration refused the message',
  delivery: 'Delivery refused',
  transient: 'Temporarily unavailable',
};

export function problemFromError(error: ClaimhubError, extra: Omit<Partial<Problem>, 'status' | 'type' | 'title'> = {}): Problem {
  return problem(statusOf(error), `${error.errorClass}-error`, TITLES[error.errorClass] ?? 'Error', {
    detail: error.message,
    errors: error.issues,
    ...extra,
  });
}

export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
