// /v1/claims: held claims for operators — list the claims waiting for a prior authorization with
// why (cursor pages), and release one without it, with a reason (audited).
import express, { Router } from 'express';
import { ClaimNotFoundError, ClaimNotHeldError, overrideHold } from '../../routes/hold-override.js';
import type { ReplayDeps } from '../../routes/replay.js';
import { listHeldClaims } from '../../store/holds.js';
import type { AuditRead } from '../audit-reads.js';
import { problem } from '../problem.js';
import { answering, BadRequest, decodeCursor, encodeCursor, idOf, limitOf, operatorOf, reasonOf, type Refusal } from './request-parts.js';


const CLAIM_REFUSALS: readonly Refusal[] = [
  [ClaimNotFoundError, (error, req) => problem(404, 'not-found', 'No such claim', { detail: error.message, instance: req.originalUrl })],
  [ClaimNotHeldError, (error, req) => problem(409, 'claim-not-held', 'Claim not held', { detail: error.message, instance: req.originalUrl })],
];

export function claimsRouter(deps: { replay: ReplayDeps; auditRead: AuditRead }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });

  router.get('/', (req, res) =>
    answering(req, res, CLAIM_REFUSALS, async () => {
      const unknown = Object.keys(req.query).find((key) => !['status', 'limit', 'cursor'].includes(key));
      if (unknown !== undefined) throw new BadRequest(unknown, `unknown parameter ${unknown}: use status, limit, cursor`);
      if (req.query.status !== 'held') throw new BadRequest('status', 'claims are listed by status=held (the claims waiting for a prior authorization)');
      const cursor = decodeCursor(req.query.cursor);
      const page = await listHeldClaims(deps.replay.db, { limit: limitOf(req.query.limit), after: cursor && { heldAt: cursor.at, id: cursor.id } });
      await deps.auditRead(req, 'claim/', { status: 'held', returned: page.items.length });
      res.json({ items: page.items, ...(page.next ? { nextCursor: encodeCursor(page.next.heldAt, page.next.id) } : {}) });
    }),
  );

  router.post('/:id/release', json, (req, res) =>
    answering(req, res, CLAIM_REFUSALS, async () => {
      const id = idOf(req, 'claim');
      const reason = reasonOf(req.body, 'a release needs a reason: {"reason": "why this claim goes without an authorization"}');
      const released = await overrideHold(deps.replay, id, reason, operatorOf(req));
      res.status(202).json({ id, status: 'released', messageId: released.messageId, claimNumber: released.claimNumber, reason });
    }),
  );

  return router;
}




