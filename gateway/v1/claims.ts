// /v1/claims: held claims for operators — list the claims waiting for a prior authorization with
// why (cursor pages), and release one without it, with a reason (audited).
import express, { Router, type Request, type Response } from 'express';
import { ClaimNotFoundError, ClaimNotHeldError, overrideHold } from '../../routes/hold-override.js';
import type { ReplayDeps } from '../../routes/replay.js';
import { listHeldClaims, type HeldClaimCursor } from '../../store/holds.js';
import { problem, sendProblem } from '../problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_REASON = 1000;

class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function claimsRouter(deps: { replay: ReplayDeps }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });

  router.get('/', (req, res) =>
    handle(req, res, async () => {
      const unknown = Object.keys(req.query).find((key) => !['status', 'limit', 'cursor'].includes(key));
      if (unknown !== undefined) throw new BadRequest(unknown, `unknown parameter ${unknown}: use status, limit, cursor`);
      if (req.query.status !== 'held') throw new BadRequest('status', 'claims are listed by status=held (the claims waiting for a prior authorization)');
      const page = await listHeldClaims(deps.replay.db, { limit: limitOf(req.query.limit), after: cursorOf(req.query.cursor) });
      res.json({ items: page.items, ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}) });
    }),
  );

  router.post('/:id/release', json, (req, res) =>
    handle(req, res, async () => {
      const id = String(req.params.id);
      if (!UUID.test(id)) throw new BadRequest('id', `"${id.slice(0, 60)}" is not a claim id (a UUID)`);
      const body: unknown = req.body;
      const reason = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).reason : undefined;
      if (typeof reason !== 'string' || reason.trim() === '') throw new BadRequest('reason', 'a release needs a reason: {"reason": "why this claim goes without an authorization"}');
      if (reason.length > MAX_REASON) throw new BadRequest('reason', `the reason is longer than ${MAX_REASON} characters`);
      const client = req.client!;
      const operator = { actor: `api:${client.name}`, role: client.role, client: client.id, requestId: req.id, sourceIp: req.ip };
      const released = await overrideHold(deps.replay, id, reason.trim(), operator);
      res.status(202).json({ id, status: 'released', messageId: released.messageId, claimNumber: released.claimNumber, reason: reason.trim() });
    }),
  );

  return router;
}

async function handle(req: Request, res: Response, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof BadRequest) {
      sendProblem(res, problem(400, 'invalid-request', 'Invalid request', { detail: error.message, instance: req.originalUrl, errors: [{ path: error.parameter, rule: 'invalid', message: error.message }] }));
    } else if (error instanceof ClaimNotFoundError) {
      sendProblem(res, problem(404, 'not-found', 'No such claim', { detail: error.message, instance: req.originalUrl }));
    } else if (error instanceof ClaimNotHeldError) {
      sendProblem(res, problem(409, 'claim-not-held', 'Claim not held', { detail: error.message, instance: req.originalUrl }));
    } else {
      throw error;
    }
  }
}

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadRequest('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

function encodeCursor(cursor: HeldClaimCursor): string {
  return Buffer.from(JSON.stringify([cursor.heldAt, cursor.id])).toString('base64url');
}

function cursorOf(value: unknown): HeldClaimCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const [heldAt, id] = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as [string, string];
    if (typeof heldAt === 'string' && typeof id === 'string' && UUID.test(id)) return { heldAt, id };
  } catch {
    // answered below
  }
  throw new BadRequest('cursor', 'cursor is not one this API returned (nextCursor)');
}
