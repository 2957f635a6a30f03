// What the operator routes share in reading a request: a refusal that names its parameter, ids,
// page sizes, opaque cursors (a time and an id), the operator behind the request, a reason.
import type { Request, Response } from 'express';
import type { Operator } from '../../routes/replay.js';
import { problem, sendProblem, type Problem } from '../problem.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_REASON = 1000;

/** A request a route refuses: answered 400 problem+json naming the parameter. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }

  problem(req: Request): Problem {
    return problem(400, 'invalid-request', 'Invalid request', {
      detail: this.message,
      instance: req.originalUrl,
      errors: [{ path: this.parameter, rule: 'invalid', message: this.message }],
    });
  }
}

/** A request the client's role or sources do not allow: answered 403. */
export class Forbidden extends Error {
  problem(req: Request): Problem {
    return problem(403, 'forbidden', 'Not allowed', { detail: this.message, instance: req.originalUrl });
  }
}

/** The `:id` parameter as a UUID; `what` names the resource in the refusal. */
export function idOf(req: Request, what: string): string {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw new BadRequest('id', `"${id.slice(0, 60)}" is not a ${what} id (a UUID)`);
  return id;
}

export function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new BadRequest('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

/** A page position (a timestamp as the store wrote it, and an id) as an opaque cursor. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(value: unknown): { at: string; id: string } | undefined {
  if (value === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as [string, string];
    if (typeof at === 'string' && typeof id === 'string' && UUID.test(id) && !Number.isNaN(Date.parse(at))) return { at, id };
  } catch {
    // answered below
  }
  throw new BadRequest('cursor', 'cursor is not one this API returned (nextCursor)');
}

/** A required, trimmed reason from a JSON body; `example` shows what to send. */
export function reasonOf(body: unknown, example: string): string {
  const reason = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).reason : undefined;
  if (typeof reason !== 'string' || reason.trim() === '') throw new BadRequest('reason', `${example}`);
  if (reason.length > MAX_REASON) throw new BadRequest('reason', `the reason is longer than ${MAX_REASON} characters`);
  return reason.trim();
}

/** Who acts, for lineage and the audit trail. */
export function operatorOf(req: Request): Operator {
  const principal = req.principal!;
  return {
    actor: `${principal.via === 'oidc' ? 'oidc' : 'api'}:${principal.name}`,
    role: principal.roles.join(','),
    client: principal.id,
    requestId: req.id,
    sourceIp: req.ip,
  };
}

/** An error a route answers itself, and how: its class and the problem it becomes. */
export type Refusal = [new (...args: never[]) => Error, (error: Error, req: Request) => Problem];

/**
 * Runs a route, answering a BadRequest and the route's own `refusals` as problem+json; anything
 * else goes on to the app's error path.
 */
export async function answering(req: Request, res: Response, refusals: readonly Refusal[], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof BadRequest || error instanceof Forbidden) return sendProblem(res, error.problem(req));
    const refusal = refusals.find(([kind]) => error instanceof kind);
    if (!refusal) throw error;
    sendProblem(res, refusal[1](error as Error, req));
  }
}
